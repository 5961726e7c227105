export type { KubernetesRbacSync, SyncRun, SyncStatusStore } from './types';
export { DatabaseSyncStatusStore } from './DatabaseSyncStatusStore';
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
  kubernetesRoleName,
  kubernetesRulesFor,
  serviceAccountName,
} from './naming';
export { planCluster } from './plan';
export type {
  DesiredObject,
  ObservedObject,
  PlanOptions,
  RoleToSync,
} from './plan';
export { diffCluster } from './diff';
export type { ClusterDiff, SyncStep } from './diff';
