import { ServiceUnavailableError } from '@backstage/errors';

/** Default deadline of one call to a cluster. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Rejects with a ServiceUnavailableError naming `upstream` when the promise has not settled in
 * time (the Kubernetes client has no deadline of its own).
 */
export function withTimeout<T>(
  promise: Promise<T>,
  timeoutMs: number = DEFAULT_TIMEOUT_MS,
  upstream: string = 'Kubernetes',
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ServiceUnavailableError(
            `${upstream} did not answer within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
