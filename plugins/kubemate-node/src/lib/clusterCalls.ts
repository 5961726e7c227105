import {
  InputError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';
import { ClusterRegistryService } from '../services/ClusterRegistry';
import { toBackstageError } from './errors';
import { withLocalStackHint } from './localStack';
import { withDeadline } from './upstream';

/** Default deadline of one call to a cluster's apiserver, in milliseconds. */
export const DEFAULT_KUBE_TIMEOUT_MS = 10_000;

/**
 * Settles with the promise, or rejects with a ServiceUnavailableError naming the cluster's
 * Kubernetes API when it has not answered in time (the Kubernetes client has no deadline of its
 * own). Errors of the call become Backstage errors carrying the apiserver's message; an
 * apiserver that cannot be reached or does not answer is a 503 that, on a developer's machine whose
 * local stack has not brought it up yet, says so first (`Kubernetes API is still building — …`).
 */
export async function kubeCall<T>(
  cluster: string,
  promise: Promise<T>,
  timeoutMs: number = DEFAULT_KUBE_TIMEOUT_MS,
): Promise<T> {
  const name = `Kubernetes API of ${cluster}`;
  try {
    return await withDeadline(promise, timeoutMs, name);
  } catch (e) {
    const error = toBackstageError(e, cluster);
    // the deadline's own error (returned as is) already carries the hint
    if (error !== e && error.name === 'ServiceUnavailableError') {
      throw new ServiceUnavailableError(
        withLocalStackHint(name, error.message),
      );
    }
    throw error;
  }
}

/** The clusters a read covers: the one asked for (400 when unknown) or every configured one. */
export function clustersOf(
  registry: ClusterRegistryService,
  cluster?: string,
): string[] {
  const all = registry.listClusters().map(c => c.name);
  if (cluster === undefined) return all;
  if (!all.includes(cluster)) {
    throw new InputError(
      `cluster: unknown cluster '${cluster}' (known: ${all.join(', ')})`,
    );
  }
  return [cluster];
}

/** Whether an error is the named Backstage error (by name: it may come from another copy of the package). */
export const isNamedError = (e: unknown, name: string) =>
  isError(e) && e.name === name;

/** The message of an error, or the thrown value as text. */
export const errorMessage = (e: unknown) =>
  isError(e) ? e.message : String(e);

/**
 * Runs a read on every cluster in parallel; a cluster that fails is reported in `errors` (with its
 * message) while the others answer.
 */
export async function perCluster<T>(
  clusters: string[],
  read: (cluster: string) => Promise<T>,
): Promise<{
  results: Array<{ cluster: string; value: T }>;
  errors: Array<{ cluster: string; message: string }>;
}> {
  const settled = await Promise.allSettled(clusters.map(c => read(c)));
  const results: Array<{ cluster: string; value: T }> = [];
  const errors: Array<{ cluster: string; message: string }> = [];
  settled.forEach((s, i) => {
    if (s.status === 'fulfilled') {
      results.push({ cluster: clusters[i], value: s.value });
    } else {
      errors.push({ cluster: clusters[i], message: errorMessage(s.reason) });
    }
  });
  return { results, errors };
}
