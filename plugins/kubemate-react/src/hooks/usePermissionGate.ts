import {
  isResourcePermission,
  Permission,
} from '@backstage/plugin-permission-common';
import { usePermission } from '@backstage/plugin-permission-react';
import { useOptionalTranslationRef } from '../i18n/useOptionalTranslationRef';
import { kubemateReactTranslationRef } from '../translation';

/** What to check: a permission, and for a resource permission the resource it is about. */
export interface PermissionGateOptions {
  permission: Permission;
  /**
   * The resource a resource permission is checked on, e.g. `dev-cluster/payments-dev/pods/web-1`.
   * Ignored for basic permissions; a resource permission without a ref is denied.
   */
  resourceRef?: string;
  /** How the resource is named in the reason; defaults to the resourceRef. */
  what?: string;
}

/** The outcome of a permission check, with a sentence the UI can show when it is not allowed. */
export interface PermissionGateResult {
  allowed: boolean;
  loading: boolean;
  /** '' when allowed; otherwise why the action is not available right now. */
  reason: string;
}

/** Shown while the permission is being checked (English; the UI's is translated). */
export const CHECKING_PERMISSIONS = 'Checking your permissions…';

/**
 * The sentence explaining a denied permission:
 * `You do not have the permission clusters.workload.scale on dev-cluster/payments-dev/deployments/payments-api`.
 */
export function permissionDeniedReason(options: PermissionGateOptions): string {
  const { permission } = options;
  const on = isResourcePermission(permission)
    ? options.what || options.resourceRef
    : undefined;
  return `You do not have the permission ${permission.name}${
    on ? ` on ${on}` : ''
  }`;
}

/**
 * Checks a permission for the signed-in user with `usePermission`, and explains the result.
 * The backend checks the permission again; this only decides what the UI offers.
 */
export function usePermissionGate(
  options: PermissionGateOptions,
): PermissionGateResult {
  const { t } = useOptionalTranslationRef(kubemateReactTranslationRef);
  const { permission, resourceRef } = options;
  const result = usePermission(
    isResourcePermission(permission)
      ? { permission, resourceRef }
      : { permission },
  );
  if (result.loading) {
    return { allowed: false, loading: true, reason: t('permission.checking') };
  }
  if (result.error) {
    return {
      allowed: false,
      loading: false,
      reason: t('permission.checkFailed', {
        permission: permission.name,
        message: result.error.message,
      }),
    };
  }
  if (!result.allowed) {
    const on = isResourcePermission(permission)
      ? options.what || options.resourceRef
      : undefined;
    return {
      allowed: false,
      loading: false,
      reason: on
        ? t('permission.deniedOn', { permission: permission.name, on })
        : t('permission.denied', { permission: permission.name }),
    };
  }
  return { allowed: true, loading: false, reason: '' };
}
