import { KubernetesObject } from '@kubernetes/client-node';

/** The annotation `kubectl apply` (client-side) writes: a full copy of the applied manifest. */
export const LAST_APPLIED_ANNOTATION =
  'kubectl.kubernetes.io/last-applied-configuration';

/**
 * Drops from an object, before the cache stores it, the fields no reader of the cache uses, so
 * that the watch-based cache keeps less per object (at 10,000 pods per cluster most of a pod's
 * size is bookkeeping):
 * - `metadata.managedFields`: server-side apply's field ownership, often larger than the spec;
 * - the `kubectl.kubernetes.io/last-applied-configuration` annotation: a JSON copy of the whole
 *   manifest as last applied by `kubectl apply`.
 * No consumer of the cache (`resourceCacheServiceRef` in the clusters, metrics, logs, gpu and
 * inspections backends) reads either: the manifests the portal shows (workload YAML, apply
 * diffs) are read from the apiserver, not from the cache. Everything else stays as the apiserver
 * sent it. Mutates and returns `obj` (a freshly decoded object that only the cache holds).
 */
export function stripCachedObject<T extends KubernetesObject>(obj: T): T {
  const metadata = obj?.metadata;
  if (!metadata) {
    return obj;
  }
  if (metadata.managedFields !== undefined) {
    delete metadata.managedFields;
  }
  if (metadata.annotations?.[LAST_APPLIED_ANNOTATION] !== undefined) {
    delete metadata.annotations[LAST_APPLIED_ANNOTATION];
  }
  return obj;
}
