import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CheckResponse,
  PermissionsResponse,
  RbacAuditRecord,
  Role,
  RoleSpec,
  RolesResponse,
  SyncStatusResponse,
  WhatCanResponse,
  WhoCanResponse,
} from '@kubemate/plugin-rbac-common';

/** What GET /sync returns: the sync state plus the configuration around it. */
export interface SyncResponse extends SyncStatusResponse {
  /** False when `kubemate.rbac.kubernetes` is not configured. */
  enabled: boolean;
  /** Clusters the sync has credentials for. */
  clusters: string[];
  /** Role files that could not be read (their last valid version stays in force). */
  fileErrors: Array<{ path: string; error: string }>;
}

/** Client of the rbac backend plugin (`/api/rbac`). */
export interface RbacApi {
  listRoles(): Promise<RolesResponse>;
  createRole(spec: RoleSpec): Promise<Role>;
  updateRole(name: string, spec: RoleSpec): Promise<Role>;
  setMembers(name: string, members: string[]): Promise<Role>;
  deleteRole(name: string): Promise<void>;
  listPermissions(): Promise<PermissionsResponse>;
  check(q: {
    user: string;
    permission: string;
    resourceRef?: string;
  }): Promise<CheckResponse>;
  whatCan(user: string): Promise<WhatCanResponse>;
  whoCan(q: {
    permission: string;
    resourceRef?: string;
  }): Promise<WhoCanResponse>;
  audit(q?: {
    role?: string;
    limit?: number;
  }): Promise<{ items: RbacAuditRecord[] }>;
  syncStatus(): Promise<SyncResponse>;
  runSync(): Promise<unknown>;
}

export const rbacApiRef = createApiRef<RbacApi>({ id: 'plugin.rbac.service' });
