/*
 * Calls to the clusters: the base's deadlines and per-cluster reads (kubemate-node); a failing
 * cluster is reported as a FinetuningSourceError (`source` names the cluster).
 */
import { FinetuningSourceError } from '@kubemate/plugin-finetuning-common';
import { perCluster as basePerCluster } from '@kubemate/plugin-kubemate-node';

export {
  DEFAULT_KUBE_TIMEOUT_MS,
  clustersOf,
  errorMessage,
  isNamedError as isNamed,
  kubeCall,
} from '@kubemate/plugin-kubemate-node';

/** Runs a read on every cluster in parallel; a failing cluster is reported in `errors`. */
export async function perCluster<T>(
  clusters: string[],
  read: (cluster: string) => Promise<T>,
): Promise<{
  results: Array<{ cluster: string; value: T }>;
  errors: FinetuningSourceError[];
}> {
  const { results, errors } = await basePerCluster(clusters, read);
  return {
    results,
    errors: errors.map(e => ({ source: e.cluster, message: e.message })),
  };
}
