import { Role, RoleSpec, RolesResponse } from '@kubemate/plugin-rbac-common';

/**
 * The roles in force, from three sources with one source of truth per role name:
 * config (bootstrap admins) > role files (GitOps) > database (UI / REST API).
 */
export interface RoleStore {
  /** Errors of role files that do not validate (their last valid version stays in force). */
  fileErrors(): Array<{ path: string; error: string }>;
  /** All roles in force, and the conflicts between sources (cached briefly unless `fresh`). */
  list(options?: { fresh?: boolean }): Promise<RolesResponse>;
  /** A role in force; NotFoundError when there is none of that name. */
  get(name: string): Promise<Role>;
  /** Creates a database role; ConflictError when the name is taken by any source. */
  create(spec: RoleSpec, actor: string): Promise<Role>;
  /** Changes a database role; ConflictError for a declared (read-only) role. */
  update(
    name: string,
    change: (current: RoleSpec) => RoleSpec,
    actor: string,
  ): Promise<{ before: Role; after: Role }>;
  /** Deletes a database role and returns it; ConflictError for a declared role. */
  delete(name: string): Promise<Role>;
}
