export type { KubernetesRbacSync, SyncRun } from './types';
export type { ClusterSyncTarget } from './DefaultKubernetesRbacSync';
export {
  DefaultKubernetesRbacSync,
  SYNC_ACTOR,
} from './DefaultKubernetesRbacSync';
export { ClusterApplier } from './ClusterApplier';
export {
  HASH_ANNOTATION,
  INSTANCE_LABEL,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  ROLE_LABEL,
  diffCluster,
  kubernetesRoleName,
  kubernetesRulesFor,
  planCluster,
  serviceAccountName,
} from './plan';
export type {
  ClusterDiff,
  DesiredObject,
  ObservedObject,
  PlanOptions,
  RoleToSync,
  SyncStep,
} from './plan';
