import { KubernetesPolicyRule } from '@kubemate/plugin-kubemate-common';

/** Namespaces a role applies to: every namespace, or exact names and `prefix-*` patterns. */
export type RoleScope =
  | { type: 'all' }
  | { type: 'namespaces'; namespaces: string[] };

/** What an administrator writes: in the UI, through the REST API or in a role file (GitOps). */
export interface RoleSpec {
  /** Lowercase DNS label, unique across all sources; used in Kubernetes object names. */
  name: string;
  title?: string;
  description?: string;
  scope: RoleScope;
  /** Permission names (`clusters.workload.scale`), or `*` alone for every permission. */
  permissions: string[];
  /** Catalog refs of users and groups (`user:default/alice`, `group:default/team-payments`). */
  members: string[];
}

/**
 * Where a role is defined; each role has exactly one source of truth.
 *  - `config`: the bootstrap admin role from `kubemate.rbac.admins` (read-only);
 *  - `file`: declared in a role file of `kubemate.rbac.roleFiles` (read-only in the UI, edit the file);
 *  - `database`: created in the UI / REST API.
 */
export type RoleSource = 'config' | 'file' | 'database';

export interface Role extends RoleSpec {
  source: RoleSource;
  /** For `file` roles: the file; for `config`: the config key. */
  location?: string;
  /** False for declared roles. */
  editable: boolean;
  createdAt?: string;
  createdBy?: string;
  updatedAt?: string;
  updatedBy?: string;
}

/** A database role hidden because a declared role of the same name wins. */
export interface RoleConflict {
  name: string;
  winner: RoleSource;
  location?: string;
  message: string;
}

export interface RolesResponse {
  items: Role[];
  conflicts: RoleConflict[];
}

/** A permission as the permission catalogue lists it. */
export interface PermissionInfo {
  name: string;
  /** The backend plugin that registered it (`catalog`, `clusters`, ...). */
  pluginId: string;
  action?: string;
  /** Set for resource permissions (`catalog-entity`, `clusters-object`, ...). */
  resourceType?: string;
  /** How a namespace-scoped role applies to it: by namespace, entity ownership, or not at all. */
  scoping: 'namespace' | 'ownership' | 'none' | 'unsupported';
  /** The Kubernetes rules a role with this permission gets in its namespaces. */
  kubernetes: KubernetesPolicyRule[];
}

export interface PermissionsResponse {
  items: PermissionInfo[];
  /** Plugins whose permissions could not be listed (down or not installed). */
  unavailable: Array<{ pluginId: string; error: string }>;
}

export type DecisionResult = 'ALLOW' | 'DENY' | 'CONDITIONAL';

/** Answer to "can U do P (on R)?". */
export interface CheckResponse {
  user: string;
  permission: string;
  resourceRef?: string;
  /** ALLOW/DENY when definitive (a resourceRef resolves conditions); CONDITIONAL otherwise. */
  result: DecisionResult;
  /** The roles that grant the permission to the user (before scope). */
  grantingRoles: Array<{ name: string; scope: RoleScope }>;
  /** Human-readable explanation. */
  reason: string;
}

export interface WhatCanResponse {
  user: string;
  groups: string[];
  roles: string[];
  items: Array<{
    permission: string;
    result: DecisionResult;
    grantingRoles: string[];
    scope: 'all' | string[] | 'owned-entities';
  }>;
}

export interface WhoCanResponse {
  permission: string;
  resourceRef?: string;
  items: Array<{
    user: string;
    result: DecisionResult;
    grantingRoles: string[];
  }>;
}

export interface RbacAuditRecord {
  id: number;
  actor: string;
  action: string;
  role?: string;
  before?: unknown;
  after?: unknown;
  message?: string;
  createdAt: string;
}

export type SyncObjectKind =
  | 'Namespace'
  | 'ServiceAccount'
  | 'ClusterRole'
  | 'ClusterRoleBinding'
  | 'Role'
  | 'RoleBinding';

/** What someone did by hand to an object the sync owns. */
export type SyncDriftCause = 'deleted' | 'edited' | 'unlabelled';

export interface SyncChange {
  cluster: string;
  kind: SyncObjectKind;
  namespace?: string;
  name: string;
  role?: string;
  /** created/updated/deleted: normal sync; restored: drift (hand-deleted or hand-edited) repaired. */
  change: 'created' | 'updated' | 'deleted' | 'restored';
  /** Why a drift repair was needed (the UI words it; detail says the same in English). */
  cause?: SyncDriftCause;
  detail?: string;
}

export interface RoleSyncState {
  role: string;
  clusters: Array<{
    cluster: string;
    state: 'in-sync' | 'error' | 'not-configured' | 'nothing-to-sync';
    objects: number;
    error?: string;
  }>;
}

export interface SyncStatusResponse {
  lastRun?: {
    startedAt: string;
    finishedAt: string;
    changes: SyncChange[];
    drift: SyncChange[];
    errors: Array<{ cluster: string; error: string }>;
  };
  roles: RoleSyncState[];
  /** Recent changes of all runs, scheduled or triggered by role changes (newest first). */
  recentChanges: Array<SyncChange & { at: string }>;
  /** Recent drift repairs (newest first). */
  recentDrift: Array<SyncChange & { at: string }>;
}

/** The read-only role of the bootstrap admins (`kubemate.rbac.admins`), created by the backend. */
export const BOOTSTRAP_ROLE = 'bootstrap-admin';
