import { ReactNode } from 'react';
import {
  PermissionGateOptions,
  usePermissionGate,
} from '../../hooks/usePermissionGate';

/** Props of {@link PermissionGate}. */
export type PermissionGateProps = Omit<PermissionGateOptions, 'what'> & {
  /** Rendered when the permission is denied (not while it is being checked). */
  fallback?: ReactNode;
  children?: ReactNode;
};

/**
 * Renders its children only when the signed-in user has the permission, the `fallback` when it is
 * denied, and nothing while it is being checked. (Not `RequirePermission`: that name is
 * `@backstage/plugin-permission-react`'s component, whose props differ.)
 */
export function PermissionGate(props: PermissionGateProps) {
  const { allowed, loading } = usePermissionGate({
    permission: props.permission,
    resourceRef: props.resourceRef,
  });
  if (loading) return null;
  return <>{allowed ? props.children : props.fallback ?? null}</>;
}
