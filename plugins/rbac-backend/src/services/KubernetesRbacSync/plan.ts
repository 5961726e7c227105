/*
 * The pure planner of the Kubernetes RBAC sync: from roles, their users, a cluster's namespaces
 * and the Kubernetes rules the capabilities contributed, the objects that should exist (bodies and
 * comparable content), and the objects read from an apiserver normalised the same way. No I/O:
 * `diff.ts` compares, the ClusterApplier reads and writes the apiserver.
 */
import {
  KubernetesPolicyRule,
  namespaceInScope,
} from '@kubemate/plugin-kubemate-common';
import {
  IdentityMappingOptions,
  mapBackstageUser,
} from '@kubemate/plugin-kubemate-node';
import { Role, SyncObjectKind } from '@kubemate/plugin-rbac-common';
import { RbacV1Subject, V1PolicyRule } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import {
  INSTANCE_LABEL,
  kubernetesRoleName,
  labelsOf,
  MANAGED_BY_LABEL,
  RBAC_GROUP,
  ROLE_LABEL,
  serviceAccountName,
  USER_ANNOTATION,
} from './naming';

/** A role to sync: its Kubernetes rules and the users its members stand for. */
export interface RoleToSync {
  role: Role;
  users: string[];
  rules: KubernetesPolicyRule[];
}

/** Where and how the objects are named and labelled. */
export interface PlanOptions {
  /** Portal instance name: prefixes object names and labels them, so instances never collide. */
  instance: string;
  /** Namespace of the users' ServiceAccounts. */
  serviceAccountNamespace: string;
  /** How a portal user impersonates on the clusters (the binding's User subject). */
  identity: IdentityMappingOptions;
}

/** An object the sync wants on a cluster. */
export interface DesiredObject {
  kind: SyncObjectKind;
  namespace?: string;
  name: string;
  role?: string;
  /** Comparable content (rules / roleRef+subjects / labels); its hash marks what was applied. */
  content: unknown;
  body: any;
}

/** A managed object as read from the apiserver, its content normalised like {@link DesiredObject}. */
export interface ObservedObject {
  kind: SyncObjectKind;
  namespace?: string;
  name: string;
  content: unknown;
  raw: any;
}

export const keyOf = (o: { kind: string; namespace?: string; name: string }) =>
  `${o.kind}/${o.namespace ?? ''}/${o.name}`;

export const hashOf = (v: unknown) =>
  createHash('sha256').update(JSON.stringify(v)).digest('hex').slice(0, 16);

const normRules = (rules: V1PolicyRule[] | undefined) =>
  (rules ?? []).map(r => ({
    apiGroups: [...(r.apiGroups ?? [])].sort(),
    resources: [...(r.resources ?? [])].sort(),
    verbs: [...(r.verbs ?? [])].sort(),
  }));

const normSubjects = (s: RbacV1Subject[] | undefined) =>
  (s ?? [])
    .map(x => ({ kind: x.kind, name: x.name, namespace: x.namespace ?? '' }))
    .sort((a, b) =>
      `${a.kind}/${a.namespace}/${a.name}`.localeCompare(
        `${b.kind}/${b.namespace}/${b.name}`,
      ),
    );

/** Binding subjects of users: the impersonation identity the portal uses and the ServiceAccount. */
export function subjectsFor(
  users: string[],
  options: PlanOptions,
): RbacV1Subject[] {
  return users.flatMap(u => [
    {
      kind: 'User',
      apiGroup: RBAC_GROUP,
      name: mapBackstageUser(
        { userEntityRef: u, ownershipEntityRefs: [] },
        options.identity,
      ).user,
    },
    {
      kind: 'ServiceAccount',
      name: serviceAccountName(u),
      namespace: options.serviceAccountNamespace,
    },
  ]);
}

/**
 * The objects one cluster should have, in apply order: the ServiceAccount namespace and one
 * ServiceAccount per user (when any user is bound), then per role a Role + RoleBinding in each of
 * the cluster's namespaces its scope covers, or a ClusterRole + ClusterRoleBinding for scope all.
 */
export function planCluster(
  roles: RoleToSync[],
  namespaces: string[],
  options: PlanOptions,
): DesiredObject[] {
  const out: DesiredObject[] = [];
  const saNs = options.serviceAccountNamespace;
  const labels = (role?: string) => labelsOf(options.instance, role);
  const users = [...new Set(roles.flatMap(r => r.users))].sort();
  if (users.length) {
    out.push({
      kind: 'Namespace',
      name: saNs,
      content: labels(),
      body: { metadata: { name: saNs, labels: labels() } },
    });
  }
  for (const u of users) {
    const name = serviceAccountName(u);
    out.push({
      kind: 'ServiceAccount',
      namespace: saNs,
      name,
      content: labels(),
      body: {
        metadata: {
          name,
          namespace: saNs,
          labels: labels(),
          annotations: { [USER_ANNOTATION]: u },
        },
      },
    });
  }
  for (const { role, users: members, rules } of roles) {
    const name = kubernetesRoleName(role.name, options.instance);
    const subjects = subjectsFor(members, options);
    const targets =
      role.scope.type === 'all'
        ? [undefined]
        : namespaces.filter(ns =>
            namespaceInScope(
              (role.scope as { namespaces: string[] }).namespaces,
              ns,
            ),
          );
    for (const namespace of targets) {
      const roleKind: SyncObjectKind = namespace ? 'Role' : 'ClusterRole';
      const bindingKind: SyncObjectKind = namespace
        ? 'RoleBinding'
        : 'ClusterRoleBinding';
      const metadata = {
        name,
        ...(namespace ? { namespace } : {}),
        labels: labels(role.name),
      };
      out.push({
        kind: roleKind,
        namespace,
        name,
        role: role.name,
        content: { labels: labels(role.name), rules: normRules(rules) },
        body: { metadata, rules },
      });
      const roleRef = { apiGroup: RBAC_GROUP, kind: roleKind, name };
      out.push({
        kind: bindingKind,
        namespace,
        name,
        role: role.name,
        content: {
          labels: labels(role.name),
          roleRef,
          subjects: normSubjects(subjects),
        },
        body: { metadata, roleRef, subjects },
      });
    }
  }
  return out;
}

const pickLabels = (metadata: any) => {
  const l = metadata?.labels ?? {};
  return Object.fromEntries(
    [MANAGED_BY_LABEL, INSTANCE_LABEL, ROLE_LABEL]
      .filter(k => k in l)
      .map(k => [k, l[k]]),
  );
};

/** A managed object read from the apiserver, with its content normalised for comparison. */
export function observe(kind: SyncObjectKind, o: any): ObservedObject {
  const base = {
    kind,
    namespace: o.metadata?.namespace,
    name: o.metadata!.name!,
    raw: o,
  };
  switch (kind) {
    case 'ClusterRole':
    case 'Role':
      return {
        ...base,
        content: { labels: pickLabels(o.metadata), rules: normRules(o.rules) },
      };
    case 'ClusterRoleBinding':
    case 'RoleBinding':
      return {
        ...base,
        content: {
          labels: pickLabels(o.metadata),
          roleRef: {
            apiGroup: o.roleRef.apiGroup,
            kind: o.roleRef.kind,
            name: o.roleRef.name,
          },
          subjects: normSubjects(o.subjects),
        },
      };
    case 'Namespace':
      return { ...base, namespace: undefined, content: pickLabels(o.metadata) };
    default:
      return { ...base, content: pickLabels(o.metadata) };
  }
}
