/*
 * Calls to the clusters: the base's deadlines and per-cluster reads (kubemate-node), under the
 * names this plugin's services use.
 */
export {
  DEFAULT_KUBE_TIMEOUT_MS,
  clustersOf,
  errorMessage,
  isNamedError as isNamed,
  kubeCall,
  perCluster,
} from '@kubemate/plugin-kubemate-node';
