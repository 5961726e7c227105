import type { Role, RoleSpec } from '@kubemate/plugin-rbac-common';

/** The subject the RBAC plugin records as creator of roles made through the scaffolder's client. */
export const RBAC_CLIENT_SUBJECT = 'plugin:scaffolder';

/** The RBAC plugin's role routes, as the kubemate:rbac:bind action uses them. */
export interface RbacClient {
  /** The role, or undefined when there is none of that name. */
  getRole(name: string): Promise<Role | undefined>;
  createRole(spec: RoleSpec): Promise<Role>;
  updateRole(spec: RoleSpec): Promise<Role>;
}
