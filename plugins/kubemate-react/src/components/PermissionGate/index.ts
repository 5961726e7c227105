export { PermissionGate } from './PermissionGate';
export type { PermissionGateProps } from './PermissionGate';
