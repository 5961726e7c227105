/**
 * Shared frontend pieces of the Kubemate plugins: permission-gated buttons and content that say
 * why an action is not available, the per-cluster error panel, the approve/reject dialog, the time range / auto-refresh
 * controls, and a polled read (`usePolledAsync`).
 *
 * @packageDocumentation
 */
export {
  usePermissionGate,
  permissionDeniedReason,
  CHECKING_PERMISSIONS,
} from './hooks/usePermissionGate';
export type {
  PermissionGateResult,
  PermissionGateOptions,
} from './hooks/usePermissionGate';
export * from './components/PermissionButton';
export * from './components/PermissionGate';
export * from './components/ClusterErrorsPanel';
export * from './components/CommentDecisionDialog';
export * from './components/TimeRangeControls';
export * from './hooks/useTimeRange';
export { usePolledAsync } from './hooks/usePolledAsync';
export type { PolledAsync } from './hooks/usePolledAsync';
export { responseError } from './errors';
export { PluginBackendClient, entityPath } from './backendClient';
export type { BackendCallInit } from './backendClient';
export { describeSyntaxError } from './syntax';
