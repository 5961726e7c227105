import type {
  CheckContext,
  FindingDraft,
  InspectionCheck,
} from '@kubemate/plugin-inspections-node';
import type { V1Job, V1PodDisruptionBudget } from '@kubernetes/client-node';
import {
  bytes,
  clusterOf,
  duration,
  parseQuantity,
  percent,
  promString,
  skipped,
  threshold,
  toTime,
} from './format';
import { containerCheck, workloadPath } from './podTemplateChecks';
import {
  ByOwner,
  listFromApi,
  listOf,
  OwnerResolver,
  podTemplates,
  selects,
} from './workloads';

const resourcesMissing = containerCheck({
  id: 'application.resources-missing',
  title: 'Containers set requests and a memory limit',
  category: 'application',
  severity: 'medium',
  description: [
    'Every container should request CPU and memory and limit its memory:',
    '- without requests the scheduler packs pods blindly and the pod is the first evicted under pressure (`BestEffort`);',
    "- without a memory limit one leaking container can take the node's memory and get other pods OOM-killed.",
    '',
    'A CPU limit is not required (it throttles even when the node is idle); namespaces with a LimitRange get defaults, which this check does not see.',
  ].join('\n'),
  remediation:
    'Set `resources.requests.cpu`, `resources.requests.memory` and `resources.limits.memory` from observed usage (the metrics tab: p95 working set plus headroom for the limit). The application dashboards and a VerticalPodAutoscaler in recommendation mode help to size them.',
  references: [
    { source: 'Polaris', id: 'cpuRequestsMissing' },
    { source: 'Polaris', id: 'memoryRequestsMissing' },
    { source: 'Polaris', id: 'memoryLimitsMissing' },
    { source: 'Popeye', id: 'POP-106' },
    { source: 'Popeye', id: 'POP-107' },
    { source: 'Kubescape', id: 'C-0004' },
    { source: 'Kubescape', id: 'C-0050' },
  ],
  inspect(c) {
    const missing = [
      !c.resources?.requests?.cpu && 'requests.cpu',
      !c.resources?.requests?.memory && 'requests.memory',
      !c.resources?.limits?.memory && 'limits.memory',
    ].filter((m): m is string => !!m);
    if (missing.length === 0) return undefined;
    return {
      message: `no ${missing.join(', ')}.`,
      measured: `missing ${missing.join(', ')}`,
      expected: 'requests.cpu, requests.memory and limits.memory set',
      severity: missing.length === 3 ? 'high' : undefined,
    };
  },
});

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Pod']);

const probesMissing = containerCheck({
  id: 'application.probes-missing',
  title: 'Long-running containers have readiness and liveness probes',
  category: 'application',
  severity: 'medium',
  description:
    'Containers of Deployments, StatefulSets, DaemonSets and bare pods without a readiness probe receive traffic before they can serve it and keep receiving it when they cannot (medium); without a liveness probe a hung process is never restarted (low). Jobs and CronJobs are not checked.',
  remediation:
    'Add a `readinessProbe` on an endpoint that reports whether the instance can serve (its dependencies included), and a `livenessProbe` on a cheap endpoint that only fails when the process must be restarted. Slow starters need a `startupProbe` rather than a long `initialDelaySeconds`.',
  references: [
    { source: 'Polaris', id: 'readinessProbeMissing' },
    { source: 'Polaris', id: 'livenessProbeMissing' },
    { source: 'Popeye', id: 'POP-102' },
    { source: 'Popeye', id: 'POP-103' },
    { source: 'Popeye', id: 'POP-104' },
    { source: 'Kubescape', id: 'C-0018' },
    { source: 'Kubescape', id: 'C-0056' },
  ],
  initContainers: false,
  applies: t => LONG_RUNNING.has(t.kind),
  inspect(c) {
    const missing = [
      !c.readinessProbe && 'readinessProbe',
      !c.livenessProbe && 'livenessProbe',
    ].filter((m): m is string => !!m);
    if (missing.length === 0) return undefined;
    return {
      message: `no ${missing.join(' and ')}.`,
      measured: `missing ${missing.join(', ')}`,
      expected: 'readinessProbe and livenessProbe set',
      severity: c.readinessProbe ? 'low' : undefined,
    };
  },
});

const singleReplicaNoPdb: InspectionCheck = {
  id: 'application.single-replica-no-pdb',
  version: 1,
  title: 'No single-replica workloads without a PodDisruptionBudget',
  category: 'application',
  severity: 'medium',
  description:
    'Deployments and StatefulSets that run one replica and no PodDisruptionBudget selects: every node drain, upgrade or eviction takes the service down without warning.',
  remediation:
    'Run at least two replicas (spread over nodes with `topologySpreadConstraints`) and add a PodDisruptionBudget (`minAvailable: 1` or `maxUnavailable: 1`) selecting the pods. A workload that must stay single (a leader without election) still needs a PDB so drains wait for it deliberately.',
  references: [
    { source: 'Polaris', id: 'deploymentMissingReplicas' },
    { source: 'Polaris', id: 'missingPodDisruptionBudget' },
    { source: 'Popeye', id: 'POP-206' },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const path = '/apis/policy/v1/poddisruptionbudgets';
    const [templates, pdbs] = await Promise.all([
      podTemplates(ctx, cluster),
      listFromApi<V1PodDisruptionBudget>(ctx, cluster, path),
    ]);
    const byNamespace = new Map<string, V1PodDisruptionBudget[]>();
    for (const p of pdbs) {
      const ns = p.metadata?.namespace ?? '';
      const list = byNamespace.get(ns);
      if (list) list.push(p);
      else byNamespace.set(ns, [p]);
    }
    const findings: FindingDraft[] = [];
    let evaluated = 0;
    for (const t of templates) {
      if (t.kind !== 'Deployment' && t.kind !== 'StatefulSet') continue;
      evaluated++;
      if (t.replicas !== 1) continue;
      const covered = (byNamespace.get(t.namespace) ?? []).some(p =>
        selects(p.spec?.selector, t.labels),
      );
      if (covered) continue;
      findings.push({
        object: { cluster, namespace: t.namespace, kind: t.kind, name: t.name },
        message: `${t.kind} ${t.name} runs a single replica and no PodDisruptionBudget covers it.`,
        labels: t.labels,
        evidence: {
          measured: '1 replica, no PodDisruptionBudget',
          expected: '≥ 2 replicas or a PodDisruptionBudget',
          query: `GET ${workloadPath(t)}; GET ${path}`,
        },
      });
    }
    return { findings, evaluated };
  },
};

const oomKilled: InspectionCheck = {
  id: 'application.oomkilled',
  version: 1,
  title: 'No containers killed for running out of memory',
  category: 'application',
  severity: 'high',
  description:
    'Containers whose current or last termination is `OOMKilled`: they exceeded their memory limit (or the node ran out of memory) and were killed by the kernel, losing in-flight work.',
  remediation: [
    '- Compare the memory limit with the working set before the kill (the metrics tab); a steady climb is a leak, a spike a large request or batch.',
    '- Raise `resources.limits.memory` (and the request) if the usage is legitimate; for JVMs set the heap below the limit (`-XX:MaxRAMPercentage`).',
    '- Fix the leak otherwise; the application check `memory-near-limit` shows containers about to be killed.',
  ].join('\n'),
  references: [
    {
      source: 'Kubernetes',
      id: 'assign-memory-resource',
      url: 'https://kubernetes.io/docs/tasks/configure-pod-container/assign-memory-resource/',
    },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const [pods, owners] = await Promise.all([
      ctx.sources.kubernetes.list(cluster, 'pods'),
      OwnerResolver.load(ctx, cluster),
    ]);
    const groups = new ByOwner<{ at?: string; restarts: number }>();
    let evaluated = 0;
    for (const pod of pods) {
      if (!ctx.namespaceInScope(pod.metadata?.namespace ?? '')) continue;
      evaluated++;
      for (const s of [
        ...(pod.status?.initContainerStatuses ?? []),
        ...(pod.status?.containerStatuses ?? []),
      ]) {
        const t = [s.state?.terminated, s.lastState?.terminated].find(
          x => x?.reason === 'OOMKilled',
        );
        if (!t) continue;
        const at = toTime(t.finishedAt);
        groups.add(pod, owners.ownerOf(pod), s.name, {
          at: at !== undefined ? new Date(at).toISOString() : undefined,
          restarts: s.restartCount ?? 0,
        });
      }
    }
    const findings = groups.entries().map(g => ({
      object: {
        cluster,
        namespace: g.namespace,
        kind: g.owner.kind,
        name: g.owner.name,
        part: g.part,
      },
      message: `Container ${g.part} of ${g.owner.kind} ${g.owner.name} was OOMKilled (${g.pods.length} pod(s)).`,
      labels: g.labels,
      evidence: {
        measured: `OOMKilled in ${listOf(g.pods)}${
          g.values[0].at ? `, last at ${g.values[0].at}` : ''
        }`,
        expected: 'no OOMKilled terminations',
        query: `GET /api/v1/namespaces/${g.namespace}/pods (status.containerStatuses[].lastState.terminated.reason)`,
      },
    }));
    return { findings, evaluated };
  },
};

const memoryNearLimit: InspectionCheck = {
  id: 'application.memory-near-limit',
  version: 1,
  title: "Containers' memory stays below their limit",
  category: 'application',
  severity: 'high',
  description:
    'The working set of each container (`container_memory_working_set_bytes`, what the kubelet compares with the limit) as a share of its memory limit from the pod spec. At `usedPercent` the container is close to being OOM-killed.',
  remediation:
    "Look at the trend in the metrics tab: a steady climb is a leak (take a heap profile), a plateau near the limit means the limit is too low — raise `resources.limits.memory` (and the request) or lower the application's caches/heap.",
  references: [{ source: 'Popeye', id: 'POP-112' }],
  dataSource: 'prometheus',
  scope: 'cluster',
  thresholds: { usedPercent: 90 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    if (!ctx.sources.prometheus.configured()) {
      return skipped('kubemate.inspections.prometheus.url is not configured');
    }
    const limitPct = threshold(ctx, 'usedPercent');
    const query = `max by (namespace, pod, container) (container_memory_working_set_bytes{cluster=${promString(
      cluster,
    )}, container!=""})`;
    const [samples, pods, owners] = await Promise.all([
      ctx.sources.prometheus.query(query),
      ctx.sources.kubernetes.list(cluster, 'pods'),
      OwnerResolver.load(ctx, cluster),
    ]);
    const usage = new Map<string, number>();
    for (const s of samples) {
      usage.set(
        `${s.labels.namespace}/${s.labels.pod}/${s.labels.container}`,
        s.value,
      );
    }
    const groups = new ByOwner<{ used: number; limit: number; pct: number }>();
    let evaluated = 0;
    for (const pod of pods) {
      const ns = pod.metadata?.namespace ?? '';
      if (!ctx.namespaceInScope(ns)) continue;
      for (const c of pod.spec?.containers ?? []) {
        const limit = parseQuantity(c.resources?.limits?.memory);
        const used = usage.get(`${ns}/${pod.metadata?.name}/${c.name}`);
        if (!Number.isFinite(limit) || limit <= 0 || used === undefined)
          continue;
        evaluated++;
        const pct = (100 * used) / limit;
        if (pct >= limitPct)
          groups.add(pod, owners.ownerOf(pod), c.name, { used, limit, pct });
      }
    }
    const findings = groups.entries().map(g => {
      const worst = g.values.reduce((a, b) => (b.pct > a.pct ? b : a));
      return {
        object: {
          cluster,
          namespace: g.namespace,
          kind: g.owner.kind,
          name: g.owner.name,
          part: g.part,
        },
        message: `Container ${g.part} of ${g.owner.kind} ${
          g.owner.name
        } uses ${percent(worst.pct)} of its memory limit.`,
        severity: worst.pct >= 100 ? ('critical' as const) : undefined,
        labels: g.labels,
        evidence: {
          measured: `${bytes(worst.used)} of ${bytes(worst.limit)} (${percent(
            worst.pct,
          )}) in ${listOf(g.pods)}`,
          expected: `< ${limitPct} % of the limit`,
          query,
        },
      };
    });
    return { findings, evaluated };
  },
};

/** Pod labels an application label of the logs usually comes from. */
const APP_LABELS = [
  'app',
  'app.kubernetes.io/name',
  'backstage.io/kubernetes-id',
];

const errorLogRate: InspectionCheck = {
  id: 'application.error-log-rate',
  version: 1,
  title: 'Applications do not log errors at a high rate',
  category: 'application',
  severity: 'medium',
  description:
    'Error log lines (streams labelled `level` error, fatal, critical or panic) per minute over the last `windowMinutes`, per namespace and `app`, from Loki. Above `errorsPerMinute` the application is failing requests or retrying a broken dependency.',
  remediation:
    'Open the logs of the application (the logs tab, level=error) for the window: group the messages, find the first one (often a dependency timing out) and follow its trace. Noisy errors that are not errors should be logged at a lower level.',
  references: [],
  dataSource: 'loki',
  scope: 'cluster',
  thresholds: { windowMinutes: 15, errorsPerMinute: 1 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    if (!ctx.sources.loki.configured()) {
      return skipped('kubemate.inspections.loki.url is not configured');
    }
    const windowMinutes = threshold(ctx, 'windowMinutes');
    const maxRate = threshold(ctx, 'errorsPerMinute');
    const query = `sum by (namespace, app) (count_over_time({cluster=${promString(
      cluster,
    )}, level=~"(?i)(error|err|fatal|critical|panic)"}[${windowMinutes}m]))`;
    const [samples, pods] = await Promise.all([
      ctx.sources.loki.query(query),
      ctx.sources.kubernetes.list(cluster, 'pods'),
    ]);
    const appLabels = new Map<string, Record<string, string>>();
    for (const p of pods) {
      const labels = p.metadata?.labels ?? {};
      for (const key of APP_LABELS) {
        if (labels[key])
          appLabels.set(`${p.metadata?.namespace}/${labels[key]}`, labels);
      }
    }
    const findings: FindingDraft[] = [];
    let evaluated = 0;
    for (const s of samples) {
      const { namespace = '', app } = s.labels;
      if (!app || !ctx.namespaceInScope(namespace)) continue;
      evaluated++;
      const rate = s.value / windowMinutes;
      if (rate <= maxRate) continue;
      findings.push({
        object: { cluster, namespace, kind: 'App', name: app },
        message: `${app} in ${namespace} logged ${rate.toFixed(
          1,
        )} errors per minute over the last ${windowMinutes} min.`,
        labels: appLabels.get(`${namespace}/${app}`) ?? { app },
        evidence: {
          measured: `${rate.toFixed(1)} errors/min (${
            s.value
          } lines in ${windowMinutes} min)`,
          expected: `≤ ${maxRate} errors/min`,
          query,
        },
      });
    }
    return { findings, evaluated };
  },
};

function jobCondition(job: V1Job, type: string) {
  return job.status?.conditions?.find(
    c => c.type === type && c.status === 'True',
  );
}

const cronjobsFailing: InspectionCheck = {
  id: 'application.cronjobs-failing',
  version: 1,
  title: "CronJobs' last runs succeed",
  category: 'application',
  severity: 'high',
  description:
    'CronJobs whose most recent finished Job failed (its `Failed` condition is true: back-off limit reached, deadline exceeded). Batch work (settlements, reports, clean-ups) silently not done is found days later.',
  remediation: [
    '- `kubectl describe job <job>` and `kubectl logs job/<job>` show why it failed; re-run it once fixed with `kubectl create job --from=cronjob/<cronjob> <name>`.',
    '- Keep `failedJobsHistoryLimit` ≥ 1 so the failure stays inspectable, and set `activeDeadlineSeconds` / `backoffLimit` deliberately.',
  ].join('\n'),
  references: [
    { source: 'Popeye', id: 'POP-1502' },
    {
      source: 'Kubernetes',
      id: 'cron-jobs',
      url: 'https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/',
    },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const [cronjobs, jobs] = await Promise.all([
      ctx.sources.kubernetes.list(cluster, 'cronjobs'),
      ctx.sources.kubernetes.list(cluster, 'jobs'),
    ]);
    const latest = new Map<string, { job: V1Job; at: number }>();
    for (const job of jobs) {
      const owner = job.metadata?.ownerReferences?.find(
        o => o.controller && o.kind === 'CronJob',
      );
      const done = jobCondition(job, 'Complete') ?? jobCondition(job, 'Failed');
      if (!owner || !done) continue;
      const at =
        toTime(job.status?.startTime) ??
        toTime(job.metadata?.creationTimestamp) ??
        0;
      const key = `${job.metadata?.namespace}/${owner.name}`;
      const prev = latest.get(key);
      if (!prev || at > prev.at) latest.set(key, { job, at });
    }
    const findings: FindingDraft[] = [];
    let evaluated = 0;
    for (const cj of cronjobs) {
      const ns = cj.metadata?.namespace ?? '';
      if (!ctx.namespaceInScope(ns)) continue;
      evaluated++;
      const last = latest.get(`${ns}/${cj.metadata?.name}`);
      const failed = last && jobCondition(last.job, 'Failed');
      if (!last || !failed) continue;
      const lastSuccess = toTime(cj.status?.lastSuccessfulTime);
      findings.push({
        object: {
          cluster,
          namespace: ns,
          kind: 'CronJob',
          name: cj.metadata?.name ?? '',
        },
        message: `The last run of CronJob ${cj.metadata?.name} (Job ${
          last.job.metadata?.name
        }) failed: ${failed.reason ?? 'Failed'}.`,
        labels: {
          ...cj.spec?.jobTemplate?.spec?.template?.metadata?.labels,
          ...cj.metadata?.labels,
        },
        evidence: {
          measured: `Job ${last.job.metadata?.name} Failed (${
            failed.reason ?? ''
          }); last success ${
            lastSuccess !== undefined
              ? new Date(lastSuccess).toISOString()
              : 'never'
          }`,
          expected: 'last Job Complete',
          query: `GET /apis/batch/v1/namespaces/${ns}/jobs (ownerReferences → CronJob ${cj.metadata?.name})`,
          details: failed.message,
        },
      });
    }
    return { findings, evaluated };
  },
};

const jobDuration: InspectionCheck = {
  id: 'application.job-duration',
  version: 1,
  title: 'Jobs do not run longer than expected',
  category: 'application',
  severity: 'medium',
  description:
    'Jobs still running `maxMinutes` after they started: a batch that hangs (a lock, a dependency that never answers) or has outgrown its window and will overlap the next run.',
  remediation:
    "Look at the Job's pods and logs for where it waits. Give batch Jobs an `activeDeadlineSeconds` so a hung run fails visibly, and `concurrencyPolicy: Forbid` on CronJobs that must not overlap. If the batch legitimately grew, raise this check's `maxMinutes` for it through an exemption or the threshold.",
  references: [],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: { maxMinutes: 60 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const maxMs = threshold(ctx, 'maxMinutes') * 60_000;
    const jobs = await ctx.sources.kubernetes.list(cluster, 'jobs');
    const findings: FindingDraft[] = [];
    let evaluated = 0;
    for (const job of jobs) {
      const ns = job.metadata?.namespace ?? '';
      if (!ctx.namespaceInScope(ns)) continue;
      evaluated++;
      if (
        !job.status?.active ||
        jobCondition(job, 'Complete') ||
        jobCondition(job, 'Failed')
      )
        continue;
      const started = toTime(job.status?.startTime);
      if (started === undefined) continue;
      const ms = ctx.now.getTime() - started;
      if (ms < maxMs) continue;
      const cron = job.metadata?.ownerReferences?.find(
        o => o.controller && o.kind === 'CronJob',
      );
      findings.push({
        object: {
          cluster,
          namespace: ns,
          kind: cron ? 'CronJob' : 'Job',
          name: cron?.name ?? job.metadata?.name ?? '',
        },
        message: `Job ${job.metadata?.name} has been running for ${duration(
          ms,
        )}.`,
        labels: job.spec?.template?.metadata?.labels,
        evidence: {
          measured: `${duration(ms)} (started ${new Date(
            started,
          ).toISOString()}, ${job.status.active} active pod(s))`,
          expected: `< ${ctx.thresholds.maxMinutes} min`,
          query: `GET /apis/batch/v1/namespaces/${ns}/jobs/${job.metadata?.name}`,
        },
      });
    }
    return { findings, evaluated };
  },
};

const hpaAtMax: InspectionCheck = {
  id: 'application.hpa-at-max',
  version: 1,
  title: 'Autoscalers have room to scale',
  category: 'application',
  severity: 'low',
  description:
    'HorizontalPodAutoscalers running at `maxReplicas` (with `maxReplicas` above `minReplicas`): the load is higher than the autoscaler may follow, so latency grows or requests fail.',
  remediation:
    'Check whether the load is expected (the metrics tab). Raise `maxReplicas` if the cluster and the dependencies (database connections) can take it, or make each replica cheaper.',
  references: [],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx: CheckContext) {
    const cluster = clusterOf(ctx);
    const hpas = (
      await ctx.sources.kubernetes.list(cluster, 'horizontalpodautoscalers')
    ).filter(h => ctx.namespaceInScope(h.metadata?.namespace ?? ''));
    const findings: FindingDraft[] = hpas
      .filter(h => {
        const max = h.spec?.maxReplicas ?? 0;
        return (
          max > (h.spec?.minReplicas ?? 1) &&
          (h.status?.currentReplicas ?? 0) >= max
        );
      })
      .map(h => ({
        object: {
          cluster,
          namespace: h.metadata?.namespace,
          kind: 'HorizontalPodAutoscaler',
          name: h.metadata?.name ?? '',
        },
        message: `HorizontalPodAutoscaler ${h.metadata?.name} runs at its maximum of ${h.spec?.maxReplicas} replicas.`,
        evidence: {
          measured: `${h.status?.currentReplicas} replicas`,
          expected: `< maxReplicas ${h.spec?.maxReplicas}`,
          query: `GET /apis/autoscaling/v2/namespaces/${h.metadata?.namespace}/horizontalpodautoscalers/${h.metadata?.name}`,
          details: `target ${h.spec?.scaleTargetRef?.kind}/${h.spec?.scaleTargetRef?.name}`,
        },
      }));
    return { findings, evaluated: hpas.length };
  },
};

export const applicationChecks: InspectionCheck[] = [
  resourcesMissing,
  probesMissing,
  singleReplicaNoPdb,
  oomKilled,
  memoryNearLimit,
  errorLogRate,
  cronjobsFailing,
  jobDuration,
  hpaAtMax,
];
