import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { PermissionGateResult } from '@kubemate/plugin-kubemate-react';
import { gpuTranslationRef } from '../translation';

type Check =
  | { state: 'checking' }
  | { state: 'allowed' }
  | { state: 'denied' }
  | { state: 'failed'; message: string };

/**
 * Whether the signed-in user has a resource permission on at least one of `resourceRefs` (e.g.
 * `gpu.request.approve` on one of the team namespaces they see), with the reason when not (in
 * the app's language). The checks go to the permission backend in one batch; the backend checks
 * every action again.
 */
export function useAnyPermission(
  permission: ResourcePermission,
  resourceRefs: string[],
  what: string,
): PermissionGateResult {
  const permissionApi = useApi(permissionApiRef);
  const { t } = useTranslationRef(gpuTranslationRef);
  const key = [...new Set(resourceRefs)].sort().join('\n');
  const [check, setCheck] = useState<Check>({ state: 'checking' });
  useEffect(() => {
    let live = true;
    const refs = key ? key.split('\n') : [];
    if (!refs.length) {
      setCheck({ state: 'denied' });
      return undefined;
    }
    setCheck({ state: 'checking' });
    Promise.all(
      refs.map(resourceRef =>
        permissionApi.authorize({ permission, resourceRef }),
      ),
    ).then(
      results => {
        if (!live) return;
        const allowed = results.some(r => r.result === AuthorizeResult.ALLOW);
        setCheck({ state: allowed ? 'allowed' : 'denied' });
      },
      error => {
        if (!live) return;
        setCheck({ state: 'failed', message: String(error?.message ?? error) });
      },
    );
    return () => {
      live = false;
    };
  }, [permissionApi, permission, key]);
  switch (check.state) {
    case 'checking':
      return {
        allowed: false,
        loading: true,
        reason: t('permission.checking'),
      };
    case 'allowed':
      return { allowed: true, loading: false, reason: '' };
    case 'denied':
      return {
        allowed: false,
        loading: false,
        reason: t('permission.deniedOn', {
          permission: permission.name,
          on: what,
        }),
      };
    default:
      return {
        allowed: false,
        loading: false,
        reason: t('permission.checkFailed', {
          permission: permission.name,
          message: check.message,
        }),
      };
  }
}
