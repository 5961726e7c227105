/*
 * The pure half of the Kubernetes RBAC sync: from roles, their users, a cluster's namespaces and
 * the Kubernetes rules the capabilities contributed, the objects that should exist (names, labels,
 * bodies, content hashes); how the objects read from an apiserver compare; and the steps that turn
 * what is there into what should be (created / updated / restored / deleted). No I/O here: the
 * applier (ClusterApplier) reads and writes the apiserver.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import {
  KubernetesPolicyRule,
  namespaceInScope,
} from '@kubemate/plugin-kubemate-common';
import {
  IdentityMappingOptions,
  mapBackstageUser,
} from '@kubemate/plugin-kubemate-node';
import { Role, SyncChange, SyncObjectKind } from '@kubemate/plugin-rbac-common';
import { RbacV1Subject, V1PolicyRule } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubemate-rbac';
export const ROLE_LABEL = 'rbac.kubemate.io/role';
export const INSTANCE_LABEL = 'rbac.kubemate.io/instance';
export const HASH_ANNOTATION = 'rbac.kubemate.io/applied-hash';
export const USER_ANNOTATION = 'rbac.kubemate.io/user';
export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** Kubernetes object name of a role's Role/ClusterRole and its binding: `<instance>:<role>`. */
export const kubernetesRoleName = (role: string, instance = 'kubemate') =>
  `${instance}:${role}`;

/** ServiceAccount name of a user: `user:default/alice` -> `alice`, else `<ns>--<name>`. */
export function serviceAccountName(userRef: string): string {
  const { namespace, name } = parseEntityRef(userRef);
  const raw = namespace === 'default' ? name : `${namespace}--${name}`;
  return raw
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9.-]/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .slice(0, 253);
}

/** The Kubernetes rules of a set of platform permissions, merged and sorted (stable hashes). */
export function kubernetesRulesFor(
  permissions: string[],
  table: Record<string, KubernetesPolicyRule[]>,
): KubernetesPolicyRule[] {
  const names = permissions.includes('*') ? Object.keys(table) : permissions;
  const merged = new Map<
    string,
    { apiGroups: string[]; resources: string[]; verbs: Set<string> }
  >();
  for (const name of names) {
    for (const rule of table[name] ?? []) {
      for (const group of rule.apiGroups) {
        for (const resource of rule.resources) {
          const key = `${group}|${resource}`;
          const entry = merged.get(key) ?? {
            apiGroups: [group],
            resources: [resource],
            verbs: new Set<string>(),
          };
          rule.verbs.forEach(v => entry.verbs.add(v));
          merged.set(key, entry);
        }
      }
    }
  }
  // one rule per (group, verbs) with its resources
  const byVerbs = new Map<string, KubernetesPolicyRule>();
  for (const e of [...merged.values()].sort((a, b) =>
    `${a.apiGroups[0]}|${a.resources[0]}`.localeCompare(
      `${b.apiGroups[0]}|${b.resources[0]}`,
    ),
  )) {
    const verbs = [...e.verbs].sort();
    const key = `${e.apiGroups[0]}|${verbs.join(',')}`;
    const rule = byVerbs.get(key) ?? {
      apiGroups: e.apiGroups,
      resources: [],
      verbs,
    };
    rule.resources.push(...e.resources);
    byVerbs.set(key, rule);
  }
  return [...byVerbs.values()];
}

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

/** The labels of every managed object (with the role's for Roles and bindings). */
export function labelsOf(instance: string, role?: string) {
  return {
    [MANAGED_BY_LABEL]: MANAGED_BY,
    [INSTANCE_LABEL]: instance,
    ...(role ? { [ROLE_LABEL]: role } : {}),
  };
}

/** The label selector of this instance's managed objects. */
export const managedSelector = (instance: string) =>
  `${MANAGED_BY_LABEL}=${MANAGED_BY},${INSTANCE_LABEL}=${instance}`;

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

/** One step from what a cluster has to what it should have. */
export type SyncStep =
  | { op: 'keep'; desired: DesiredObject }
  | { op: 'create'; desired: DesiredObject; change: SyncChange }
  | {
      op: 'replace';
      desired: DesiredObject;
      observed: ObservedObject;
      change: SyncChange;
    }
  | { op: 'delete'; observed: ObservedObject; change: SyncChange };

export interface ClusterDiff {
  /** One step per desired object (in plan order), then the deletions (bindings first). */
  steps: SyncStep[];
  /** What is applied once every step succeeded: object key -> content hash. */
  applied: Map<string, string>;
}

/** Deletion order of leftovers: bindings first, then roles, accounts, namespace. */
const DELETE_ORDER: SyncObjectKind[] = [
  'RoleBinding',
  'ClusterRoleBinding',
  'Role',
  'ClusterRole',
  'ServiceAccount',
  'Namespace',
];

/**
 * Compares desired with observed objects. `previouslyApplied` (key -> hash of what the previous
 * run applied) tells drift from change: an object this sync had applied that is gone or differs
 * is `restored` (deleted / edited by hand); so is one whose applied-hash annotation matches what
 * is wanted. Leftover managed objects are deleted, except namespaces (never deleted, even ours).
 */
export function diffCluster(
  cluster: string,
  desired: DesiredObject[],
  observed: ObservedObject[],
  previouslyApplied: Map<string, string>,
): ClusterDiff {
  const actual = new Map(observed.map(a => [keyOf(a), a]));
  const applied = new Map<string, string>();
  const steps: SyncStep[] = [];
  for (const d of desired) {
    const key = keyOf(d);
    const hash = hashOf(d.content);
    const a = actual.get(key);
    actual.delete(key);
    const base = {
      cluster,
      kind: d.kind,
      namespace: d.namespace,
      name: d.name,
      role: d.role,
    };
    const wasApplied = previouslyApplied.get(key) === hash;
    applied.set(key, hash);
    if (!a) {
      steps.push({
        op: 'create',
        desired: d,
        change: wasApplied
          ? {
              ...base,
              change: 'restored',
              detail: 'deleted by hand; re-created',
            }
          : { ...base, change: 'created' },
      });
    } else if (JSON.stringify(a.content) !== JSON.stringify(d.content)) {
      const ownHash = a.raw.metadata?.annotations?.[HASH_ANNOTATION];
      steps.push({
        op: 'replace',
        desired: d,
        observed: a,
        change:
          wasApplied || ownHash === hash
            ? {
                ...base,
                change: 'restored',
                detail: 'edited by hand; reverted',
              }
            : { ...base, change: 'updated' },
      });
    } else {
      steps.push({ op: 'keep', desired: d });
    }
  }
  const leftovers = [...actual.values()]
    .filter(o => o.kind !== 'Namespace')
    .sort(
      (x, y) => DELETE_ORDER.indexOf(x.kind) - DELETE_ORDER.indexOf(y.kind),
    );
  for (const o of leftovers) {
    steps.push({
      op: 'delete',
      observed: o,
      change: {
        cluster,
        kind: o.kind,
        namespace: o.namespace,
        name: o.name,
        role: o.raw.metadata?.labels?.[ROLE_LABEL],
        change: 'deleted',
      },
    });
  }
  return { steps, applied };
}

/** The body to create: the desired one, annotated with its content hash. */
export function createBody(d: DesiredObject) {
  return {
    ...d.body,
    metadata: {
      ...d.body.metadata,
      annotations: {
        ...d.body.metadata.annotations,
        [HASH_ANNOTATION]: hashOf(d.content),
      },
    },
  };
}

/** The metadata to replace with: the observed one, with our labels, annotations and hash. */
export function replaceMetadata(d: DesiredObject, observed: { raw: any }) {
  return {
    ...observed.raw.metadata,
    ...d.body.metadata,
    labels: { ...observed.raw.metadata?.labels, ...d.body.metadata.labels },
    annotations: {
      ...observed.raw.metadata?.annotations,
      ...d.body.metadata.annotations,
      [HASH_ANNOTATION]: hashOf(d.content),
    },
  };
}
