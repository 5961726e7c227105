import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

/** While a release is active the views re-read it this often. */
export const POLL_MS = 5000;

export interface PolledAsync<T> {
  value?: T;
  /** The last read's error; `value` keeps the last good result. */
  error?: Error;
  loading: boolean;
  retry: () => void;
}

/**
 * Reads `fn()` when `deps` change and on `retry()`, and again `intervalMs` ({@link POLL_MS} by
 * default) after each read (successful or not) while `poll(value)` is true. A failed read keeps the last value, so a
 * view shows it with a warning instead of losing it.
 */
export function usePolledAsync<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  poll: (value: T | undefined) => boolean,
  intervalMs: number = POLL_MS,
): PolledAsync<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
    reads: number;
  }>({ loading: true, reads: 0 });
  const [attempt, setAttempt] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const pollRef = useRef(poll);
  pollRef.current = poll;
  const call = useRef(0);

  // a new set of deps starts without the previous value
  useEffect(() => {
    setState({ loading: true, reads: 0 });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  useEffect(() => {
    const id = ++call.current;
    setState(s => ({ ...s, loading: true }));
    fnRef.current().then(
      value => {
        if (id === call.current) {
          setState(s => ({ value, loading: false, reads: s.reads + 1 }));
        }
      },
      error => {
        if (id === call.current) {
          setState(s => ({
            value: s.value,
            error,
            loading: false,
            reads: s.reads + 1,
          }));
        }
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  const { reads, loading, value } = state;
  const shouldPoll = !loading && reads > 0 && pollRef.current(value);
  useEffect(() => {
    if (!shouldPoll) return undefined;
    const t = setTimeout(() => setAttempt(a => a + 1), intervalMs);
    return () => clearTimeout(t);
  }, [shouldPoll, reads, intervalMs]);

  const retry = useCallback(() => setAttempt(a => a + 1), []);
  return { value, error: state.error, loading, retry };
}
