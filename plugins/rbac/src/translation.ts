import { createTranslationRef } from '@backstage/frontend-plugin-api';
import type { TranslationFunction } from '@backstage/frontend-plugin-api';

/**
 * The messages of the RBAC administration page (roles, matrix, access check, audit log,
 * Kubernetes sync). English defaults here; the Simplified Chinese resource in
 * ./translations/zh-Hans.ts. Role names, permission names, entity refs, namespaces, cluster names
 * and Kubernetes kinds are data and stay as they are.
 */
export const rbacTranslationRef = createTranslationRef({
  id: 'kubemate.rbac',
  messages: {
    common: {
      cancel: 'Cancel',
      save: 'Save',
      saving: 'Saving…',
      delete: 'Delete',
      refresh: 'Refresh',
      none: 'none',
      role: 'Role',
      permission: 'Permission',
      when: 'When',
      change: 'Change',
    },
    page: {
      title: 'RBAC',
      subtitle:
        'Platform roles: who may do what in the portal, and the Kubernetes RBAC they get',
      deniedTitle: 'You cannot administer roles',
      deniedMessage: '{{reason}}. Ask a platform administrator for access.',
      tabsLabel: 'RBAC sections',
      notAvailable: 'Not available',
    },
    tabs: {
      roles: 'Roles',
      matrix: 'Matrix',
      accessCheck: 'Access check',
      audit: 'Audit log',
      sync: 'Kubernetes sync',
    },
    format: {
      allNamespaces: 'All namespaces',
      source: {
        config: 'app-config',
        file: 'role file',
        database: 'portal',
      },
      readOnlyConfig: 'Declared in app-config ({{location}}); change it there',
      readOnlyFile: 'Declared in {{location}}; edit the file (GitOps)',
      readOnlyRoleFile: 'Declared in a role file; edit the file (GitOps)',
    },
    members: {
      label: 'Members',
      invalid:
        '{{refs}}: not a user or group; write user:alice or group:team-payments',
      helper:
        'Users and groups from the catalog (user:…, group:…); members of nested groups are included',
      catalogError:
        'The catalog could not be read ({{message}}); type refs like group:default/team-payments',
      chipUser: 'user {{name}}',
      chipGroup: 'group {{name}}',
    },
    matrix: {
      empty: 'No roles yet',
      tableLabel: 'Roles and permissions',
      grants: '{{role}} grants {{permission}}',
    },
    audit: {
      who: 'Who',
      action: 'Action',
      filter: 'Filter by role',
      title: 'RBAC audit log',
      empty: 'No changes recorded yet.',
      emptyForRole: 'No changes recorded for role {{role}} yet.',
      actions: {
        roleCreate: 'role.create',
        roleUpdate: 'role.update',
        roleMembersUpdate: 'role.members.update',
        roleDelete: 'role.delete',
        syncRun: 'sync.run',
        syncDriftRestored: 'sync.drift-restored',
      },
      syncRunSummary:
        '{{changes}} change(s), {{drift}} drift repair(s), {{errors}} error(s)',
      driftRestored: '{{cluster}}: {{kind}} {{object}} {{cause}}',
    },
    sync: {
      cluster: 'Cluster',
      kind: 'Kind',
      object: 'Object',
      detail: 'Detail',
      offTitle: 'The Kubernetes sync is off',
      offDescription:
        'Configure kubemate.rbac.kubernetes.credentials (a token per cluster allowed to manage RBAC) to translate roles into Kubernetes Roles and RoleBindings.',
      summaryLastRun:
        'Clusters: {{clusters}} · last run {{time}}: {{changes}} change(s), {{drift}} drift repair(s), {{errors}} error(s)',
      summaryNotRun: 'Clusters: {{clusters}} · not run yet',
      syncing: 'Syncing…',
      syncNow: 'Sync now',
      clusterError: 'Cluster {{cluster}} could not be synced',
      driftTitle: 'Drift repaired (objects changed or deleted by hand)',
      noDrift: 'No drift: nobody changed the managed objects by hand.',
      recentTitle: 'Recent changes',
      noChanges: 'No changes yet: Kubernetes matches the roles.',
      changes: {
        created: 'created',
        updated: 'updated',
        deleted: 'deleted',
        restored: 'restored',
      },
      causes: {
        deleted: 'deleted by hand; re-created',
        edited: 'edited by hand; reverted',
        unlabelled: 'managed-by label removed by hand; re-labelled',
      },
    },
    roles: {
      bootstrapTitle: 'Bootstrap administrators',
      source: 'Source',
      scope: 'Scope',
      permissions: 'Permissions',
      kubernetes: 'Kubernetes',
      actions: 'Actions',
      everyPermission: 'every permission (*)',
      permissionCount_one: '{{count}} permission(s)',
      permissionCount_other: '{{count}} permission(s)',
      objects_one: '{{count}} Kubernetes object(s)',
      objects_other: '{{count}} Kubernetes object(s)',
      syncChip: '{{cluster}}: {{state}}',
      syncStates: {
        inSync: 'in-sync',
        error: 'error',
        notConfigured: 'not-configured',
        nothingToSync: 'nothing-to-sync',
      },
      edit: 'Edit',
      editAria: 'Edit {{role}}',
      members: 'Members',
      membersAria: 'Members of {{role}}',
      deleteAria: 'Delete {{role}}',
      loadingPermissions: 'Loading the permission list…',
      conflict: 'Role {{name}} is defined twice',
      fileError:
        'Role file {{path}} could not be loaded; its last valid version stays in force',
      permissionsError:
        'The permission list could not be loaded; roles cannot be created or edited',
      create: 'Create role',
      emptyTitle: 'No roles yet',
      emptyDescription:
        'Everything is denied by default. Create a role, or declare roles in a role file (kubemate.rbac.roleFiles).',
      tableTitle: 'Roles ({{total}})',
      created: 'Role {{name}} created',
      saved: 'Role {{name}} saved',
      membersSaved: 'Members of {{role}} saved',
      deleted: 'Role {{role}} deleted',
      membersDialogTitle: 'Members of {{role}}',
      deleteDialogTitle: 'Delete role {{role}}?',
      deleteDialogText_one:
        'Its {{count}} member(s) lose its permissions, and its Kubernetes Roles and bindings are removed at the next sync.',
      deleteDialogText_other:
        'Its {{count}} member(s) lose its permissions, and its Kubernetes Roles and bindings are removed at the next sync.',
    },
    editor: {
      scoping: {
        namespace: 'in the role’s namespaces',
        ownership: 'on entities the members own',
        none: 'not tied to a namespace: granted everywhere',
        unsupported: 'not granted by a namespace-scoped role',
      },
      unavailable:
        'Permissions of the {{plugin}} plugin could not be listed: {{error}}',
      filter: 'Filter permissions',
      every: 'Every permission (*), including future ones',
      groupAria: '{{plugin}} permissions',
      invalid: 'Invalid role: {{errors}}',
      createTitle: 'Create role',
      editTitle: 'Edit role {{name}}',
      name: 'Name',
      nameHelper:
        'Lowercase letters, digits and -, e.g. payments-operator; used in Kubernetes object names',
      title: 'Title',
      description: 'Description',
      scope: 'Scope',
      allNamespaces: 'All namespaces',
      selectedNamespaces: 'Selected namespaces',
      namespace: 'Namespace or pattern',
      namespaceHelper:
        'A namespace (payments-dev) or a prefix pattern (payments-*), on every cluster',
      addNamespace: 'Add namespace',
    },
    validation: {
      field: '{{field}}: {{message}}',
      namespacePattern:
        'must be a namespace name or a prefix pattern like payments-*',
      namespacesMin: 'must list at least one namespace (or use scope type all)',
      dnsLabel:
        'must be a lowercase DNS label (a-z, 0-9, -), e.g. payments-operator',
      permissionName: 'is not a permission name',
      starAlone: '"*" (every permission) must stand alone',
      permissionTwice: 'lists a permission twice',
      memberRef:
        'must be a user or group ref, e.g. user:default/alice or group:default/team-payments',
      tooShort: 'String must contain at least {{min}} character(s)',
      tooLong: 'String must contain at most {{max}} character(s)',
      tooManyItems: 'Array must contain at most {{max}} element(s)',
    },
    access: {
      result: {
        allow: 'allowed',
        deny: 'denied',
        conditional: 'allowed within a scope',
      },
      where: {
        all: 'everywhere',
        owned: 'entities the user owns',
        namespaces: 'namespaces {{namespaces}}',
      },
      resultColumn: 'Result',
      whereColumn: 'Where',
      grantedBy: 'Granted by',
      user: 'User',
      userPlaceholder: 'user:default/alice',
      permissionPlaceholder: 'clusters.workload.scale',
      resource: 'Resource (optional)',
      resourcePlaceholder: 'dev-cluster/payments-dev/deployments/payments-api',
      resourceHelper:
        'A Kubernetes object (cluster/namespace/resource/name) or an entity ref',
      check: 'Check',
      whatCan: 'What can this user do?',
      whoCan: 'Who has this permission?',
      answer: '{{user}}: {{permission}} is {{result}}',
      answerOn: '{{user}}: {{permission}} on {{resource}} is {{result}}',
      whatTitle: 'What {{user}} can do (roles: {{roles}})',
      whatEmpty: 'No permission: no role grants this user anything.',
      whoTitle: 'Who has {{permission}}',
      whoTitleOn: 'Who has {{permission}} on {{resource}}',
      whoEmpty: 'Nobody: no role grants it.',
      reason: {
        none: 'No role of {{user}} grants {{permission}} (denied by default)',
        allowed: 'Allowed by {{roles}}',
        outsideScopeOne:
          '{{roles}} grants {{permission}}, but {{resource}} is outside its scope',
        outsideScopeMany:
          '{{roles}} grant {{permission}}, but {{resource}} is outside their scope',
        conditionalOwned:
          'Granted by {{roles}} within the entities the user owns; pass a resourceRef for a definitive answer',
        conditionalNamespaces:
          'Granted by {{roles}} within the namespaces of their scope; pass a resourceRef for a definitive answer',
      },
    },
  },
  translations: {
    // the return type written out: the resource (createTranslationMessages({ ref })) refers back
    // to this ref, and an inferred one would make the ref's type circular (TS7022)
    'zh-Hans': (): Promise<{ default: any }> =>
      import('./translations/zh-Hans'),
  },
});

/** The RBAC plugin's translation function (for helpers outside components). */
export type RbacT = TranslationFunction<typeof rbacTranslationRef.T>;
