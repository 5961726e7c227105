import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  CreateQuotaRequest,
  DecideQuotaRequest,
  gpuCapacityReadPermission,
  gpuRequestApprovePermission,
  gpuRequestCreatePermission,
  QuotaRequest,
  QuotaRequestsResponse,
  QuotaRequestStatus,
} from '@kubemate/plugin-gpu-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentityService,
  NamespaceScope,
  requirePermission,
  scopeFromDecision,
} from '@kubemate/plugin-kubemate-node';
import { randomUUID } from 'node:crypto';
import {
  gpuFlavorsOf,
  gpuQuotaSpec,
  parseQuantity,
  teamOfClusterQueue,
} from '../../lib/kueue';
import {
  applyFlavorChanges,
  patchClusterQueue,
  patchResourceQuotaGpus,
} from '../../lib/quotaPatch';
import { clustersOf, errorMessage, isNamed } from '../../lib/upstream';
import { GpuClusterReader } from '../ClusterReader';
import { inScope } from '../Queues/queues';
import {
  QuotaRequestsService,
  QuotaRequestStore,
  StoredQuotaRequest,
} from './types';

/** Who the audit trail names for requests approved by the self-service limit. */
export const SELF_SERVICE_ACTOR = 'policy:self-service';
/** Who the audit trail names for quota given back at expiry. */
export const EXPIRY_ACTOR = 'system:gpu-expiry';
/**
 * The annotation an applied request leaves on the ClusterQueue (and ResourceQuota) it changed, in
 * the same patch as the quota: `<flavor>=<gpus>`. Applying twice or returning twice is a no-op.
 */
export const requestAnnotation = (id: string) =>
  `gpu.kubemate.io/request.${id}`;
/** The LocalQueue name teams' namespaces use for GPU jobs (preferred when a namespace has several). */
export const GPU_LOCAL_QUEUE = 'gpu';

export interface QuotaRequestLimits {
  selfServiceLimit: number;
  maxGpus: number;
  maxHours: number;
}

export interface DefaultQuotaRequestsServiceOptions {
  permissions: PermissionsService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
  logger: LoggerService;
  reader: GpuClusterReader;
  store: QuotaRequestStore;
  limits: QuotaRequestLimits;
  /** Deadline of one Kubernetes call (default 10 s). */
  timeoutMs?: number;
  /** A claim of the expiry sweep older than this is taken over (its replica died); default 10 min. */
  claimStaleMs?: number;
}

const actorOf = (credentials: BackstageCredentials) =>
  (credentials.principal as Partial<BackstageUserPrincipal>).userEntityRef ??
  'unknown';

/**
 * Quota requests: a team asks for N GPUs of a flavor for its namespace's ClusterQueue for a period;
 * an approver approves (the nominal quota grows by N, as the approver, conflict-safe; the
 * namespace's GPU ResourceQuota too) or rejects; the expiry sweep gives the quota back as the
 * portal's identity. Requests live in the plugin database; every mutation is audited, denials too.
 */
export class DefaultQuotaRequestsService implements QuotaRequestsService {
  constructor(private readonly options: DefaultQuotaRequestsServiceOptions) {}

  private audit(
    actor: string,
    action: string,
    r: Pick<StoredQuotaRequest, 'cluster' | 'namespace'> &
      Partial<StoredQuotaRequest>,
    result: 'success' | 'failure',
    message: string,
  ) {
    return this.options.audit
      .record({
        actor,
        action,
        cluster: r.cluster,
        namespace: r.namespace,
        kind: 'ClusterQueue',
        name: r.clusterQueue,
        result,
        message: r.id ? `request ${r.id}: ${message}` : message,
      })
      .catch(e => this.options.logger.error(`gpu: audit record failed: ${e}`));
  }

  /** The scope of a clusters-object permission; undefined when it is granted nowhere. */
  private async scopeOf(
    credentials: BackstageCredentials,
    permission: typeof gpuCapacityReadPermission,
  ): Promise<NamespaceScope | undefined> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return scopeFromDecision(decision);
  }

  private view(
    r: StoredQuotaRequest,
    actor: string,
    approve: NamespaceScope | undefined,
  ): QuotaRequest {
    return {
      ...r,
      canDecide:
        (r.status === 'pending' || r.status === 'failed') &&
        approve !== undefined &&
        inScope(approve, r.namespace),
      canCancel: r.status === 'pending' && r.requestedBy === actor,
    };
  }

  private limits(): QuotaRequestsResponse extends infer T
    ? Omit<T, 'items'>
    : never {
    const { selfServiceLimit, maxGpus, maxHours } = this.options.limits;
    return { selfServiceLimit, maxGpus, maxHours };
  }

  async list(
    credentials: BackstageCredentials,
    options: { status?: QuotaRequestStatus },
  ): Promise<QuotaRequestsResponse> {
    const [read, approve] = await Promise.all([
      this.scopeOf(credentials, gpuCapacityReadPermission),
      this.scopeOf(credentials, gpuRequestApprovePermission),
    ]);
    if (!read && !approve) {
      throw new NotAllowedError(
        `You are not allowed ${gpuCapacityReadPermission.name}`,
      );
    }
    const actor = actorOf(credentials);
    const items = (await this.options.store.list({ status: options.status }))
      .filter(
        r =>
          (read && inScope(read, r.namespace)) ||
          (approve && inScope(approve, r.namespace)) ||
          r.requestedBy === actor,
      )
      .map(r => this.view(r, actor, approve));
    return { items, ...this.limits() };
  }

  /** Validation of a request beyond its schema (the template action calls the service too). */
  private validate(request: CreateQuotaRequest): string {
    const { maxGpus, maxHours } = this.options.limits;
    if (!Number.isInteger(request.gpus) || request.gpus < 1) {
      throw new InputError(
        `gpus: must be a whole number of GPUs, at least 1 (got ${request.gpus})`,
      );
    }
    if (request.gpus > maxGpus) {
      throw new InputError(
        `gpus: ${request.gpus} is more than the largest request accepted (${maxGpus} GPUs)`,
      );
    }
    if (
      !(request.durationHours > 0) ||
      !Number.isFinite(request.durationHours)
    ) {
      throw new InputError(
        `durationHours: must be more than 0 (got ${request.durationHours})`,
      );
    }
    if (request.durationHours > maxHours) {
      throw new InputError(
        `durationHours: ${request.durationHours} is longer than the longest period accepted (${maxHours} hours)`,
      );
    }
    const reason = (request.reason ?? '').trim();
    if (!reason) throw new InputError('reason: must not be empty');
    if (reason.length > 2000) {
      throw new InputError('reason: at most 2000 characters');
    }
    return reason;
  }

  /**
   * The ClusterQueue a namespace's quota goes to (its LocalQueue `gpu`, else its only one) and
   * the checked flavor; InputError naming what is missing.
   */
  private async target(cluster: string, namespace: string, flavor: string) {
    const { reader } = this.options;
    const localQueues = (await reader.localQueues(cluster)).filter(
      lq => lq.metadata.namespace === namespace,
    );
    if (!localQueues.length) {
      throw new InputError(
        `namespace: ${namespace} has no Kueue LocalQueue in ${cluster} (no queue to grant GPUs to)`,
      );
    }
    const lq =
      localQueues.find(l => l.metadata.name === GPU_LOCAL_QUEUE) ??
      localQueues[0];
    const cq = await reader.clusterQueue(cluster, lq.spec.clusterQueue);
    if (!cq) {
      throw new InputError(
        `namespace: the LocalQueue ${namespace}/${lq.metadata.name} points to ClusterQueue ${lq.spec.clusterQueue}, which does not exist in ${cluster}`,
      );
    }
    if (!gpuQuotaSpec(cq, flavor)) {
      const known = gpuFlavorsOf(cq);
      throw new InputError(
        `flavor: unknown flavor '${flavor}' for ClusterQueue ${
          cq.metadata.name
        } in ${cluster} (GPU flavors: ${known.join(', ') || 'none'})`,
      );
    }
    return { clusterQueue: cq };
  }

  async create(
    credentials: BackstageCredentials,
    request: CreateQuotaRequest,
  ): Promise<QuotaRequest> {
    const actor = actorOf(credentials);
    const subject = {
      cluster: request.cluster,
      namespace: request.namespace,
    };
    let stored: StoredQuotaRequest;
    try {
      clustersOf(this.options.clusters, request.cluster);
      const reason = this.validate(request);
      await requirePermission(this.options.permissions, {
        credentials,
        permission: gpuRequestCreatePermission,
        resourceRef: clustersObjectRef(subject),
      });
      const { clusterQueue } = await this.target(
        request.cluster,
        request.namespace,
        request.flavor,
      );
      const now = new Date();
      stored = {
        id: randomUUID(),
        cluster: request.cluster,
        namespace: request.namespace,
        clusterQueue: clusterQueue.metadata.name,
        flavor: request.flavor,
        gpus: request.gpus,
        reason,
        until: new Date(
          now.getTime() + request.durationHours * 3600_000,
        ).toISOString(),
        status: 'pending',
        requestedBy: actor,
        requestedAt: now.toISOString(),
        source: request.source ?? 'portal',
      };
      const team = teamOfClusterQueue(clusterQueue);
      if (team) stored.team = team;
      await this.options.store.insert(stored);
      await this.audit(
        actor,
        'gpu.request.create',
        stored,
        'success',
        `asked for ${stored.gpus} × ${stored.flavor} until ${stored.until}: ${reason}`,
      );
    } catch (e) {
      await this.audit(
        actor,
        'gpu.request.create',
        subject,
        'failure',
        errorMessage(e),
      );
      throw e;
    }
    let result = stored;
    if (stored.gpus <= this.options.limits.selfServiceLimit) {
      // approved by policy: the portal applies it with its own identity
      result = await this.approve(
        stored,
        SELF_SERVICE_ACTOR,
        this.options.clusters.portalClients(stored.cluster),
        `within the self-service limit of ${this.options.limits.selfServiceLimit} GPUs`,
      );
    }
    const approve = await this.scopeOf(
      credentials,
      gpuRequestApprovePermission,
    );
    return this.view(result, actor, approve);
  }

  async decide(
    credentials: BackstageCredentials,
    id: string,
    decision: DecideQuotaRequest,
  ): Promise<QuotaRequest> {
    const actor = actorOf(credentials);
    const request = await this.options.store.get(id);
    if (!request) throw new NotFoundError(`Quota request ${id} not found`);
    const action = `gpu.request.${decision.decision}`;
    try {
      await requirePermission(this.options.permissions, {
        credentials,
        permission: gpuRequestApprovePermission,
        resourceRef: clustersObjectRef(request),
      });
    } catch (e) {
      await this.audit(actor, action, request, 'failure', errorMessage(e));
      throw e;
    }
    const approveScope = await this.scopeOf(
      credentials,
      gpuRequestApprovePermission,
    );
    if (decision.decision === 'reject') {
      const rejected = await this.options.store.transition(id, ['pending'], {
        status: 'rejected',
        decidedBy: actor,
        decidedAt: new Date().toISOString(),
        ...(decision.comment ? { comment: decision.comment } : {}),
      });
      if (!rejected) {
        const e = this.notPending(request.id);
        await this.audit(actor, action, request, 'failure', e.message);
        throw e;
      }
      await this.audit(
        actor,
        action,
        rejected,
        'success',
        `rejected ${rejected.gpus} × ${rejected.flavor}${
          decision.comment ? `: ${decision.comment}` : ''
        }`,
      );
      return this.view(rejected, actor, approveScope);
    }
    if (request.status !== 'pending' && request.status !== 'failed') {
      const e = this.notPending(request.id);
      await this.audit(actor, action, request, 'failure', e.message);
      throw e;
    }
    const who = await this.options.identity.forCredentials(
      credentials as BackstageCredentials<BackstageUserPrincipal>,
    );
    const approved = await this.approve(
      request,
      actor,
      this.options.clusters.clientsAs(request.cluster, who),
      decision.comment,
    );
    return this.view(approved, actor, approveScope);
  }

  private notPending(id: string) {
    return new ConflictError(
      `Quota request ${id} is not pending: it was decided or cancelled already`,
    );
  }

  /**
   * Approves a pending (or failed) request: claims it (pending|failed → active, atomically, so two
   * approvers cannot both apply it), applies it with `clients` (the approver's identity, or the
   * portal's for the self-service policy), and records the outcome. A failed apply keeps the
   * request as `failed` with the error (an approver may approve it again).
   */
  private async approve(
    request: StoredQuotaRequest,
    actor: string,
    clients: KubeClients,
    comment?: string,
  ): Promise<StoredQuotaRequest> {
    const action = 'gpu.request.approve';
    const now = new Date();
    const durationMs =
      Date.parse(request.until) - Date.parse(request.requestedAt);
    const claimed = await this.options.store.transition(
      request.id,
      ['pending', 'failed'],
      {
        status: 'active',
        decidedBy: actor,
        decidedAt: now.toISOString(),
        // the period starts at approval
        until: new Date(now.getTime() + durationMs).toISOString(),
        ...(comment ? { comment } : {}),
      },
    );
    if (!claimed) {
      const e = this.notPending(request.id);
      await this.audit(actor, action, request, 'failure', e.message);
      throw e;
    }
    try {
      const { previousNominal, resourceQuotas } = await this.apply(
        claimed,
        clients,
        +1,
      );
      const active = await this.options.store.transition(
        claimed.id,
        ['active'],
        {
          appliedAt: new Date().toISOString(),
          previousNominal,
        },
      );
      await this.audit(
        actor,
        action,
        claimed,
        'success',
        `applied +${claimed.gpus} ${claimed.flavor} to ClusterQueue ${
          claimed.clusterQueue
        } (nominal ${previousNominal} -> ${previousNominal + claimed.gpus})${
          resourceQuotas.length
            ? `, ResourceQuota ${resourceQuotas.join(', ')}`
            : ''
        } until ${claimed.until}`,
      );
      return active ?? claimed;
    } catch (e) {
      const message = errorMessage(e);
      const failed = await this.options.store.transition(
        claimed.id,
        ['active'],
        { status: 'failed', error: message },
      );
      await this.audit(actor, action, claimed, 'failure', message);
      // the approver's Kubernetes RBAC refused, or the cluster is down: said as such (the request
      // stays failed with the error and may be approved again)
      if (
        isNamed(e, 'NotAllowedError') ||
        isNamed(e, 'ServiceUnavailableError')
      ) {
        throw e;
      }
      return failed ?? { ...claimed, status: 'failed', error: message };
    }
  }

  /**
   * Adds (sign +1) or returns (sign −1) the request's GPUs to the ClusterQueue's nominal quota of
   * the flavor and to the namespace's GPU ResourceQuotas, each conflict-safe and idempotent through
   * the request's annotation on the object.
   */
  private async apply(
    r: StoredQuotaRequest,
    clients: KubeClients,
    sign: 1 | -1,
  ): Promise<{ previousNominal: number; resourceQuotas: string[] }> {
    const key = requestAnnotation(r.id);
    const value = `${r.flavor}=${r.gpus}`;
    const { result: previousNominal } = await patchClusterQueue(
      clients,
      r.clusterQueue,
      cq => {
        const current = parseQuantity(gpuQuotaSpec(cq, r.flavor)?.nominalQuota);
        const applied = cq.metadata.annotations?.[key] !== undefined;
        if (sign > 0 === applied) return { result: current };
        const { resourceGroups } = applyFlavorChanges(cq, [
          { flavor: r.flavor, nominalDelta: sign * r.gpus },
        ]);
        return {
          spec: { resourceGroups },
          annotations: { [key]: sign > 0 ? value : null },
          result: current,
        };
      },
      this.options.timeoutMs,
    );
    const resourceQuotas: string[] = [];
    const quotas = (
      await this.options.reader.gpuResourceQuotas(r.cluster)
    ).filter(q => q.metadata?.namespace === r.namespace);
    for (const q of quotas) {
      const name = q.metadata!.name!;
      const { before, after } = await patchResourceQuotaGpus(
        clients,
        r.namespace,
        name,
        (hard, annotations) => {
          const applied = annotations[key] !== undefined;
          if (sign > 0 === applied) return undefined;
          return {
            hard: hard + sign * r.gpus,
            annotations: { [key]: sign > 0 ? value : null },
          };
        },
        this.options.timeoutMs,
      );
      if (before !== after)
        resourceQuotas.push(`${name} ${before} -> ${after}`);
    }
    return { previousNominal, resourceQuotas };
  }

  async cancel(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<QuotaRequest> {
    const actor = actorOf(credentials);
    const request = await this.options.store.get(id);
    if (!request) throw new NotFoundError(`Quota request ${id} not found`);
    const action = 'gpu.request.cancel';
    try {
      await requirePermission(this.options.permissions, {
        credentials,
        permission: gpuRequestCreatePermission,
        resourceRef: clustersObjectRef(request),
      });
      if (request.requestedBy !== actor) {
        throw new NotAllowedError(
          `Quota request ${id} was made by ${request.requestedBy}: only the requester may cancel it`,
        );
      }
      const cancelled = await this.options.store.transition(id, ['pending'], {
        status: 'cancelled',
        decidedBy: actor,
        decidedAt: new Date().toISOString(),
      });
      if (!cancelled) {
        throw new ConflictError(
          `Quota request ${id} is ${request.status}: only a pending request can be cancelled`,
        );
      }
      await this.audit(actor, action, cancelled, 'success', 'cancelled');
      const approve = await this.scopeOf(
        credentials,
        gpuRequestApprovePermission,
      );
      return this.view(cancelled, actor, approve);
    } catch (e) {
      await this.audit(actor, action, request, 'failure', errorMessage(e));
      throw e;
    }
  }

  async expire(now: Date = new Date()) {
    const { store, clusters, logger } = this.options;
    const claimed = await store.claimExpired(
      now,
      this.options.claimStaleMs ?? 10 * 60_000,
    );
    const expired: string[] = [];
    const failed: string[] = [];
    for (const r of claimed) {
      try {
        const { previousNominal, resourceQuotas } = await this.apply(
          r,
          clusters.portalClients(r.cluster),
          -1,
        );
        await store.transition(r.id, ['active'], {
          status: 'expired',
          returnedAt: new Date().toISOString(),
        });
        expired.push(r.id);
        await this.audit(
          EXPIRY_ACTOR,
          'gpu.request.expire',
          r,
          'success',
          `returned ${r.gpus} ${r.flavor} from ClusterQueue ${
            r.clusterQueue
          } (nominal ${previousNominal} -> ${Math.max(
            0,
            previousNominal - r.gpus,
          )})${
            resourceQuotas.length
              ? `, ResourceQuota ${resourceQuotas.join(', ')}`
              : ''
          }`,
        );
      } catch (e) {
        const message = errorMessage(e);
        failed.push(r.id);
        await store.release(r.id, `returning the quota failed: ${message}`);
        logger.warn(`gpu: returning quota request ${r.id} failed: ${message}`);
        await this.audit(
          EXPIRY_ACTOR,
          'gpu.request.expire',
          r,
          'failure',
          message,
        );
      }
    }
    return { expired, failed };
  }
}
