import {
  PermissionInfo,
  PermissionsResponse,
} from '@kubemate/plugin-rbac-common';

/** The permissions registered by the portal's backend plugins. */
export interface PermissionCatalogue {
  list(): Promise<PermissionsResponse>;
  get(name: string): Promise<PermissionInfo | undefined>;
}
