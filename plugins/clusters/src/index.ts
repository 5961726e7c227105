/**
 * Kubemate cluster ops: the entity tab "Cluster Ops" and the cluster overview page.
 *
 * @packageDocumentation
 */
export { clustersPlugin as default } from './plugin';
export { clustersApiRef } from './api/ClustersApi';
export type {
  ClustersApi,
  EntityPodTarget,
  EntityWorkloadTarget,
  LogOptions,
} from './api/ClustersApi';
export { ClustersClient } from './api/ClustersClient';
export { clustersTranslationRef } from './translation';
