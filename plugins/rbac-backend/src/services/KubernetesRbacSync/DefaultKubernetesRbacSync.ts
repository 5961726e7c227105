import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ClusterRegistryService, IdentityMappingOptions, makeKubeConfig, mapBackstageUser } from '@kubemate/plugin-kubemate-node';
import { Role, RoleSyncState, SyncChange, SyncObjectKind, SyncStatusResponse } from '@kubemate/plugin-rbac-common';
import {
  CoreV1Api,
  RbacAuthorizationV1Api,
  RbacV1Subject,
  V1PolicyRule,
} from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { RbacAuditLog } from './AuditLog';
import { Membership } from './Membership';
import { RoleStore } from './RoleStore';
import { KubernetesPolicyRule, namespaceInScope } from '@kubemate/plugin-kubemate-common';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubemate-rbac';
export const ROLE_LABEL = 'rbac.kubemate.io/role';
export const INSTANCE_LABEL = 'rbac.kubemate.io/instance';
export const HASH_ANNOTATION = 'rbac.kubemate.io/applied-hash';
const RBAC_GROUP = 'rbac.authorization.k8s.io';
export const SYNC_ACTOR = 'kubemate-rbac-reconciler';

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
  const merged = new Map<string, { apiGroups: string[]; resources: string[]; verbs: Set<string> }>();
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
    `${a.apiGroups[0]}|${a.resources[0]}`.localeCompare(`${b.apiGroups[0]}|${b.resources[0]}`),
  )) {
    const verbs = [...e.verbs].sort();
    const key = `${e.apiGroups[0]}|${verbs.join(',')}`;
    const rule = byVerbs.get(key) ?? { apiGroups: e.apiGroups, resources: [], verbs };
    rule.resources.push(...e.resources);
    byVerbs.set(key, rule);
  }
  return [...byVerbs.values()];
}

type Desired = {
  kind: SyncObjectKind;
  namespace?: string;
  name: string;
  role?: string;
  /** comparable content (rules / roleRef+subjects / labels) */
  content: unknown;
  body: any;
};

type Actual = { kind: SyncObjectKind; namespace?: string; name: string; content: unknown; raw: any };

const keyOf = (o: { kind: string; namespace?: string; name: string }) =>
  `${o.kind}/${o.namespace ?? ''}/${o.name}`;
const hashOf = (v: unknown) =>
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
    .sort((a, b) => `${a.kind}/${a.namespace}/${a.name}`.localeCompare(`${b.kind}/${b.namespace}/${b.name}`));

interface ClusterApis {
  name: string;
  rbac: RbacAuthorizationV1Api;
  core: CoreV1Api;
}

export interface SyncRun {
  startedAt: string;
  finishedAt: string;
  changes: SyncChange[];
  drift: SyncChange[];
  errors: Array<{ cluster: string; error: string }>;
}

/**
 * Keeps Kubernetes RBAC in line with the portal roles, on every cluster with sync credentials:
 *  - a ServiceAccount (namespace `kubemate-users`) per user bound to a role with Kubernetes rules;
 *  - namespace-scoped role: a Role + RoleBinding `kubemate:<role>` in each namespace of its scope;
 *  - all-namespaces role: a ClusterRole + ClusterRoleBinding `kubemate:<role>`;
 *  - subjects: each member user as the impersonation identity the portal uses
 *    (`kubemate:user:<name>`) and as its ServiceAccount.
 * Everything it creates carries `app.kubernetes.io/managed-by=kubemate-rbac`; it lists, changes
 * and deletes only objects with that label. A hand-deleted or hand-edited object it had applied is
 * restored and reported as drift (and audited).
 */
export class KubernetesRbacSync {
  private readonly apis: ClusterApis[];
  /** What the previous runs applied: object key -> content hash, per cluster. */
  private readonly applied = new Map<string, Map<string, string>>();
  private lastRun?: SyncRun;
  private lastRoles: RoleSyncState[] = [];
  private recentDrift: Array<SyncChange & { at: string }> = [];
  private recentChanges: Array<SyncChange & { at: string }> = [];
  private running?: Promise<SyncRun>;
  private queued?: Promise<SyncRun>;

  constructor(
    private readonly deps: {
      clusters: ClusterRegistryService;
      roles: RoleStore;
      membership: Membership;
      identity: IdentityMappingOptions;
      audit: RbacAuditLog;
      logger: LoggerService;
      credentials: Map<string, string>;
      /** Kubernetes rules of each permission, as the capabilities contributed them. */
      kubernetesRules: Record<string, KubernetesPolicyRule[]>;
      serviceAccountNamespace: string;
      /** Portal instance name: prefixes object names and labels them, so instances never collide. */
      instance: string;
    },
  ) {
    this.apis = deps.clusters
      .listClusters()
      .filter(c => deps.credentials.has(c.name))
      .map(c => {
        const kc = makeKubeConfig({ ...c, serviceAccountToken: deps.credentials.get(c.name) });
        return {
          name: c.name,
          rbac: kc.makeApiClient(RbacAuthorizationV1Api),
          core: kc.makeApiClient(CoreV1Api),
        };
      });
  }

  get configuredClusters(): string[] {
    return this.apis.map(a => a.name);
  }

  status(): SyncStatusResponse {
    return {
      lastRun: this.lastRun,
      roles: this.lastRoles,
      recentChanges: this.recentChanges,
      recentDrift: this.recentDrift,
    };
  }

  /** Runs a reconciliation; concurrent requests are coalesced into one follow-up run. */
  reconcile(): Promise<SyncRun> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    if (!this.queued) {
      this.queued = this.running.then(
        () => undefined,
        () => undefined,
      ).then(() => {
        this.queued = undefined;
        return this.reconcile();
      });
    }
    return this.queued;
  }

  private subjectsFor(users: string[]): RbacV1Subject[] {
    return users.flatMap(u => [
      {
        kind: 'User',
        apiGroup: RBAC_GROUP,
        name: mapBackstageUser({ userEntityRef: u, ownershipEntityRefs: [] }, this.deps.identity)
          .user,
      },
      {
        kind: 'ServiceAccount',
        name: serviceAccountName(u),
        namespace: this.deps.serviceAccountNamespace,
      },
    ]);
  }

  private labels(role?: string) {
    return {
      [MANAGED_BY_LABEL]: MANAGED_BY,
      [INSTANCE_LABEL]: this.deps.instance,
      ...(role ? { [ROLE_LABEL]: role } : {}),
    };
  }

  private desiredFor(
    roles: Array<{ role: Role; users: string[]; rules: KubernetesPolicyRule[] }>,
    namespaces: string[],
  ): Desired[] {
    const out: Desired[] = [];
    const saNs = this.deps.serviceAccountNamespace;
    const users = [...new Set(roles.flatMap(r => r.users))].sort();
    if (users.length) {
      out.push({
        kind: 'Namespace',
        name: saNs,
        content: this.labels(),
        body: { metadata: { name: saNs, labels: this.labels() } },
      });
    }
    for (const u of users) {
      const name = serviceAccountName(u);
      out.push({
        kind: 'ServiceAccount',
        namespace: saNs,
        name,
        content: this.labels(),
        body: {
          metadata: {
            name,
            namespace: saNs,
            labels: this.labels(),
            annotations: { 'rbac.kubemate.io/user': u },
          },
        },
      });
    }
    for (const { role, users: members, rules } of roles) {
      const name = kubernetesRoleName(role.name, this.deps.instance);
      const subjects = this.subjectsFor(members);
      const targets =
        role.scope.type === 'all'
          ? [undefined]
          : namespaces.filter(ns =>
              namespaceInScope((role.scope as { namespaces: string[] }).namespaces, ns),
            );
      for (const namespace of targets) {
        const roleKind: SyncObjectKind = namespace ? 'Role' : 'ClusterRole';
        const bindingKind: SyncObjectKind = namespace ? 'RoleBinding' : 'ClusterRoleBinding';
        const metadata = { name, ...(namespace ? { namespace } : {}), labels: this.labels(role.name) };
        out.push({
          kind: roleKind,
          namespace,
          name,
          role: role.name,
          content: { labels: this.labels(role.name), rules: normRules(rules) },
          body: { metadata, rules },
        });
        const roleRef = { apiGroup: RBAC_GROUP, kind: roleKind, name };
        out.push({
          kind: bindingKind,
          namespace,
          name,
          role: role.name,
          content: { labels: this.labels(role.name), roleRef, subjects: normSubjects(subjects) },
          body: { metadata, roleRef, subjects },
        });
      }
    }
    return out;
  }

  private async listActual(api: ClusterApis): Promise<Actual[]> {
    const labelSelector = `${MANAGED_BY_LABEL}=${MANAGED_BY},${INSTANCE_LABEL}=${this.deps.instance}`;
    const saNs = this.deps.serviceAccountNamespace;
    const pickLabels = (m: any) => {
      const l = m?.labels ?? {};
      return Object.fromEntries(
        [MANAGED_BY_LABEL, INSTANCE_LABEL, ROLE_LABEL].filter(k => k in l).map(k => [k, l[k]]),
      );
    };
    const [crs, crbs, rs, rbs, sas, ns] = await Promise.all([
      api.rbac.listClusterRole({ labelSelector }),
      api.rbac.listClusterRoleBinding({ labelSelector }),
      api.rbac.listRoleForAllNamespaces({ labelSelector }),
      api.rbac.listRoleBindingForAllNamespaces({ labelSelector }),
      api.core.listNamespacedServiceAccount({ namespace: saNs, labelSelector }),
      api.core.listNamespace({ labelSelector }),
    ]);
    const out: Actual[] = [];
    const roleLike = (kind: SyncObjectKind, items: any[]) =>
      items.forEach(o =>
        out.push({
          kind,
          namespace: o.metadata?.namespace,
          name: o.metadata!.name!,
          content: { labels: pickLabels(o.metadata), rules: normRules(o.rules) },
          raw: o,
        }),
      );
    const bindingLike = (kind: SyncObjectKind, items: any[]) =>
      items.forEach(o =>
        out.push({
          kind,
          namespace: o.metadata?.namespace,
          name: o.metadata!.name!,
          content: {
            labels: pickLabels(o.metadata),
            roleRef: { apiGroup: o.roleRef.apiGroup, kind: o.roleRef.kind, name: o.roleRef.name },
            subjects: normSubjects(o.subjects),
          },
          raw: o,
        }),
      );
    roleLike('ClusterRole', crs.items);
    bindingLike('ClusterRoleBinding', crbs.items);
    roleLike('Role', rs.items);
    bindingLike('RoleBinding', rbs.items);
    sas.items.forEach(o =>
      out.push({ kind: 'ServiceAccount', namespace: saNs, name: o.metadata!.name!, content: pickLabels(o.metadata), raw: o }),
    );
    ns.items.forEach(o =>
      out.push({ kind: 'Namespace', name: o.metadata!.name!, content: pickLabels(o.metadata), raw: o }),
    );
    return out;
  }

  private async create(api: ClusterApis, d: Desired): Promise<void> {
    const body = {
      ...d.body,
      metadata: { ...d.body.metadata, annotations: { ...d.body.metadata.annotations, [HASH_ANNOTATION]: hashOf(d.content) } },
    };
    const ns = d.namespace!;
    switch (d.kind) {
      case 'Namespace':
        await api.core.createNamespace({ body });
        return;
      case 'ServiceAccount':
        await api.core.createNamespacedServiceAccount({ namespace: ns, body });
        return;
      case 'ClusterRole':
        await api.rbac.createClusterRole({ body });
        return;
      case 'ClusterRoleBinding':
        await api.rbac.createClusterRoleBinding({ body });
        return;
      case 'Role':
        await api.rbac.createNamespacedRole({ namespace: ns, body });
        return;
      case 'RoleBinding':
        await api.rbac.createNamespacedRoleBinding({ namespace: ns, body });
        return;
      default:
        throw new Error(`unknown kind ${d.kind}`);
    }
  }

  private async remove(api: ClusterApis, o: { kind: SyncObjectKind; namespace?: string; name: string }) {
    const { name } = o;
    const namespace = o.namespace!;
    switch (o.kind) {
      case 'Namespace':
        await api.core.deleteNamespace({ name });
        return;
      case 'ServiceAccount':
        await api.core.deleteNamespacedServiceAccount({ name, namespace });
        return;
      case 'ClusterRole':
        await api.rbac.deleteClusterRole({ name });
        return;
      case 'ClusterRoleBinding':
        await api.rbac.deleteClusterRoleBinding({ name });
        return;
      case 'Role':
        await api.rbac.deleteNamespacedRole({ name, namespace });
        return;
      case 'RoleBinding':
        await api.rbac.deleteNamespacedRoleBinding({ name, namespace });
        return;
      default:
        throw new Error(`unknown kind ${o.kind}`);
    }
  }

  /** Replace (or, for a binding whose immutable roleRef changed, delete and create). */
  private async replace(api: ClusterApis, d: Desired, actual: Actual): Promise<void> {
    const body = {
      ...d.body,
      metadata: {
        ...actual.raw.metadata,
        ...d.body.metadata,
        labels: { ...actual.raw.metadata?.labels, ...d.body.metadata.labels },
        annotations: {
          ...actual.raw.metadata?.annotations,
          ...d.body.metadata.annotations,
          [HASH_ANNOTATION]: hashOf(d.content),
        },
      },
    };
    const { name } = d;
    const namespace = d.namespace!;
    switch (d.kind) {
      case 'Namespace':
        await api.core.replaceNamespace({ name, body: { ...actual.raw, metadata: body.metadata } });
        return;
      case 'ServiceAccount':
        await api.core.replaceNamespacedServiceAccount({ name, namespace, body: { ...actual.raw, metadata: body.metadata } });
        return;
      case 'ClusterRole':
        await api.rbac.replaceClusterRole({ name, body });
        return;
      case 'Role':
        await api.rbac.replaceNamespacedRole({ name, namespace, body });
        return;
      case 'ClusterRoleBinding':
      case 'RoleBinding': {
        const a = actual.content as { roleRef: unknown };
        const want = d.content as { roleRef: unknown };
        if (JSON.stringify(a.roleRef) !== JSON.stringify(want.roleRef)) {
          await this.remove(api, d);
          await this.create(api, d);
          return;
        }
        if (d.kind === 'RoleBinding') {
          await api.rbac.replaceNamespacedRoleBinding({ name, namespace, body });
        } else {
          await api.rbac.replaceClusterRoleBinding({ name, body });
        }
        return;
      }
      default:
        throw new Error(`unknown kind ${d.kind}`);
    }
  }

  private async syncCluster(
    api: ClusterApis,
    roles: Array<{ role: Role; users: string[]; rules: KubernetesPolicyRule[] }>,
    changes: SyncChange[],
  ): Promise<Map<string, number>> {
    const namespaces = (await api.core.listNamespace()).items
      .filter(n => n.status?.phase !== 'Terminating')
      .map(n => n.metadata!.name!);
    const desired = this.desiredFor(roles, namespaces);
    const actual = new Map((await this.listActual(api)).map(a => [keyOf(a), a]));
    const applied = this.applied.get(api.name) ?? new Map<string, string>();
    const nextApplied = new Map<string, string>();
    const perRole = new Map<string, number>();
    for (const d of desired) {
      const key = keyOf(d);
      const hash = hashOf(d.content);
      const a = actual.get(key);
      actual.delete(key);
      const base = { cluster: api.name, kind: d.kind, namespace: d.namespace, name: d.name, role: d.role };
      const wasApplied = applied.get(key) === hash;
      if (!a) {
        try {
          await this.create(api, d);
        } catch (e: any) {
          if (e?.code !== 409) throw e;
          // exists without our label (label removed by hand): take it back under management
          changes.push({ ...base, change: 'restored', detail: 'managed-by label removed by hand; re-labelled' });
          await this.adopt(api, d);
          nextApplied.set(key, hash);
          continue;
        }
        changes.push(
          wasApplied
            ? { ...base, change: 'restored', detail: 'deleted by hand; re-created' }
            : { ...base, change: 'created' },
        );
      } else if (JSON.stringify(a.content) !== JSON.stringify(d.content)) {
        await this.replace(api, d, a);
        const ownHash = a.raw.metadata?.annotations?.[HASH_ANNOTATION];
        changes.push(
          wasApplied || ownHash === hash
            ? { ...base, change: 'restored', detail: 'edited by hand; reverted' }
            : { ...base, change: 'updated' },
        );
      }
      nextApplied.set(key, hash);
      if (d.role) perRole.set(d.role, (perRole.get(d.role) ?? 0) + 1);
    }
    // owned objects nothing wants any more: bindings first, then roles, accounts, namespace
    const order: SyncObjectKind[] = ['RoleBinding', 'ClusterRoleBinding', 'Role', 'ClusterRole', 'ServiceAccount', 'Namespace'];
    const leftovers = [...actual.values()].sort((x, y) => order.indexOf(x.kind) - order.indexOf(y.kind));
    for (const o of leftovers) {
      if (o.kind === 'Namespace') continue; // never delete a namespace, even our own
      await this.remove(api, o);
      changes.push({
        cluster: api.name,
        kind: o.kind,
        namespace: o.namespace,
        name: o.name,
        role: o.raw.metadata?.labels?.[ROLE_LABEL],
        change: 'deleted',
      });
    }
    this.applied.set(api.name, nextApplied);
    return perRole;
  }

  private async adopt(api: ClusterApis, d: Desired) {
    const read: Record<string, () => Promise<any>> = {
      Namespace: () => api.core.readNamespace({ name: d.name }),
      ServiceAccount: () => api.core.readNamespacedServiceAccount({ name: d.name, namespace: d.namespace! }),
      ClusterRole: () => api.rbac.readClusterRole({ name: d.name }),
      ClusterRoleBinding: () => api.rbac.readClusterRoleBinding({ name: d.name }),
      Role: () => api.rbac.readNamespacedRole({ name: d.name, namespace: d.namespace! }),
      RoleBinding: () => api.rbac.readNamespacedRoleBinding({ name: d.name, namespace: d.namespace! }),
    };
    const raw = await read[d.kind]();
    await this.replace(api, d, { kind: d.kind, namespace: d.namespace, name: d.name, content: {}, raw });
  }

  private async run(): Promise<SyncRun> {
    const startedAt = new Date().toISOString();
    const changes: SyncChange[] = [];
    const errors: SyncRun['errors'] = [];
    const { items } = await this.deps.roles.list({ fresh: true });
    const roles = await Promise.all(
      items.map(async role => ({
        role,
        rules: kubernetesRulesFor(role.permissions, this.deps.kubernetesRules),
        users: await this.deps.membership.usersOf(role.members, { fresh: true }),
      })),
    );
    const active = roles.filter(r => r.rules.length && r.users.length);
    const perCluster = new Map<string, Map<string, number> | Error>();
    for (const api of this.apis) {
      try {
        perCluster.set(api.name, await this.syncCluster(api, active, changes));
      } catch (e: any) {
        const message = `${api.name}: ${e?.body?.message ?? e?.message ?? String(e)}`;
        errors.push({ cluster: api.name, error: message });
        perCluster.set(api.name, new Error(message));
        this.deps.logger.error(`Kubernetes RBAC sync failed on ${message}`);
      }
    }
    const drift = changes.filter(c => c.change === 'restored');
    const at = new Date().toISOString();
    for (const d of drift) {
      await this.deps.audit.record({
        actor: SYNC_ACTOR,
        action: 'sync.drift-restored',
        role: d.role,
        after: d,
        message: `${d.cluster}: ${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name} ${d.detail}`,
      });
    }
    this.recentDrift = [...drift.map(d => ({ ...d, at })), ...this.recentDrift].slice(0, 100);
    this.recentChanges = [...changes.map(c => ({ ...c, at })), ...this.recentChanges].slice(0, 500);
    this.lastRoles = roles.map(({ role, rules, users }) => ({
      role: role.name,
      clusters: this.deps.clusters.listClusters().map(c => {
        const result = perCluster.get(c.name);
        if (!result) return { cluster: c.name, state: 'not-configured' as const, objects: 0 };
        if (result instanceof Error) {
          return { cluster: c.name, state: 'error' as const, objects: 0, error: result.message };
        }
        if (!rules.length || !users.length) {
          return { cluster: c.name, state: 'nothing-to-sync' as const, objects: 0 };
        }
        return { cluster: c.name, state: 'in-sync' as const, objects: result.get(role.name) ?? 0 };
      }),
    }));
    const run = { startedAt, finishedAt: at, changes, drift, errors };
    this.lastRun = run;
    if (changes.length) {
      this.deps.logger.info(
        `Kubernetes RBAC sync: ${changes.length} change(s), ${drift.length} drift repair(s)`,
      );
    }
    return run;
  }
}
