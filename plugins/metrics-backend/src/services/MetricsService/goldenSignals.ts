import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { ServiceUnavailableError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import {
  GoldenSignalResult,
  GoldenSignalsResponse,
  MetricSeries,
  ResourceUsageResult,
} from '@kubemate/plugin-metrics-common';
import { rangeParameters } from '../../promql/resolution';
import { EntityPod, entityPods, getEntity } from './entityPods';
import {
  parseBytes,
  parseCpu,
  planGoldenSignals,
  podRegex,
  rateWindow,
} from './goldenSignalQueries';
import { ScopedQueries, scopeOut } from './scopedQueries';

/** Shorter legends: the labels whose values differ between the series of one chart. */
export function toSeries(result: unknown[], legend?: string): MetricSeries[] {
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

/** An entity's golden signals and the CPU and memory of its pods, in the user's query scope. */
export class GoldenSignals {
  constructor(
    private readonly deps: {
      queries: ScopedQueries;
      catalog: CatalogService;
      clusters: ClusterRegistryService;
      cache: ResourceCacheService;
    },
  ) {}

  async goldenSignals(
    credentials: BackstageCredentials,
    entityRef: string,
    range: { start: number; end: number },
  ): Promise<GoldenSignalsResponse> {
    const { queries } = this.deps;
    queries.requireThanos();
    const entity = await getEntity(this.deps.catalog, credentials, entityRef);
    const scope = await queries.queryScope(credentials);
    const { step, maxSourceResolution } = rangeParameters(
      range.start,
      range.end,
    );
    const plan = planGoldenSignals(entity, step);
    const unavailable: Error[] = [];
    const run = async (query: string, legend?: string) => {
      const r = await queries.rangeScoped(scope, { ...range, query, step });
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

    // nothing could reach Thanos: say so once, as a 503, rather than eight failed charts — and
    // before the resource queries, which would wait for the same unreachable Thanos a second time
    if (unavailable.length && signals.every(s => s.error)) throw unavailable[0];

    let pods: EntityPod[] = [];
    let podsError: string | undefined;
    try {
      pods = await entityPods(this.deps, entity, scope);
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
}
