import { randomUUID } from 'node:crypto';
import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import {
  CreateExemptionRequest,
  DecideExemptionRequest,
  Exemption,
  ExemptionsResponse,
  ExemptionStatus,
  FindingObject,
  inspectionsExemptionApprovePermission,
  inspectionsExemptionCreatePermission,
} from '@kubemate/plugin-inspections-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  requireNamespaceScope,
  requirePermission,
} from '@kubemate/plugin-kubemate-node';
import type { InspectionNotifier } from '../Notifier/types';
import { readVisibility } from '../Runs/visibility';
import type { InspectionStore } from '../Store';
import type { ExemptionDecision, ExemptionsService } from './types';

const DAY_MS = 24 * 3600_000;
const ISO_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const userOf = (credentials: BackstageCredentials) =>
  (credentials.principal as { userEntityRef?: string }).userEntityRef;

/** `Deployment` → `deployments`, `NetworkPolicy` → `networkpolicies`, `Ingress` → `ingresses`. */
export function resourceOfKind(kind: string): string {
  const k = kind.toLocaleLowerCase('en-US');
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y') && !/[aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

const describe = (o: FindingObject) =>
  [o.cluster, o.namespace, o.kind, o.name, o.part].filter(Boolean).join('/');

const DECISIONS: Record<
  ExemptionDecision,
  { from: ExemptionStatus; to: ExemptionStatus; verb: string }
> = {
  approve: { from: 'pending', to: 'active', verb: 'approved' },
  reject: { from: 'pending', to: 'rejected', verb: 'rejected' },
  revoke: { from: 'active', to: 'revoked', verb: 'revoked' },
};

export interface ExemptionsServiceOptions {
  store: InspectionStore;
  permissions: PermissionsService;
  audit: ClusterAuditService;
  notifier: InspectionNotifier;
  logger: LoggerService;
  /** Longest expiry from the request. Default 90. */
  maxDays?: number;
  /** Owners are warned this many days before expiry. Default 7. */
  warnDays?: number;
  now?: () => Date;
}

/** {@link ExemptionsService} on the store. */
export class DefaultExemptionsService implements ExemptionsService {
  private readonly now: () => Date;

  constructor(private readonly options: ExemptionsServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  private audited(
    credentials: BackstageCredentials,
    action: string,
    target?: { object?: FindingObject; entityRef?: string; id?: string },
  ) {
    const { audit, logger } = this.options;
    return (result: 'success' | 'failure', message: string) =>
      audit
        .record({
          actor: userOf(credentials) ?? 'unknown',
          action,
          ...(target?.entityRef ? { entityRef: target.entityRef } : {}),
          ...(target?.object?.cluster
            ? { cluster: target.object.cluster }
            : {}),
          ...(target?.object?.namespace
            ? { namespace: target.object.namespace }
            : {}),
          ...(target?.object
            ? { kind: target.object.kind, name: target.object.name }
            : {}),
          result,
          message,
        })
        .catch(e => logger.error(`Failed to write audit record: ${String(e)}`));
  }

  async list(
    credentials: BackstageCredentials,
    query: { status?: ExemptionStatus },
  ): Promise<ExemptionsResponse> {
    const visible = await readVisibility(this.options.permissions, credentials);
    const exemptions = await this.options.store.listExemptions(
      query.status ? { status: [query.status] } : undefined,
    );
    return { exemptions: exemptions.filter(e => visible(e.object)) };
  }

  /** 400 naming the first problem of the request. */
  private validate(request: CreateExemptionRequest, now: Date): Date {
    if (!request.reason?.trim()) {
      throw new InputError('reason must not be empty');
    }
    if (!request.ticket?.trim()) {
      throw new InputError('ticket must not be empty (e.g. CHG-1234)');
    }
    const expires = new Date(request.expiresAt);
    if (!ISO_TIME.test(request.expiresAt ?? '') || isNaN(expires.getTime())) {
      throw new InputError(
        `expiresAt must be an ISO-8601 time such as 2026-06-30T00:00:00Z, got ${JSON.stringify(
          request.expiresAt,
        )}`,
      );
    }
    if (expires.getTime() <= now.getTime()) {
      throw new InputError(
        `expiresAt ${request.expiresAt} is in the past: an exemption must expire in the future`,
      );
    }
    const maxDays = this.options.maxDays ?? 90;
    if (expires.getTime() > now.getTime() + maxDays * DAY_MS) {
      throw new InputError(
        `expiresAt ${request.expiresAt} is more than ${maxDays} days ahead (kubemate.inspections.exemptions.maxDays)`,
      );
    }
    return expires;
  }

  /**
   * `inspections.exemption.create` on the finding's object: a namespaced object of a cluster is
   * authorized on its `clusters-object` ref (`<cluster>/<namespace>/<resource>/<name>`), so a
   * namespace-scoped role may exempt the findings of its namespaces. An object without a
   * namespace or a cluster (a node, the control plane, a host, a database) has no such ref; it
   * needs the permission unconditionally (a role of scope "all"), as only such readers see it.
   */
  private async authorizeCreate(
    credentials: BackstageCredentials,
    object: FindingObject,
  ): Promise<void> {
    const { permissions } = this.options;
    const subject = userOf(credentials);
    if (object.cluster && object.namespace) {
      await requirePermission(
        permissions,
        {
          credentials,
          permission: inspectionsExemptionCreatePermission,
          resourceRef: clustersObjectRef({
            cluster: object.cluster,
            namespace: object.namespace,
            resource: resourceOfKind(object.kind),
            name: object.name,
          }),
        },
        { subject },
      );
      return;
    }
    const scope = await requireNamespaceScope(
      permissions,
      { credentials, permission: inspectionsExemptionCreatePermission },
      { subject },
    );
    if (scope.type !== 'all') {
      throw new NotAllowedError(
        `${subject ?? 'You'} ${subject ? 'is' : 'are'} not allowed ${
          inspectionsExemptionCreatePermission.name
        } on ${describe(
          object,
        )}: objects without a namespace need it in every namespace`,
      );
    }
  }

  async create(
    credentials: BackstageCredentials,
    request: CreateExemptionRequest,
  ): Promise<Exemption> {
    const { store } = this.options;
    const target: { object?: FindingObject; entityRef?: string } = {};
    const record = this.audited(
      credentials,
      'inspections.exemption.create',
      target,
    );
    try {
      const requester = userOf(credentials);
      if (!requester) {
        throw new NotAllowedError(
          'requesting an exemption needs a signed-in user',
        );
      }
      const now = this.now();
      const expires = this.validate(request, now);
      const run = await store.getRun(request.runId);
      if (!run) throw new NotFoundError(`no inspection run ${request.runId}`);
      const finding = await store.finding(request.runId, request.fingerprint);
      if (!finding) {
        throw new NotFoundError(
          `run ${request.runId} has no finding ${request.fingerprint}`,
        );
      }
      target.object = finding.object;
      target.entityRef = finding.entityRef;
      await this.authorizeCreate(credentials, finding.object);
      const exemption: Exemption = {
        id: randomUUID(),
        fingerprint: finding.fingerprint,
        checkId: finding.checkId,
        object: finding.object,
        ...(finding.entityRef ? { entityRef: finding.entityRef } : {}),
        reason: request.reason.trim(),
        ticket: request.ticket.trim(),
        requestedBy: requester,
        requestedAt: now.toISOString(),
        expiresAt: expires.toISOString(),
        status: 'pending',
      };
      await store.insertExemption(exemption);
      await record(
        'success',
        `requested exemption ${exemption.id} of ${
          finding.checkId
        } on ${describe(finding.object)} until ${exemption.expiresAt} (${
          exemption.ticket
        })`,
      );
      return exemption;
    } catch (e) {
      await record('failure', isError(e) ? e.message : String(e));
      throw e;
    }
  }

  async decide(
    credentials: BackstageCredentials,
    id: string,
    decision: ExemptionDecision,
    request: DecideExemptionRequest,
  ): Promise<Exemption> {
    const { store, permissions } = this.options;
    const target: { object?: FindingObject; entityRef?: string } = {};
    const record = this.audited(
      credentials,
      `inspections.exemption.${decision}`,
      target,
    );
    const { from, to, verb } = DECISIONS[decision];
    try {
      const actor = userOf(credentials);
      if (!actor) {
        throw new NotAllowedError(`deciding exemptions needs a signed-in user`);
      }
      await requirePermission(
        permissions,
        { credentials, permission: inspectionsExemptionApprovePermission },
        { subject: actor },
      );
      const exemption = await store.getExemption(id);
      if (!exemption) throw new NotFoundError(`no exemption ${id}`);
      target.object = exemption.object;
      target.entityRef = exemption.entityRef;
      if (exemption.status !== from) {
        throw new ConflictError(
          `exemption ${id} is ${exemption.status}: only a ${from} exemption can be ${verb}`,
        );
      }
      if (decision === 'approve' && exemption.requestedBy === actor) {
        throw new NotAllowedError(
          'an exemption must be approved by someone other than its requester',
        );
      }
      const now = this.now();
      if (
        decision === 'approve' &&
        Date.parse(exemption.expiresAt) <= now.getTime()
      ) {
        throw new ConflictError(
          `exemption ${id} expired at ${exemption.expiresAt} before it was approved`,
        );
      }
      const comment = request.comment?.trim();
      const changed = await store.decideExemption(id, from, to, {
        by: actor,
        at: now,
        ...(comment ? { comment } : {}),
      });
      if (!changed) {
        throw new ConflictError(`exemption ${id} was decided meanwhile`);
      }
      const decided = (await store.getExemption(id))!;
      await record(
        'success',
        `${verb} exemption ${id} of ${exemption.checkId} on ${describe(
          exemption.object,
        )}${comment ? `: ${comment}` : ''}`,
      );
      return decided;
    } catch (e) {
      await record('failure', isError(e) ? e.message : String(e));
      throw e;
    }
  }

  async sweep(): Promise<{ expired: Exemption[]; expiring: Exemption[] }> {
    const { store, notifier, logger } = this.options;
    const now = this.now();
    const expired = await store.expireDue(now);
    const expiring = await store.takeExpiring(
      new Date(now.getTime() + (this.options.warnDays ?? 7) * DAY_MS),
      now,
    );
    const notify = async (what: string, fn: () => Promise<void>) =>
      fn().catch(e =>
        logger.warn(
          `inspections: notifying ${what} exemptions failed: ${String(e)}`,
        ),
      );
    if (expired.length) {
      await notify('expired', () => notifier.exemptionsExpired(expired));
    }
    if (expiring.length) {
      await notify('expiring', () => notifier.exemptionsExpiring(expiring));
    }
    return { expired, expiring };
  }
}
