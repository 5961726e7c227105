import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  CHECKING_PERMISSIONS,
  PermissionGateResult,
} from '@kubemate/plugin-kubemate-react';

/**
 * Whether the signed-in user has a resource permission on at least one of `resourceRefs` (e.g.
 * `gpu.request.approve` on one of the team namespaces they see), with the reason when not. The
 * checks go to the permission backend in one batch; the backend checks every action again.
 */
export function useAnyPermission(
  permission: ResourcePermission,
  resourceRefs: string[],
  what: string,
): PermissionGateResult {
  const permissionApi = useApi(permissionApiRef);
  const key = [...new Set(resourceRefs)].sort().join('\n');
  const [state, setState] = useState<PermissionGateResult>({
    allowed: false,
    loading: true,
    reason: CHECKING_PERMISSIONS,
  });
  useEffect(() => {
    let live = true;
    const refs = key ? key.split('\n') : [];
    const denied = `You do not have the permission ${permission.name} on ${what}`;
    if (!refs.length) {
      setState({ allowed: false, loading: false, reason: denied });
      return undefined;
    }
    setState({ allowed: false, loading: true, reason: CHECKING_PERMISSIONS });
    Promise.all(
      refs.map(resourceRef =>
        permissionApi.authorize({ permission, resourceRef }),
      ),
    ).then(
      results => {
        if (!live) return;
        const allowed = results.some(r => r.result === AuthorizeResult.ALLOW);
        setState({ allowed, loading: false, reason: allowed ? '' : denied });
      },
      error => {
        if (!live) return;
        setState({
          allowed: false,
          loading: false,
          reason: `Could not check the permission ${permission.name}: ${error.message}`,
        });
      },
    );
    return () => {
      live = false;
    };
  }, [permissionApi, permission, key, what]);
  return state;
}
