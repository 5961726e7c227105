import {
  DependencyList,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';

export interface Loaded<T> {
  value?: T;
  /** The last read's error; `value` keeps the last good result. */
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads `fn()` when `deps` change and on `reload()`; then again after `pollMs(value)` ms for as
 * long as that returns a number (e.g. while a run is running). A failed read keeps the last
 * value, so a view can show it with a warning instead of losing it.
 */
export function useLoad<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  pollMs?: (value: T | undefined) => number | undefined,
): Loaded<T> {
  const [state, setState] = useState<{
    value?: T;
    error?: Error;
    loading: boolean;
    reads: number;
  }>({ loading: true, reads: 0 });
  const [attempt, setAttempt] = useState(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const call = useRef(0);

  // new deps: start over without the previous value
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
          setState(s => ({ ...s, error, loading: false, reads: s.reads + 1 }));
        }
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, attempt]);

  const { value, loading, reads } = state;
  const delay = !loading && reads > 0 ? pollMs?.(value) : undefined;
  useEffect(() => {
    if (delay === undefined) return undefined;
    const t = setTimeout(() => setAttempt(a => a + 1), delay);
    return () => clearTimeout(t);
  }, [delay, reads]);

  const reload = useCallback(() => setAttempt(a => a + 1), []);
  return { value, error: state.error, loading, reload };
}
