/**
 * Kubemate cluster ops: the entity tab "Cluster Ops" and the cluster overview page.
 *
 * @packageDocumentation
 */
export { clustersPlugin as default } from './plugin';
export { clustersApiRef } from './api/ClustersApi';
export type {
  ClustersApi,
  LogOptions,
  PodTarget,
  ScalableResource,
  WorkloadTarget,
} from './api/ClustersApi';
export { ClustersClient } from './api/ClustersClient';
