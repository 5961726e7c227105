import { LoggerService } from '@backstage/backend-plugin-api';
import { KubernetesPolicyRule } from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  IdentityMappingOptions,
  makeKubeConfig,
} from '@kubemate/plugin-kubemate-node';
import { SyncChange, SyncStatusResponse } from '@kubemate/plugin-rbac-common';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { RbacAuditLog } from '../AuditLog';
import { Membership } from '../Membership';
import { RoleStore } from '../RoleStore';
import { ClusterApplier } from './ClusterApplier';
import { diffCluster } from './diff';
import { kubernetesRulesFor } from './naming';
import { PlanOptions, planCluster, RoleToSync } from './plan';
import { KubernetesRbacSync, SyncRun, SyncStatusStore } from './types';

export const SYNC_ACTOR = 'kubemate-rbac-reconciler';

/** What the sync needs of a cluster: its namespaces, the managed objects, applying a diff. */
export type ClusterSyncTarget = Pick<
  ClusterApplier,
  'cluster' | 'namespaces' | 'observe' | 'apply'
>;

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
 * Nothing of it lives only in this process: what the runs applied, their results and the status
 * every replica reports are in the {@link SyncStatusStore} (the plugin database), so whichever
 * replica runs the scheduled sync, the others see it and tell drift the same way.
 *
 * What should exist and how it differs from what is there is planned by the pure functions of
 * `plan.ts`; a {@link ClusterApplier} per cluster reads and writes the apiserver.
 */
export class DefaultKubernetesRbacSync implements KubernetesRbacSync {
  private readonly appliers: ClusterSyncTarget[];
  private readonly plan: PlanOptions;
  /** This replica's run in progress (and one queued after it): coalesces triggers. */
  private running?: Promise<SyncRun>;
  private queued?: Promise<SyncRun>;

  constructor(
    private readonly deps: {
      clusters: ClusterRegistryService;
      roles: RoleStore;
      membership: Membership;
      identity: IdentityMappingOptions;
      audit: RbacAuditLog;
      /** Runs, their results and what they applied (shared by the replicas). */
      store: SyncStatusStore;
      logger: LoggerService;
      credentials: Map<string, string>;
      /** Kubernetes rules of each permission, as the capabilities contributed them. */
      kubernetesRules: Record<string, KubernetesPolicyRule[]>;
      serviceAccountNamespace: string;
      /** Portal instance name: prefixes object names and labels them, so instances never collide. */
      instance: string;
      /** How a cluster is reached with its sync token (default: a ClusterApplier; tests pass fakes). */
      targetFor?: (
        cluster: ReturnType<ClusterRegistryService['listClusters']>[number],
        serviceAccountToken: string,
      ) => ClusterSyncTarget;
    },
  ) {
    this.plan = {
      instance: deps.instance,
      serviceAccountNamespace: deps.serviceAccountNamespace,
      identity: deps.identity,
    };
    this.appliers = deps.clusters
      .listClusters()
      .filter(c => deps.credentials.has(c.name))
      .map(c =>
        (deps.targetFor ?? this.applierFor)(c, deps.credentials.get(c.name)!),
      );
  }

  private readonly applierFor = (
    c: ReturnType<ClusterRegistryService['listClusters']>[number],
    serviceAccountToken: string,
  ): ClusterSyncTarget => {
    const kc = makeKubeConfig({ ...c, serviceAccountToken });
    return new ClusterApplier(
      c.name,
      kc.makeApiClient(RbacAuthorizationV1Api),
      kc.makeApiClient(CoreV1Api),
      this.plan,
    );
  };

  get configuredClusters(): string[] {
    return this.appliers.map(a => a.cluster);
  }

  status(): Promise<SyncStatusResponse> {
    return this.deps.store.status();
  }

  reconcile(): Promise<SyncRun> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = undefined;
      });
      return this.running;
    }
    if (!this.queued) {
      this.queued = this.running
        .then(
          () => undefined,
          () => undefined,
        )
        .then(() => {
          this.queued = undefined;
          return this.reconcile();
        });
    }
    return this.queued;
  }

  private async syncCluster(
    applier: ClusterSyncTarget,
    roles: RoleToSync[],
    changes: SyncChange[],
  ): Promise<Map<string, number>> {
    const desired = planCluster(roles, await applier.namespaces(), this.plan);
    const diff = diffCluster(
      applier.cluster,
      desired,
      await applier.observe(),
      await this.deps.store.applied(applier.cluster),
    );
    const perRole = await applier.apply(diff, changes);
    await this.deps.store.setApplied(applier.cluster, diff.applied);
    return perRole;
  }

  private async run(): Promise<SyncRun> {
    const startedAt = new Date().toISOString();
    const changes: SyncChange[] = [];
    const errors: SyncRun['errors'] = [];
    const { items } = await this.deps.roles.list({ fresh: true });
    const roles: RoleToSync[] = await Promise.all(
      items.map(async role => ({
        role,
        rules: kubernetesRulesFor(role.permissions, this.deps.kubernetesRules),
        users: await this.deps.membership.usersOf(role.members, {
          fresh: true,
        }),
      })),
    );
    const active = roles.filter(r => r.rules.length && r.users.length);
    const perCluster = new Map<string, Map<string, number> | Error>();
    for (const applier of this.appliers) {
      try {
        perCluster.set(
          applier.cluster,
          await this.syncCluster(applier, active, changes),
        );
      } catch (e: any) {
        const message = `${applier.cluster}: ${
          e?.body?.message ?? e?.message ?? String(e)
        }`;
        errors.push({ cluster: applier.cluster, error: message });
        perCluster.set(applier.cluster, new Error(message));
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
        message: `${d.cluster}: ${d.kind} ${
          d.namespace ? `${d.namespace}/` : ''
        }${d.name} ${d.detail}`,
      });
    }
    const roleStates = roles.map(({ role, rules, users }) => ({
      role: role.name,
      clusters: this.deps.clusters.listClusters().map(c => {
        const result = perCluster.get(c.name);
        if (!result) {
          return {
            cluster: c.name,
            state: 'not-configured' as const,
            objects: 0,
          };
        }
        if (result instanceof Error) {
          return {
            cluster: c.name,
            state: 'error' as const,
            objects: 0,
            error: result.message,
          };
        }
        if (!rules.length || !users.length) {
          return {
            cluster: c.name,
            state: 'nothing-to-sync' as const,
            objects: 0,
          };
        }
        return {
          cluster: c.name,
          state: 'in-sync' as const,
          objects: result.get(role.name) ?? 0,
        };
      }),
    }));
    const run = { startedAt, finishedAt: at, changes, drift, errors };
    await this.deps.store.record(run, roleStates);
    if (changes.length) {
      this.deps.logger.info(
        `Kubernetes RBAC sync: ${changes.length} change(s), ${drift.length} drift repair(s)`,
      );
    }
    return run;
  }
}
