export {
  usePermissionGate,
  permissionDeniedReason,
  CHECKING_PERMISSIONS,
} from './usePermissionGate';
export type {
  PermissionGate,
  PermissionGateOptions,
} from './usePermissionGate';
export { PermissionButton } from './PermissionButton';
export type { PermissionButtonProps } from './PermissionButton';
export { RequirePermission } from './RequirePermission';
export type { RequirePermissionProps } from './RequirePermission';
