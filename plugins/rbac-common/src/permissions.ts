import { createPermission } from '@backstage/plugin-permission-common';

/*
 * Permissions of the RBAC administration plugin itself. None of them is granted to anyone but the
 * bootstrap admins unless a role says so.
 */

/** List and read roles, the permission catalogue and the roles x permissions matrix. */
export const rbacRoleReadPermission = createPermission({
  name: 'rbac.role.read',
  attributes: { action: 'read' },
});

/** Create a role (stored in the portal database). */
export const rbacRoleCreatePermission = createPermission({
  name: 'rbac.role.create',
  attributes: { action: 'create' },
});

/** Change a role's description, scope and permissions. */
export const rbacRoleUpdatePermission = createPermission({
  name: 'rbac.role.update',
  attributes: { action: 'update' },
});

/** Delete a role (its Kubernetes bindings are removed by the sync). */
export const rbacRoleDeletePermission = createPermission({
  name: 'rbac.role.delete',
  attributes: { action: 'delete' },
});

/** Bind and unbind users and groups to a role. */
export const rbacMemberUpdatePermission = createPermission({
  name: 'rbac.member.update',
  attributes: { action: 'update' },
});

/** Ask "can user U do permission P (on resource R)?", "who can do P?", "what can U do?". */
export const rbacDecisionReadPermission = createPermission({
  name: 'rbac.decision.read',
  attributes: { action: 'read' },
});

/** Read the audit log of changes to roles and bindings. */
export const rbacAuditReadPermission = createPermission({
  name: 'rbac.audit.read',
  attributes: { action: 'read' },
});

/** Read the Kubernetes sync status (per role and cluster) and the drift reports. */
export const rbacSyncReadPermission = createPermission({
  name: 'rbac.sync.read',
  attributes: { action: 'read' },
});

/** Run the Kubernetes sync now instead of waiting for the schedule. */
export const rbacSyncRunPermission = createPermission({
  name: 'rbac.sync.run',
  attributes: { action: 'update' },
});

/** Every permission of the rbac plugin. */
export const rbacPermissions = [
  rbacRoleReadPermission,
  rbacRoleCreatePermission,
  rbacRoleUpdatePermission,
  rbacRoleDeletePermission,
  rbacMemberUpdatePermission,
  rbacDecisionReadPermission,
  rbacAuditReadPermission,
  rbacSyncReadPermission,
  rbacSyncRunPermission,
];
