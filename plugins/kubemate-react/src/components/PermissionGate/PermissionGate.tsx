import { ReactNode } from 'react';
import { PermissionGateOptions, usePermissionGate } from './usePermissionGate';

/** Props of {@link RequirePermission}. */
export type RequirePermissionProps = Omit<PermissionGateOptions, 'what'> & {
  /** Rendered when the permission is denied (not while it is being checked). */
  fallback?: ReactNode;
  children?: ReactNode;
};

/** Renders its children only when the signed-in user has the permission. */
export function RequirePermission(props: RequirePermissionProps) {
  const { allowed, loading } = usePermissionGate({
    permission: props.permission,
    resourceRef: props.resourceRef,
  });
  if (loading) return null;
  return <>{allowed ? props.children : props.fallback ?? null}</>;
}
