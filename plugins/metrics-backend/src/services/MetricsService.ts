import {
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterAuditService,
  ClusterRegistryService,
  NamespaceScope,
  requireNamespaceScope,
  ResourceCacheService,
  } from '@kubemate/plugin-kubemate-node';
import {
  AlertsResponse,
  CreateSilenceRequest,
  GoldenSignalResult,
  GoldenSignalsResponse,
  MetricSeries,
  MetricsAlert,
  metricsAlertReadPermission,
  metricsQueryPermission,
  metricsSilenceCreatePermission,
  metricsSilenceExpirePermission,
  QueryResponse,
  ResourceUsageResult,
  Silence,
} from '@kubemate/plugin-metrics-common';
import { PromQLSyntaxError, scopeQuery } from '../promql/scope';
import { rangeParameters } from '../promql/resolution';
import { ThanosClient } from '../ThanosClient';
import { AlertmanagerClient, AmAlert, AmSilence } from './AlertmanagerClient';
import {
  parseBytes,
  parseCpu,
  planGoldenSignals,
  podRegex,
  rateWindow,
} from './goldenSignalQueries';
import { AuditRecord, getEntityKubernetesSelector, labelsMatch, namespaceInScope } from '@kubemate/plugin-kubemate-common';

type Credentials = BackstageCredentials;

export interface MetricsServiceDeps {
  thanos?: ThanosClient;
  alertmanager?: AlertmanagerClient;
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  cache: ResourceCacheService;
  audit: ClusterAuditService;
}

export interface RangeRequest {
  query: string;
  start: number;
  end: number;
  step?: number;
  dedup?: boolean;
}

const scopeOut = (s: NamespaceScope) =>
  s.type === 'all' ? 'all' : s.namespaces;

function actorOf(credentials: Credentials): string {
  const p = credentials.principal as Partial<BackstageUserPrincipal> & {
    subject?: string;
  };
  return p.userEntityRef ?? p.subject ?? 'unknown';
}

/** Shorter legends: the labels whose values differ between the series of one chart. */
function toSeries(result: unknown[], legend?: string): MetricSeries[] {
  const rows = result as Array<{
    metric: Record<string, string>;
    values?: Array<[number, string]>;
  }>;
  const keys = new Set<string>();
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.metric)) {
      if (k !== '__name__' && rows.some(o => o.metric[k] !== v)) keys.add(k);
    }
  }
  return rows.map(r => {
    const labels = { ...r.metric };
    const parts = [...keys].map(k => labels[k]).filter(Boolean);
    const fallback = Object.entries(labels)
      .filter(([k]) => k !== '__name__')
      .map(([, v]) => v)
      .join(' ');
    const name = [legend, parts.length ? parts.join(' ') : fallback]
      .filter(Boolean)
      .join(' ');
    return {
      name: name || 'value',
      labels,
      points: (r.values ?? [])
        .map(([t, v]) => [t, Number(v)] as [number, number])
        .filter(([, v]) => Number.isFinite(v)),
    };
  });
}

function toAlert(a: AmAlert): MetricsAlert {
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

function toSilence(s: AmSilence): Silence {
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
function silenceNamespace(s: { matchers: CreateSilenceRequest['matchers'] }) {
  const ns = s.matchers.filter(
    m => m.name === 'namespace' && !m.isRegex && m.isEqual !== false,
  );
  return ns.length === 1 ? ns[0].value : undefined;
}

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'];

/**
 * The metrics capability: scoped PromQL over Thanos Query, an entity's golden signals and resource
 * usage, and Alertmanager alerts and silences limited to the namespaces the user's roles cover.
 */
export class DefaultMetricsService {
  constructor(private readonly deps: MetricsServiceDeps) {}

  private requireThanos(): ThanosClient {
    if (!this.deps.thanos) {
      throw new ServiceUnavailableError(
        'Metrics are not configured: set kubemate.metrics.thanosQuery.url',
      );
    }
    return this.deps.thanos;
  }

  private requireAlertmanager(): AlertmanagerClient {
    if (!this.deps.alertmanager) {
      throw new ServiceUnavailableError(
        'Alerts are not configured: set kubemate.metrics.alertmanager.url',
      );
    }
    return this.deps.alertmanager;
  }

  /** The namespaces a (conditional) decision on the permission covers; 403 when none. */
  async scopeOf(
    credentials: Credentials,
    permission: ResourcePermission | BasicPermission,
  ): Promise<NamespaceScope> {
    return requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission,
    });
  }

  /** Scopes a query; malformed PromQL gets Thanos's own message (400). */
  private async scoped(query: string, scope: NamespaceScope): Promise<string> {
    const thanos = this.requireThanos();
    try {
      return scopeQuery(query, scope);
    } catch (e) {
      if (!(e instanceof PromQLSyntaxError)) throw e;
      await thanos.query('/api/v1/query', { query });
      throw new InputError('The query could not be scoped to your namespaces');
    }
  }

  async query(
    credentials: Credentials,
    body: { query: string; time?: number; dedup?: boolean },
  ): Promise<QueryResponse> {
    const thanos = this.requireThanos();
    const scope = await this.scopeOf(credentials, metricsQueryPermission);
    const effectiveQuery = await this.scoped(body.query, scope);
    const dedup = body.dedup ?? true;
    const data = await thanos.query('/api/v1/query', {
      query: effectiveQuery,
      dedup: String(dedup),
      ...(body.time !== undefined ? { time: String(body.time) } : {}),
    });
    return {
      resultType: data.resultType,
      result: data.result,
      effectiveQuery,
      scope: scopeOut(scope),
      dedup,
      warnings: data.warnings,
    };
  }

  private async rangeScoped(
    scope: NamespaceScope,
    body: RangeRequest,
  ): Promise<QueryResponse> {
    const thanos = this.requireThanos();
    const effectiveQuery = await this.scoped(body.query, scope);
    const dedup = body.dedup ?? true;
    const { step, maxSourceResolution } = rangeParameters(
      body.start,
      body.end,
      body.step,
    );
    const data = await thanos.query('/api/v1/query_range', {
      query: effectiveQuery,
      start: String(body.start),
      end: String(body.end),
      step: String(step),
      dedup: String(dedup),
      max_source_resolution: maxSourceResolution,
    });
    return {
      resultType: data.resultType,
      result: data.result,
      effectiveQuery,
      scope: scopeOut(scope),
      dedup,
      step,
      maxSourceResolution,
      warnings: data.warnings,
    };
  }

  async queryRange(
    credentials: Credentials,
    body: RangeRequest,
  ): Promise<QueryResponse> {
    const scope = await this.scopeOf(credentials, metricsQueryPermission);
    return this.rangeScoped(scope, body);
  }

  /** The entity as the user may see it (the catalog enforces read access). */
  private async entity(credentials: Credentials, entityRef: string) {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`Entity ${entityRef} not found`);
    return entity;
  }

  /** The entity's pods in every cluster, within the user's scope. */
  private async pods(entity: Entity, scope: NamespaceScope) {
    const selector = getEntityKubernetesSelector(entity);
    if (!selector) return [];
    const perCluster = await Promise.all(
      this.deps.clusters.listClusters().map(async c => {
        const pods = await this.deps.cache.list(c.name, 'pods', {
          namespace: selector.namespace,
          labels: selector.labels,
        });
        return pods
          .filter(p => labelsMatch(selector, p.metadata?.labels))
          .filter(
            p =>
              p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
          )
          .filter(
            p =>
              scope.type === 'all' ||
              namespaceInScope(scope.namespaces, p.metadata?.namespace ?? ''),
          )
          .map(p => ({ cluster: c.name, pod: p }));
      }),
    );
    return perCluster.flat();
  }

  async goldenSignals(
    credentials: Credentials,
    entityRef: string,
    range: { start: number; end: number },
  ): Promise<GoldenSignalsResponse> {
    this.requireThanos();
    const entity = await this.entity(credentials, entityRef);
    const scope = await this.scopeOf(credentials, metricsQueryPermission);
    const { step, maxSourceResolution } = rangeParameters(
      range.start,
      range.end,
    );
    const plan = planGoldenSignals(entity, step);
    const unavailable: Error[] = [];
    const run = async (query: string, legend?: string) => {
      const r = await this.rangeScoped(scope, { ...range, query, step });
      return {
        series: toSeries(r.result, legend),
        effective: r.effectiveQuery,
      };
    };
    const failed = (e: unknown) => {
      if (e instanceof ServiceUnavailableError) unavailable.push(e);
      return (e as Error).message;
    };

    const signals: GoldenSignalResult[] = await Promise.all(
      plan.signals.map(async s => {
        const base = {
          signal: s.signal,
          title: s.title,
          unit: s.unit,
          source: s.source,
        };
        try {
          const parts = await Promise.all(
            s.queries.map(q => run(q.query, q.legend)),
          );
          return {
            ...base,
            queries: parts.map(p => p.effective),
            series: parts.flatMap(p => p.series),
          };
        } catch (e) {
          return {
            ...base,
            queries: s.queries.map(q => q.query),
            series: [],
            error: failed(e),
          };
        }
      }),
    );

    let pods: Awaited<ReturnType<DefaultMetricsService['pods']>> = [];
    let podsError: string | undefined;
    try {
      pods = await this.pods(entity, scope);
    } catch (e) {
      podsError = `Could not list the entity's pods: ${(e as Error).message}`;
    }
    const window = rateWindow(step);
    const resources: ResourceUsageResult[] = await Promise.all(
      (['cpu', 'memory'] as const).map(async resource => {
        const requests: Record<string, number> = {};
        const limits: Record<string, number> = {};
        const parse = resource === 'cpu' ? parseCpu : parseBytes;
        for (const { cluster, pod } of pods) {
          const key = `${cluster}/${pod.metadata?.namespace}`;
          for (const c of pod.spec?.containers ?? []) {
            requests[key] =
              (requests[key] ?? 0) + parse(c.resources?.requests?.[resource]);
            limits[key] =
              (limits[key] ?? 0) + parse(c.resources?.limits?.[resource]);
          }
        }
        const out: ResourceUsageResult = {
          resource,
          unit: resource === 'cpu' ? 'cores' : 'bytes',
          usage: [],
          requests,
          limits,
          error: podsError,
        };
        if (!pods.length) return out;
        const matcher = `pod=~"${podRegex(
          pods.map(p => p.pod.metadata!.name!),
        )}"`;
        const query =
          resource === 'cpu'
            ? `sum by (cluster, namespace) (rate(container_cpu_usage_seconds_total{${matcher}}[${window}]))`
            : `sum by (cluster, namespace) (container_memory_working_set_bytes{${matcher}})`;
        try {
          const r = await run(query);
          out.usage = r.series;
          out.query = r.effective;
        } catch (e) {
          out.error = failed(e);
        }
        return out;
      }),
    );

    // nothing could reach Thanos: say so once, as a 503, rather than eight failed charts
    if (unavailable.length && signals.every(s => s.error)) throw unavailable[0];

    return {
      entityRef: stringifyEntityRef(entity),
      start: range.start,
      end: range.end,
      step,
      maxSourceResolution,
      selector: plan.selector,
      scope: scopeOut(scope),
      signals,
      resources,
    };
  }

  private inAlertScope(scope: NamespaceScope, labels: Record<string, string>) {
    if (scope.type === 'all') return true;
    return (
      labels.namespace !== undefined &&
      namespaceInScope(scope.namespaces, labels.namespace)
    );
  }

  private sortAlerts(alerts: MetricsAlert[]): MetricsAlert[] {
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

  /** Every alert the user may see (cluster-wide page). */
  async alerts(credentials: Credentials): Promise<AlertsResponse> {
    const am = this.requireAlertmanager();
    const scope = await this.scopeOf(credentials, metricsAlertReadPermission);
    const alerts = (await am.alerts())
      .filter(a => this.inAlertScope(scope, a.labels))
      .map(toAlert);
    return { alerts: this.sortAlerts(alerts), scope: scopeOut(scope) };
  }

  /**
   * The entity's alerts: those carrying its `service` label (or its metrics selector's equality
   * labels) and those on its pods, within the user's scope.
   */
  async entityAlerts(
    credentials: Credentials,
    entityRef: string,
  ): Promise<AlertsResponse> {
    const am = this.requireAlertmanager();
    const entity = await this.entity(credentials, entityRef);
    const scope = await this.scopeOf(credentials, metricsAlertReadPermission);
    const { selector } = planGoldenSignals(entity, 60);
    const equalities = [
      ...selector.matchAll(/([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"([^"]*)"/g),
    ]
      .filter(m => m[2] === '=')
      .map(m => [m[1], m[3]] as const);
    let podNames = new Set<string>();
    try {
      podNames = new Set(
        (await this.pods(entity, scope)).map(p => p.pod.metadata?.name ?? ''),
      );
    } catch {
      // pods are a bonus: alerts by service label still show
    }
    const alerts = (await am.alerts())
      .filter(a => this.inAlertScope(scope, a.labels))
      .filter(
        a =>
          (equalities.length > 0 &&
            equalities.every(([k, v]) => a.labels[k] === v)) ||
          (a.labels.pod !== undefined && podNames.has(a.labels.pod)),
      )
      .map(toAlert);
    return { alerts: this.sortAlerts(alerts), scope: scopeOut(scope) };
  }

  /** Silences the user may see: those confined to a namespace of their scope. */
  async silences(credentials: Credentials): Promise<Silence[]> {
    const am = this.requireAlertmanager();
    const scope = await this.scopeOf(credentials, metricsAlertReadPermission);
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
    credentials: Credentials,
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
    const scope = await this.scopeOf(
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
    credentials: Credentials,
    limit?: number,
  ): Promise<AuditRecord[]> {
    const scope = await this.scopeOf(credentials, metricsAlertReadPermission);
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

  async expireSilence(credentials: Credentials, id: string): Promise<void> {
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
      const scope = await this.scopeOf(
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
