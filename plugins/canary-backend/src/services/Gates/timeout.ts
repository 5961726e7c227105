import { withDeadline } from '@kubemate/plugin-kubemate-node';

/** Default deadline of one call to a cluster. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Rejects with a ServiceUnavailableError naming `upstream` when the promise has not settled in
 * time (the Kubernetes client has no deadline of its own): kubemate-node's `withDeadline`.
 */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
  upstream: string = 'Kubernetes',
): Promise<T> {
  return withDeadline(promise, timeoutMs, upstream);
}
