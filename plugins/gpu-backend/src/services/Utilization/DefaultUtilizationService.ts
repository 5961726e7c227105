import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  GPU_TEAM_LABEL,
  gpuCapacityReadPermission,
  GpuSourceError,
  IdleGpu,
  IdleGpusResponse,
  UtilizationResponse,
  UtilizationSeries,
} from '@kubemate/plugin-gpu-common';
import { namespaceRegex } from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  NamespaceScope,
  requireNamespaceScope,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import { teamOfClusterQueue } from '../../lib/kueue';
import {
  gridFor,
  PromSeries,
  PrometheusClient,
  promString,
} from '../../lib/prometheus';
import { perCluster } from '../../lib/upstream';
import { GpuClusterReader } from '../ClusterReader';
import { inScope } from '../Queues/queues';
import { UtilizationGroupBy, UtilizationService } from './types';

/** The DCGM exporter's GPU utilization gauge (percent). */
export const GPU_UTIL = 'DCGM_FI_DEV_GPU_UTIL';
/** The most series a workload breakdown returns (the busiest first). */
export const MAX_WORKLOAD_SERIES = 100;

export interface DefaultUtilizationServiceOptions {
  permissions: PermissionsService;
  clusters: ClusterRegistryService;
  reader: GpuClusterReader;
  /** Undefined when `kubemate.gpu.prometheus` is not configured. */
  prometheus?: PrometheusClient;
  idle: { thresholdPercent: number; windowMinutes: number };
}

/** The team of each namespace (`cluster/namespace` → group ref) per cluster. */
type TeamMap = Map<string, string>;

/** Label matchers limiting the series to the scope's namespaces (none for scope all). */
export function scopeMatcher(scope: NamespaceScope): string {
  return scope.type === 'all'
    ? ''
    : `,namespace=~${promString(namespaceRegex(scope.namespaces))}`;
}

const nameOfRef = (ref: string) => ref.replace(/^[^:]*:(?:[^/]*\/)?/, '');

/**
 * Sums `sum` series divided by `count` series per key on their common timestamps: the average of
 * the GPUs of every namespace mapped to the same key.
 */
export function averageBy(
  sums: PromSeries[],
  counts: PromSeries[],
  keyOf: (metric: Record<string, string>) => string,
): Map<string, Array<[number, number]>> {
  const acc = new Map<string, Map<number, { sum: number; count: number }>>();
  const add = (s: PromSeries, field: 'sum' | 'count') => {
    const key = keyOf(s.metric);
    const byTime = acc.get(key) ?? new Map();
    acc.set(key, byTime);
    for (const [t, v] of s.values) {
      const cell = byTime.get(t) ?? { sum: 0, count: 0 };
      cell[field] += v;
      byTime.set(t, cell);
    }
  };
  sums.forEach(s => add(s, 'sum'));
  counts.forEach(s => add(s, 'count'));
  const out = new Map<string, Array<[number, number]>>();
  for (const [key, byTime] of acc) {
    out.set(
      key,
      [...byTime.entries()]
        .filter(([, c]) => c.count > 0)
        .sort(([a], [b]) => a - b)
        .map(([t, c]) => [t, Math.round((c.sum / c.count) * 10) / 10]),
    );
  }
  return out;
}

const round = (points: Array<[number, number]>): Array<[number, number]> =>
  points.map(([t, v]) => [t, Math.round(v * 10) / 10]);

const mean = (points: Array<[number, number]>) =>
  points.length ? points.reduce((n, [, v]) => n + v, 0) / points.length : 0;

/**
 * GPU utilization from the DCGM exporter's `DCGM_FI_DEV_GPU_UTIL` (labels `cluster`, `namespace`,
 * `pod` of the pod bound to the GPU, `modelName`, `Hostname`, `gpu`, `UUID`): per team (a
 * namespace's LocalQueue → ClusterQueue's `kubemate.io/team`, else the namespace's
 * `kubemate.io/team` label), per workload (pod) and per model; and the GPUs allocated to a pod whose
 * average stayed below the idle threshold over the window. Scoped users see their namespaces' GPUs
 * only. `demo` tells the dev stack's simulated series apart (`kubemate_demo="true"`).
 */
export class DefaultUtilizationService implements UtilizationService {
  constructor(private readonly options: DefaultUtilizationServiceOptions) {}

  private prometheus(): PrometheusClient {
    if (!this.options.prometheus) {
      throw notConfigured(
        'Prometheus',
        'Prometheus is not configured (kubemate.gpu.prometheus.url)',
      );
    }
    return this.options.prometheus;
  }

  /** Namespace → team of every cluster; a cluster that fails is reported and left out. */
  async teams(): Promise<{ teams: TeamMap; errors: GpuSourceError[] }> {
    const { reader, clusters } = this.options;
    const { results, errors } = await perCluster(
      clusters.listClusters().map(c => c.name),
      async cluster => {
        const [namespaces, localQueues, clusterQueues] = await Promise.all([
          reader.namespaces(cluster),
          reader.localQueues(cluster).catch(() => []),
          reader.clusterQueues(cluster).catch(() => []),
        ]);
        const teamOfCq = new Map(
          clusterQueues.map(cq => [cq.metadata.name, teamOfClusterQueue(cq)]),
        );
        const map: Array<[string, string]> = [];
        for (const ns of namespaces) {
          const name = ns.metadata?.name ?? '';
          const lq = localQueues.find(l => l.metadata.namespace === name);
          const label = ns.metadata?.labels?.[GPU_TEAM_LABEL];
          const team =
            (lq && teamOfCq.get(lq.spec.clusterQueue)) ??
            (label ? `group:default/team-${label}` : undefined);
          if (team) map.push([`${cluster}/${name}`, team]);
        }
        return map;
      },
    );
    return {
      teams: new Map(results.flatMap(r => r.value)),
      errors,
    };
  }

  private async isDemo(prom: PrometheusClient, matcher: string) {
    const demo = await prom.instant(
      `count(${GPU_UTIL}{kubemate_demo="true"${matcher}})`,
    );
    return demo.some(s => s.values.some(([, v]) => v > 0));
  }

  async utilization(
    credentials: BackstageCredentials,
    options: { groupBy: UtilizationGroupBy; minutes: number },
  ): Promise<UtilizationResponse> {
    const scope = await requireNamespaceScope(this.options.permissions, {
      credentials,
      permission: gpuCapacityReadPermission,
    });
    const prom = this.prometheus();
    const grid = gridFor(options.minutes);
    const m = scopeMatcher(scope);
    const errors: GpuSourceError[] = [];
    let series: UtilizationSeries[];
    if (options.groupBy === 'team') {
      const selector = `${GPU_UTIL}{namespace!=""${m}}`;
      const [sums, counts, teams] = await Promise.all([
        prom.range(`sum by (cluster, namespace) (${selector})`, grid),
        prom.range(`count by (cluster, namespace) (${selector})`, grid),
        this.teams(),
      ]);
      errors.push(...teams.errors);
      const keyOf = (l: Record<string, string>) =>
        teams.teams.get(`${l.cluster}/${l.namespace}`) ??
        `namespace:${l.cluster}/${l.namespace}`;
      series = [...averageBy(sums, counts, keyOf)].map(([key, points]) => ({
        key,
        label: key.startsWith('namespace:')
          ? key.slice('namespace:'.length)
          : nameOfRef(key),
        points,
      }));
    } else if (options.groupBy === 'model') {
      const result = await prom.range(
        `avg by (modelName) (${GPU_UTIL}{modelName!=""${m}${
          scope.type === 'all' ? '' : ',pod!=""'
        }})`,
        grid,
      );
      series = result.map(s => ({
        key: s.metric.modelName,
        label: s.metric.modelName,
        points: round(s.values),
      }));
    } else {
      const result = await prom.range(
        `avg by (cluster, namespace, pod) (${GPU_UTIL}{pod!=""${m}})`,
        grid,
      );
      series = result
        .map(s => ({
          key: `${s.metric.cluster}/${s.metric.namespace}/${s.metric.pod}`,
          label: `${s.metric.namespace}/${s.metric.pod}`,
          points: round(s.values),
        }))
        .sort((a, b) => mean(b.points) - mean(a.points))
        .slice(0, MAX_WORKLOAD_SERIES);
    }
    return {
      groupBy: options.groupBy,
      series: series.sort((a, b) => a.key.localeCompare(b.key)),
      ...grid,
      demo: await this.isDemo(prom, m),
      errors,
    };
  }

  async idle(credentials: BackstageCredentials): Promise<IdleGpusResponse> {
    const scope = await requireNamespaceScope(this.options.permissions, {
      credentials,
      permission: gpuCapacityReadPermission,
    });
    const prom = this.prometheus();
    const { thresholdPercent, windowMinutes } = this.options.idle;
    const selector = `${GPU_UTIL}{pod!=""${scopeMatcher(scope)}}`;
    const [averages, maxima, teams, demo] = await Promise.all([
      prom.instant(`avg_over_time(${selector}[${windowMinutes}m])`),
      prom.instant(`max_over_time(${selector}[${windowMinutes}m])`),
      this.teams(),
      this.isDemo(prom, scopeMatcher(scope)),
    ]);
    const gpuKey = (l: Record<string, string>) =>
      [l.cluster, l.Hostname, l.gpu, l.UUID, l.namespace, l.pod].join('|');
    const maxOf = new Map(
      maxima.map(s => [gpuKey(s.metric), s.values[0]?.[1] ?? 0]),
    );
    const items: IdleGpu[] = [];
    for (const s of averages) {
      const average = s.values[0]?.[1];
      const l = s.metric;
      if (average === undefined || average >= thresholdPercent) continue;
      if (!l.namespace || !inScope(scope, l.namespace)) continue;
      const item: IdleGpu = {
        cluster: l.cluster ?? '',
        node: l.Hostname ?? l.node ?? '',
        gpu: l.gpu ?? '',
        namespace: l.namespace,
        pod: l.pod,
        averageUtilization: Math.round(average * 10) / 10,
        maxUtilization: Math.round((maxOf.get(gpuKey(l)) ?? average) * 10) / 10,
      };
      if (l.UUID) item.uuid = l.UUID;
      if (l.modelName) item.product = l.modelName;
      const team = teams.teams.get(`${l.cluster}/${l.namespace}`);
      if (team) item.team = team;
      items.push(item);
    }
    items.sort(
      (a, b) =>
        a.averageUtilization - b.averageUtilization ||
        a.cluster.localeCompare(b.cluster) ||
        a.node.localeCompare(b.node) ||
        a.gpu.localeCompare(b.gpu),
    );
    return {
      items,
      thresholdPercent,
      windowMinutes,
      demo,
      errors: teams.errors,
    };
  }

  async podUtilization(
    pods: Array<{ cluster: string; namespace: string; pod: string }>,
    options: { minutes: number; averageMinutes?: number },
  ): Promise<{ response: UtilizationResponse; averages: Map<string, number> }> {
    const grid = gridFor(options.minutes);
    const empty = {
      response: {
        groupBy: 'workload' as const,
        series: [],
        ...grid,
        demo: false,
        errors: [],
      },
      averages: new Map<string, number>(),
    };
    if (!pods.length) return empty;
    const prom = this.prometheus();
    const namespaces = [...new Set(pods.map(p => p.namespace))];
    const names = [...new Set(pods.map(p => p.pod))];
    const re = (xs: string[]) =>
      promString(
        xs.map(x => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
      );
    const selector = `${GPU_UTIL}{namespace=~${re(namespaces)},pod=~${re(
      names,
    )}}`;
    const wanted = new Set(
      pods.map(p => `${p.cluster}/${p.namespace}/${p.pod}`),
    );
    const key = (l: Record<string, string>) =>
      `${l.cluster}/${l.namespace}/${l.pod}`;
    const [range, avg, demo] = await Promise.all([
      prom.range(`avg by (cluster, namespace, pod) (${selector})`, grid),
      prom.instant(
        `avg by (cluster, namespace, pod) (avg_over_time(${selector}[${
          options.averageMinutes ?? 15
        }m]))`,
      ),
      prom.instant(`count(${selector.replace('{', '{kubemate_demo="true",')})`),
    ]);
    const averages = new Map<string, number>();
    for (const s of avg) {
      if (wanted.has(key(s.metric)) && s.values[0]) {
        averages.set(key(s.metric), Math.round(s.values[0][1] * 10) / 10);
      }
    }
    return {
      response: {
        groupBy: 'workload',
        series: range
          .filter(s => wanted.has(key(s.metric)))
          .map(s => ({
            key: key(s.metric),
            label: `${s.metric.namespace}/${s.metric.pod}`,
            points: round(s.values),
          })),
        ...grid,
        demo: demo.some(s => s.values.some(([, v]) => v > 0)),
        errors: [],
      },
      averages,
    };
  }
}
