import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
} from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  canaryReleaseAbortPermission,
  canaryReleaseApprovePermission,
  canaryReleaseStartPermission,
  GateState,
  GateType,
  ReleaseSummary,
  ReleaseTarget,
  StartReleaseRequest,
} from '@kubemate/plugin-canary-common';
import {
  clustersObjectRef,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentityService,
  requirePermission,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import {
  PatchStrategy,
  setHeaderOptions,
  V1Deployment,
} from '@kubernetes/client-node';
import {
  CANARIES,
  CanaryObject,
  declaresGate,
  revisionOf,
} from '../Gates/flagger';
import { GateStore } from '../Gates/types';
import { DEFAULT_TIMEOUT_MS, withTimeout } from '../Gates/timeout';
import { entityOfWorkload } from './entityOf';
import { ABORTABLE_PHASES, ACTIVE_PHASES, summarize } from './summary';
import { ReleaseActionsService } from './types';

/** Annotations a promotion leaves on the Canary until `spec.skipAnalysis` is reset. */
export const SKIP_ANALYSIS_BY = 'kubemate.io/skip-analysis-by';
export const SKIP_ANALYSIS_REVISION = 'kubemate.io/skip-analysis-revision';

const GATE_TYPES: GateType[] = [
  'confirm-rollout',
  'confirm-promotion',
  'rollback',
];
const MERGE_PATCH = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
const STRATEGIC_PATCH = setHeaderOptions(
  'Content-Type',
  PatchStrategy.StrategicMergePatch,
);

/** What an action reads before it acts: the Canary, its target and the entity they belong to. */
interface ReleaseContext {
  canary: CanaryObject;
  target?: V1Deployment;
  entityRef: string;
}

export interface DefaultReleaseActionsServiceOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
  logger: LoggerService;
  gates: GateStore;
  /** Deadline of one Kubernetes call (default 10 s). */
  timeoutMs?: number;
  /**
   * After "promote now", how often the Canary is polled until Flagger finished (Succeeded or
   * Failed) to set `spec.skipAnalysis` back to false, and for how long at most. `pollMs: 0`
   * disables the follow-up (a later start resets a left-over flag).
   */
  promotionFollowUp?: { pollMs?: number; maxMs?: number };
}

/**
 * Start, approve/hold, promote and abort a Flagger Canary. Every action checks its permission on
 * the Canary (`clusters-object` ref `<cluster>/<namespace>/canaries/<name>`), that the Canary's
 * target Deployment belongs to an entity the user can see, and is audited (refusals too).
 * Changes to cluster objects are made as the user (impersonation); gates live in the plugin
 * database and are opened for the Canary's current revision (`status.lastAppliedSpec`).
 *
 * "Promote now" sets `spec.skipAnalysis: true` as the user (Flagger v1.44 then copies the canary
 * to the primary at its next check and reports Succeeded, see its `shouldSkipAnalysis`), and opens
 * the declared confirm gates of the revision so a closed gate does not hold it first. Because
 * the flag would also skip the analysis of every later revision, the portal sets it back to false
 * (as the same user) once Flagger reports Succeeded or Failed; the Canary carries the
 * {@link SKIP_ANALYSIS_BY}/{@link SKIP_ANALYSIS_REVISION} annotations meanwhile, and a start
 * resets a flag left behind (e.g. the replica that promoted restarted).
 */
export class DefaultReleaseActionsService implements ReleaseActionsService {
  private readonly timeoutMs: number;
  private readonly followUps = new Set<NodeJS.Timeout>();

  constructor(private readonly options: DefaultReleaseActionsServiceOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Stops pending promotion follow-ups (shutdown, tests). */
  stop(): void {
    for (const t of this.followUps) clearTimeout(t);
    this.followUps.clear();
  }

  async start(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    request: StartReleaseRequest,
  ): Promise<ReleaseSummary> {
    return this.act(
      credentials,
      'canary.release.start',
      canaryReleaseStartPermission,
      target,
      async (ctx, clients) => {
        const { canary } = ctx;
        const deployment = ctx.target!;
        const phase = canary.status?.phase ?? '';
        if (ACTIVE_PHASES.includes(phase)) {
          throw new ConflictError(
            `${target.name} is already releasing (${phase}): abort or finish it first`,
          );
        }
        const containers = deployment.spec?.template?.spec?.containers ?? [];
        const container = request.container
          ? containers.find(c => c.name === request.container)
          : containers[0];
        if (!container) {
          throw new InputError(
            `container: Deployment ${
              deployment.metadata?.name
            } has no container ${request.container ?? ''}`.trim(),
          );
        }
        if (
          canary.spec?.skipAnalysis &&
          canary.metadata.annotations?.[SKIP_ANALYSIS_BY]
        ) {
          await this.resetSkipAnalysis(clients, target).catch(e => {
            throw new ConflictError(
              `${
                target.name
              } still has spec.skipAnalysis set by the promotion of ${
                canary.metadata.annotations?.[SKIP_ANALYSIS_BY]
              }; resetting it failed (${isError(e) ? e.message : e})`,
            );
          });
        }
        const annotations = request.annotations ?? {};
        const patched = await this.call(
          target.cluster,
          clients.apps.patchNamespacedDeployment(
            {
              name: deployment.metadata!.name!,
              namespace: target.namespace,
              body: {
                spec: {
                  template: {
                    ...(Object.keys(annotations).length
                      ? { metadata: { annotations } }
                      : {}),
                    spec: {
                      containers: [
                        { name: container.name, image: request.image },
                      ],
                    },
                  },
                },
              },
            },
            STRATEGIC_PATCH,
          ),
        );
        return {
          result: summarize(target.cluster, canary, {
            entityRef: ctx.entityRef,
            target: patched,
            gates: await this.gateStates(target, canary),
          }),
          message: `started ${request.image} on ${deployment.metadata?.name}/${
            container.name
          }${
            Object.keys(annotations).length
              ? ` (${Object.entries(annotations)
                  .map(([k, v]) => `${k}=${v}`)
                  .join(', ')})`
              : ''
          }`,
        };
      },
    );
  }

  async approve(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    gate: 'confirm-rollout' | 'confirm-promotion',
  ): Promise<GateState> {
    return this.setGate(credentials, target, gate, true);
  }

  async hold(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    gate: 'confirm-rollout' | 'confirm-promotion',
  ): Promise<GateState> {
    return this.setGate(credentials, target, gate, false);
  }

  async abort(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<GateState> {
    return this.act(
      credentials,
      'canary.release.abort',
      canaryReleaseAbortPermission,
      target,
      async ({ canary }, _clients, actor) => {
        if (!declaresGate(canary, target.cluster, 'rollback')) {
          throw new ConflictError(
            `${target.name} declares no rollback webhook pointing at the portal (/api/canary/gates/${target.cluster}/rollback)`,
          );
        }
        const phase = canary.status?.phase ?? '';
        if (!ABORTABLE_PHASES.includes(phase)) {
          throw new ConflictError(
            `${target.name} is ${
              phase || 'not started'
            }: Flagger rolls back only a release that is Progressing or WaitingPromotion`,
          );
        }
        const key = this.gateKey(target, canary, 'rollback');
        await this.options.gates.open(key, actor);
        return {
          result: {
            ...(await this.options.gates.get(key)),
            declared: true,
          },
          message: `opened the rollback gate of revision ${key.revision}: Flagger rolls back at its next check`,
        };
      },
    );
  }

  async promote(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<ReleaseSummary> {
    return this.act(
      credentials,
      'canary.release.promote',
      canaryReleaseApprovePermission,
      target,
      async (ctx, clients, actor) => {
        const { canary } = ctx;
        const phase = canary.status?.phase ?? '';
        if (!['Progressing', 'Waiting', 'WaitingPromotion'].includes(phase)) {
          throw new ConflictError(
            `${target.name} is ${
              phase || 'not started'
            }: only a release in analysis can be promoted`,
          );
        }
        const revision = this.revision(target, canary);
        const patched = (await this.call(
          target.cluster,
          clients.custom.patchNamespacedCustomObject(
            {
              ...CANARIES,
              namespace: target.namespace,
              name: target.name,
              body: {
                metadata: {
                  annotations: {
                    [SKIP_ANALYSIS_BY]: actor,
                    [SKIP_ANALYSIS_REVISION]: revision,
                  },
                },
                spec: { skipAnalysis: true },
              },
            },
            MERGE_PATCH,
          ),
        )) as CanaryObject;
        for (const gate of ['confirm-rollout', 'confirm-promotion'] as const) {
          if (declaresGate(canary, target.cluster, gate)) {
            await this.options.gates.open(
              { ...target, type: gate, revision },
              actor,
            );
          }
        }
        this.followPromotion(clients, target, revision, actor);
        return {
          result: summarize(target.cluster, patched, {
            entityRef: ctx.entityRef,
            target: ctx.target,
            gates: await this.gateStates(target, patched),
          }),
          message: `promoting revision ${revision} now (spec.skipAnalysis: true until Flagger finished)`,
        };
      },
    );
  }

  private async setGate(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    gate: 'confirm-rollout' | 'confirm-promotion',
    open: boolean,
  ): Promise<GateState> {
    return this.act(
      credentials,
      open ? 'canary.release.approve' : 'canary.release.hold',
      canaryReleaseApprovePermission,
      target,
      async ({ canary }, _clients, actor) => {
        if (!declaresGate(canary, target.cluster, gate)) {
          throw new ConflictError(
            `${target.name} declares no ${gate} webhook pointing at the portal (/api/canary/gates/${target.cluster}/${gate})`,
          );
        }
        const key = this.gateKey(target, canary, gate);
        if (open) await this.options.gates.open(key, actor);
        else await this.options.gates.close(key, actor);
        return {
          result: { ...(await this.options.gates.get(key)), declared: true },
          message: `${
            open ? 'opened' : 'closed'
          } the ${gate} gate of revision ${key.revision}`,
        };
      },
    );
  }

  private revision(target: ReleaseTarget, canary: CanaryObject): string {
    const revision = revisionOf(canary);
    if (!revision) {
      throw new ConflictError(
        `${target.name} has no revision yet (Flagger has not initialized it)`,
      );
    }
    return revision;
  }

  private gateKey(target: ReleaseTarget, canary: CanaryObject, type: GateType) {
    return {
      cluster: target.cluster,
      namespace: target.namespace,
      name: target.name,
      type,
      revision: this.revision(target, canary),
    };
  }

  private async gateStates(
    target: ReleaseTarget,
    canary: CanaryObject,
  ): Promise<GateState[]> {
    const revision = revisionOf(canary);
    return Promise.all(
      GATE_TYPES.map(async type => {
        const declared = declaresGate(canary, target.cluster, type);
        if (!revision) return { type, declared, open: false };
        return {
          ...(await this.options.gates.get({ ...target, type, revision })),
          declared,
        };
      }),
    );
  }

  /** A Kubernetes call with a deadline; errors converted (503 naming the cluster, 403, 404…). */
  private async call<T>(cluster: string, promise: Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        promise,
        this.timeoutMs,
        `Kubernetes cluster ${cluster}`,
      );
    } catch (e) {
      throw toBackstageError(e, cluster);
    }
  }

  /** Reads the Canary and its target with the portal's identity and resolves the entity. */
  private async context(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<ReleaseContext> {
    const portal = this.options.clusters.portalClients(target.cluster);
    const canary = (await this.call(
      target.cluster,
      portal.custom.getNamespacedCustomObject({
        ...CANARIES,
        namespace: target.namespace,
        name: target.name,
      }),
    )) as CanaryObject;
    const targetName = canary.spec?.targetRef?.name;
    if (
      !targetName ||
      (canary.spec?.targetRef?.kind ?? 'Deployment') !== 'Deployment'
    ) {
      throw new ConflictError(
        `${target.name} does not target a Deployment (spec.targetRef)`,
      );
    }
    const deployment = await this.call(
      target.cluster,
      portal.apps.readNamespacedDeployment({
        name: targetName,
        namespace: target.namespace,
      }),
    );
    const entityRef = await entityOfWorkload(
      this.options.catalog,
      credentials,
      {
        cluster: target.cluster,
        namespace: target.namespace,
        kind: 'Deployment',
        name: targetName,
        labels: deployment.metadata?.labels,
      },
    );
    return { canary, target: deployment, entityRef };
  }

  /**
   * Runs an action: permission on the Canary, entity check, impersonated clients, audit of the
   * outcome (success with the action's message, failure with the error, denials included).
   */
  private async act<T>(
    credentials: BackstageCredentials,
    action: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>,
    target: ReleaseTarget,
    fn: (
      ctx: ReleaseContext,
      clients: KubeClients,
      actor: string,
    ) => Promise<{ result: T; message: string }>,
  ): Promise<T> {
    const { audit, logger, clusters, identity, permissions } = this.options;
    const actor =
      credentials.principal && (credentials.principal as any).userEntityRef
        ? (credentials.principal as BackstageUserPrincipal).userEntityRef
        : 'unknown';
    let entityRef: string | undefined;
    const record = (result: 'success' | 'failure', message: string) =>
      audit
        .record({
          actor,
          action,
          entityRef,
          cluster: target.cluster,
          namespace: target.namespace,
          kind: 'Canary',
          name: target.name,
          result,
          message,
        })
        .catch(e => logger.error(`Failed to write audit record: ${String(e)}`));
    try {
      if (actor === 'unknown') {
        throw new NotAllowedError(`${action} needs a signed-in user`);
      }
      clusters.getCluster(target.cluster);
      await requirePermission(permissions, {
        credentials,
        permission,
        resourceRef: clustersObjectRef({
          cluster: target.cluster,
          namespace: target.namespace,
          resource: 'canaries',
          name: target.name,
        }),
      });
      const ctx = await this.context(credentials, target);
      entityRef = ctx.entityRef;
      const who = await identity.forCredentials(
        credentials as BackstageCredentials<BackstageUserPrincipal>,
      );
      const clients = clusters.clientsAs(target.cluster, who);
      const { result, message } = await fn(ctx, clients, actor);
      await record('success', message);
      return result;
    } catch (e) {
      // Kubernetes errors were converted by call(); the others are the portal's own
      await record(
        'failure',
        isError(e) ? `${e.name}: ${e.message}` : String(e),
      );
      throw e;
    }
  }

  private async resetSkipAnalysis(
    clients: KubeClients,
    target: ReleaseTarget,
  ): Promise<void> {
    await this.call(
      target.cluster,
      clients.custom.patchNamespacedCustomObject(
        {
          ...CANARIES,
          namespace: target.namespace,
          name: target.name,
          body: {
            metadata: {
              annotations: {
                [SKIP_ANALYSIS_BY]: null,
                [SKIP_ANALYSIS_REVISION]: null,
              },
            },
            spec: { skipAnalysis: false },
          },
        },
        MERGE_PATCH,
      ),
    );
  }

  /**
   * After a promotion, polls the Canary (portal identity) until Flagger reports Succeeded or
   * Failed, or the revision changed, then sets `spec.skipAnalysis` back to false as the user who
   * promoted (audited).
   */
  private followPromotion(
    clients: KubeClients,
    target: ReleaseTarget,
    revision: string,
    actor: string,
  ) {
    const pollMs = this.options.promotionFollowUp?.pollMs ?? 2000;
    const maxMs = this.options.promotionFollowUp?.maxMs ?? 15 * 60_000;
    if (pollMs <= 0) return;
    const deadline = Date.now() + maxMs;
    const portal = this.options.clusters.portalClients(target.cluster);
    const tick = async () => {
      try {
        const canary = (await this.call(
          target.cluster,
          portal.custom.getNamespacedCustomObject({
            ...CANARIES,
            namespace: target.namespace,
            name: target.name,
          }),
        )) as CanaryObject;
        const ours =
          canary.spec?.skipAnalysis &&
          canary.metadata.annotations?.[SKIP_ANALYSIS_REVISION] === revision;
        if (!ours) return;
        const phase = canary.status?.phase;
        const finished =
          phase === 'Succeeded' ||
          phase === 'Failed' ||
          revisionOf(canary) !== revision;
        if (!finished && Date.now() < deadline) {
          this.later(tick, pollMs);
          return;
        }
        await this.resetSkipAnalysis(clients, target);
        await this.options.audit.record({
          actor,
          action: 'canary.release.promote',
          cluster: target.cluster,
          namespace: target.namespace,
          kind: 'Canary',
          name: target.name,
          result: 'success',
          message: `spec.skipAnalysis set back to false after the promotion of ${revision} (${phase})`,
        });
      } catch (e) {
        this.options.logger.warn(
          `Could not reset spec.skipAnalysis of ${target.cluster}/${
            target.namespace
          }/${target.name}: ${String(e)}`,
        );
        if (Date.now() < deadline) this.later(tick, pollMs);
      }
    };
    this.later(tick, pollMs);
  }

  private later(fn: () => Promise<void>, ms: number) {
    const t = setTimeout(() => {
      this.followUps.delete(t);
      void fn();
    }, ms);
    t.unref?.();
    this.followUps.add(t);
  }
}
