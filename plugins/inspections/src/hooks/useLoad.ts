import { DependencyList } from 'react';
import { usePolledAsync } from '@kubemate/plugin-kubemate-react';

export interface Loaded<T> {
  value?: T;
  /** The last read's error; `value` keeps the last good result. */
  error?: Error;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads `fn()` when `deps` change and on `reload()`; then again after `pollMs(value)` ms for as
 * long as that returns a number (e.g. while a run is running): the base's `usePolledAsync`.
 */
export function useLoad<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  pollMs?: (value: T | undefined) => number | undefined,
): Loaded<T> {
  const { value, error, loading, retry } = usePolledAsync(fn, deps, pollMs);
  return { value, error, loading, reload: retry };
}
