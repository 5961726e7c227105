import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

export interface PolledAsync<T> {
  value?: T;
  /** The last read's error; `value` keeps the last good result. */
  error?: Error;
  loading: boolean;
  /** Reads again now. */
  retry: () => void;
}

/**
 * Reads `fn()` when `deps` change and on `retry()`; then again `pollMs(value)` ms after each read
 * (successful or not) for as long as that returns a number (e.g. while a run or a release is in
 * progress). A failed read keeps the last value, so a view shows it with a warning instead of
 * losing it; new `deps` start over without the previous value. Answers of superseded reads are
 * dropped.
 */
export function usePolledAsync<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  pollMs?: (value: T | undefined) => number | undefined,
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
  const pollRef = useRef(pollMs);
  pollRef.current = pollMs;
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
  const delay = !loading && reads > 0 ? pollRef.current?.(value) : undefined;
  useEffect(() => {
    if (delay === undefined) return undefined;
    const t = setTimeout(() => setAttempt(a => a + 1), delay);
    return () => clearTimeout(t);
  }, [delay, reads]);

  const retry = useCallback(() => setAttempt(a => a + 1), []);
  return { value, error: state.error, loading, retry };
}
