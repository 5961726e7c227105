export interface Config {
  /**
   * The clusters plugin reads its clusters from `kubernetes.clusterLocatorMethods` (type
   * `config`) and maps users to Kubernetes identities with `kubemate.kubernetes.identity`
   * (both declared elsewhere). It has no settings of its own yet.
   */
  kubemate?: {
    clusters?: {};
  };
}
