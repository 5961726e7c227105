import { Permission } from '@backstage/plugin-permission-common';

/** A Kubernetes RBAC rule a platform permission is translated to. */
export interface KubernetesPolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

/**
 * What a capability contributes to RBAC administration: its backend plugin id (whose permission
 * metadata the catalogue reads), its permissions, and the Kubernetes RBAC rules each permission
 * needs when the action is made as the user (impersonation) — what the RBAC sync grants in a
 * role's namespaces. A permission without rules has no Kubernetes counterpart.
 */
export interface RbacCapability {
  pluginId: string;
  permissions: Permission[];
  kubernetesRules?: Record<string, KubernetesPolicyRule[]>;
  /**
   * Resource types of this capability that teams own (see `TEAM_OWNED_RULE`): for roles scoped to
   * namespaces, their permissions become conditional on ownership instead of being denied.
   */
  teamOwnedResourceTypes?: string[];
}
