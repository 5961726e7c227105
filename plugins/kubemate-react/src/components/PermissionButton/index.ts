export { PermissionButton } from './PermissionButton';
export type { PermissionButtonProps } from './PermissionButton';
