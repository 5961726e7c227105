import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuditRecord,
  namespaceInScope,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  NamespaceScope,
  ResourceCacheService,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import {
  AlertsResponse,
  CreateSilenceRequest,
  MetricsAlert,
  metricsAlertReadPermission,
  metricsSilenceCreatePermission,
  metricsSilenceExpirePermission,
  Silence,
} from '@kubemate/plugin-metrics-common';
import type { AmAlert, AmSilence } from '../AlertmanagerClient';
import { entityPods, getEntity } from './entityPods';
import { planGoldenSignals } from './goldenSignalQueries';
import { actorOf, scopeOf, scopeOut } from './scopedQueries';
import { AlertmanagerApi } from './types';

export function toAlert(a: AmAlert): MetricsAlert {
  return {
    fingerprint: a.fingerprint,
    name: a.labels.alertname ?? '(unnamed)',
    severity: a.labels.severity,
    state: a.status.state,
    silencedBy: a.status.silencedBy ?? [],
    inhibitedBy: a.status.inhibitedBy ?? [],
    startsAt: a.startsAt,
    labels: a.labels,
    annotations: a.annotations ?? {},
    summary: a.annotations?.summary ?? a.annotations?.description,
    runbookUrl: a.annotations?.runbook_url,
    generatorUrl: a.generatorURL,
  };
}

export function toSilence(s: AmSilence): Silence {
  return {
    id: s.id,
    matchers: s.matchers,
    startsAt: s.startsAt,
    endsAt: s.endsAt,
    createdBy: s.createdBy,
    comment: s.comment,
    state: s.status.state,
  };
}

/** The namespace a silence is confined to: its one equality matcher on `namespace`. */
export function silenceNamespace(s: {
  matchers: CreateSilenceRequest['matchers'];
}) {
  const ns = s.matchers.filter(
    m => m.name === 'namespace' && !m.isRegex && m.isEqual !== false,
  );
  return ns.length === 1 ? ns[0].value : undefined;
}

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'];

/** Active first, then by severity, then oldest first. */
export function sortAlerts(alerts: MetricsAlert[]): MetricsAlert[] {
  const rank = (s?: string) => {
    const i = SEVERITY_ORDER.indexOf(s ?? '');
    return i < 0 ? SEVERITY_ORDER.length : i;
  };
  return alerts.sort(
    (a, b) =>
      Number(a.state !== 'active') - Number(b.state !== 'active') ||
      rank(a.severity) - rank(b.severity) ||
      a.startsAt.localeCompare(b.startsAt),
  );
}

/** Whether an alert's `namespace` label is in the scope (unlabelled alerts: admins only). */
export function inAlertScope(
  scope: NamespaceScope,
  labels: Record<string, string>,
): boolean {
  if (scope.type === 'all') return true;
  return (
    labels.namespace !== undefined &&
    namespaceInScope(scope.namespaces, labels.namespace)
  );
}

/**
 * Alertmanager alerts and silences limited to the namespaces of the user's roles; creating and
 * expiring silences is audited, refusals too.
 */
export class AlertsAndSilences {
  constructor(
    private readonly deps: {
      alertmanager?: AlertmanagerApi;
      permissions: PermissionsService;
      catalog: CatalogService;
      clusters: ClusterRegistryService;
      cache: ResourceCacheService;
      audit: ClusterAuditService;
    },
  ) {}

  private requireAlertmanager(): AlertmanagerApi {
    if (!this.deps.alertmanager) {
      throw notConfigured(
        'Alertmanager',
        'Alerts are not configured: set kubemate.metrics.alertmanager.url',
      );
    }
    return this.deps.alertmanager;
  }

  private readScope(credentials: BackstageCredentials) {
    return scopeOf(
      this.deps.permissions,
      credentials,
      metricsAlertReadPermission,
    );
  }

  /** Every alert the user may see (cluster-wide page). */
  async alerts(credentials: BackstageCredentials): Promise<AlertsResponse> {
    const am = this.requireAlertmanager();
    const scope = await this.readScope(credentials);
    const alerts = (await am.alerts())
      .filter(a => inAlertScope(scope, a.labels))
      .map(toAlert);
    return { alerts: sortAlerts(alerts), scope: scopeOut(scope) };
  }

  /**
   * The entity's alerts: those carrying its `service` label (or its metrics selector's equality
   * labels) and those on its pods, within the user's scope.
   */
  async entityAlerts(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<AlertsResponse> {
    const am = this.requireAlertmanager();
    const entity = await getEntity(this.deps.catalog, credentials, entityRef);
    const scope = await this.readScope(credentials);
    const { selector } = planGoldenSignals(entity, 60);
    const equalities = [
      ...selector.matchAll(/([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g),
    ]
      .filter(m => m[2] === '=')
      .map(m => [m[1], m[3]] as const);
    let podNames = new Set<string>();
    try {
      podNames = new Set(
        (await entityPods(this.deps, entity, scope)).map(
          p => p.pod.metadata?.name ?? '',
        ),
      );
    } catch {
      // pods are a bonus: alerts by service label still show
    }
    const alerts = (await am.alerts())
      .filter(a => inAlertScope(scope, a.labels))
      .filter(
        a =>
          (equalities.length > 0 &&
            equalities.every(([k, v]) => a.labels[k] === v)) ||
          (a.labels.pod !== undefined && podNames.has(a.labels.pod)),
      )
      .map(toAlert);
    return { alerts: sortAlerts(alerts), scope: scopeOut(scope) };
  }

  /** Silences the user may see: those confined to a namespace of their scope. */
  async silences(credentials: BackstageCredentials): Promise<Silence[]> {
    const am = this.requireAlertmanager();
    const scope = await this.readScope(credentials);
    return (await am.silences())
      .filter(s => {
        if (scope.type === 'all') return true;
        const ns = silenceNamespace(s);
        return ns !== undefined && namespaceInScope(scope.namespaces, ns);
      })
      .map(toSilence)
      .sort((a, b) => b.startsAt.localeCompare(a.startsAt));
  }

  async createSilence(
    credentials: BackstageCredentials,
    body: CreateSilenceRequest,
  ): Promise<Silence> {
    const am = this.requireAlertmanager();
    const actor = actorOf(credentials);
    const namespace = silenceNamespace(body);
    const audit = (
      result: 'success' | 'failure',
      name?: string,
      message?: string,
    ) =>
      this.deps.audit.record({
        actor,
        action: 'metrics.silence.create',
        entityRef: body.entityRef,
        namespace,
        kind: 'Silence',
        name,
        result,
        message,
      });
    const scope = await scopeOf(
      this.deps.permissions,
      credentials,
      metricsSilenceCreatePermission,
    ).catch(async e => {
      await audit('failure', undefined, (e as Error).message);
      throw e;
    });
    if (scope.type !== 'all') {
      if (!namespace || !namespaceInScope(scope.namespaces, namespace)) {
        const message = namespace
          ? `You may not silence alerts of namespace ${namespace} (your scope: ${scope.namespaces.join(
              ', ',
            )})`
          : `A silence must name one namespace you may silence (namespace="…"); your scope: ${scope.namespaces.join(
              ', ',
            )}`;
        await audit('failure', undefined, message);
        throw new NotAllowedError(message);
      }
    }
    const startsAt = new Date();
    const endsAt = new Date(startsAt.getTime() + body.durationMinutes * 60_000);
    try {
      const id = await am.createSilence({
        matchers: body.matchers.map(m => ({
          ...m,
          isEqual: m.isEqual ?? true,
        })),
        startsAt: startsAt.toISOString(),
        endsAt: endsAt.toISOString(),
        createdBy: actor,
        comment: body.comment,
      });
      await audit(
        'success',
        id,
        `${body.matchers
          .map(
            m =>
              `${m.name}${m.isEqual === false ? '!' : ''}${
                m.isRegex ? '=~' : '='
              }"${m.value}"`,
          )
          .join(',')} for ${body.durationMinutes} min: ${body.comment}`,
      );
      return toSilence(await am.silence(id));
    } catch (e) {
      await audit('failure', undefined, (e as Error).message);
      throw e;
    }
  }

  /**
   * The silence audit trail: entries about namespaces of the user's alert scope and the user's
   * own attempts (also those refused elsewhere).
   */
  async audit(
    credentials: BackstageCredentials,
    limit?: number,
  ): Promise<AuditRecord[]> {
    const scope = await this.readScope(credentials);
    const actor = actorOf(credentials);
    const records = await this.deps.audit.query({ limit });
    return records.filter(
      r =>
        r.action.startsWith('metrics.') &&
        (scope.type === 'all' ||
          r.actor === actor ||
          (r.namespace !== undefined &&
            namespaceInScope(scope.namespaces, r.namespace))),
    );
  }

  async expireSilence(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<void> {
    const am = this.requireAlertmanager();
    const actor = actorOf(credentials);
    const silence = await am.silence(id);
    const namespace = silenceNamespace(silence);
    const audit = (result: 'success' | 'failure', message?: string) =>
      this.deps.audit.record({
        actor,
        action: 'metrics.silence.expire',
        namespace,
        kind: 'Silence',
        name: id,
        result,
        message,
      });
    try {
      const scope = await scopeOf(
        this.deps.permissions,
        credentials,
        metricsSilenceExpirePermission,
      );
      if (
        scope.type !== 'all' &&
        (!namespace || !namespaceInScope(scope.namespaces, namespace))
      ) {
        throw new NotAllowedError(
          `You may not expire silence ${id}: it is not confined to a namespace of your scope (${scope.namespaces.join(
            ', ',
          )})`,
        );
      }
      if (silence.status.state === 'expired') {
        throw new InputError(`Silence ${id} has already expired`);
      }
      await am.expireSilence(id);
      await audit('success', silence.comment);
    } catch (e) {
      await audit('failure', (e as Error).message);
      throw e;
    }
  }
}
