import { DependencyList } from 'react';
import {
  PolledAsync,
  usePolledAsync as useBasePolledAsync,
} from '@kubemate/plugin-kubemate-react';

/** While a release is active the views re-read it this often. */
export const POLL_MS = 5000;

export type { PolledAsync };

/**
 * Reads `fn()` when `deps` change and on `retry()`, and again `intervalMs` ({@link POLL_MS} by
 * default) after each read while `poll(value)` is true (the base's `usePolledAsync`).
 */
export function usePolledAsync<T>(
  fn: () => Promise<T>,
  deps: DependencyList,
  poll: (value: T | undefined) => boolean,
  intervalMs: number = POLL_MS,
): PolledAsync<T> {
  return useBasePolledAsync(fn, deps, value =>
    poll(value) ? intervalMs : undefined,
  );
}
