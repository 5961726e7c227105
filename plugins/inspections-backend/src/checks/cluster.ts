import type { Severity } from '@kubemate/plugin-inspections-common';
import type {
  CheckContext,
  FindingDraft,
  InspectionCheck,
} from '@kubemate/plugin-inspections-node';
import type {
  V1PersistentVolumeClaim,
  V1ResourceQuota,
  V1Secret,
  V1Pod,
} from '@kubernetes/client-node';
import { X509Certificate } from 'node:crypto';
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
import { ByOwner, listFromApi, listOf, OwnerResolver } from './workloads';

const DAY_MS = 86_400_000;

/** Lines of `/readyz?verbose` or `/livez?verbose` that report a failing check (`[-]etcd failed: ...`). */
export function failingHealthChecks(text: string): string[] {
  return text
    .split('\n')
    .map(l => l.trim())
    .filter(l => l.startsWith('[-]'))
    .map(l => l.slice(3));
}

function apiserverHealthCheck(
  endpoint: 'readyz' | 'livez',
  title: string,
  description: string,
): InspectionCheck {
  const path = `/${endpoint}?verbose`;
  return {
    id: `cluster.apiserver-${endpoint === 'readyz' ? 'ready' : 'live'}`,
    version: 1,
    title,
    category: 'cluster',
    severity: 'critical',
    description,
    remediation: [
      `Read the failing checks in the evidence (\`kubectl get --raw '${path}'\`). \`etcd\` failing means`,
      "the apiserver cannot reach its storage: check etcd health and the apiserver's `--etcd-servers`.",
      'A `poststarthook/*` failing after start points at a controller the apiserver runs (RBAC',
      'bootstrap, API priority and fairness): read the apiserver log around the failure. A `log`',
      'or `ping` failure usually means the process is overloaded or shutting down.',
    ].join('\n'),
    references: [
      {
        source: 'Kubernetes',
        id: 'API health endpoints',
        url: 'https://kubernetes.io/docs/reference/using-api/health-checks/',
      },
    ],
    dataSource: 'apiserver',
    scope: 'cluster',
    async run(ctx) {
      const cluster = clusterOf(ctx);
      const res = await ctx.sources.kubernetes.get(cluster, path);
      if (res.status === 200) return { findings: [], evaluated: 1 };
      const failing = failingHealthChecks(res.text);
      return {
        evaluated: 1,
        findings: [
          {
            object: { cluster, kind: 'Cluster', name: cluster, part: endpoint },
            message: failing.length
              ? `The apiserver's /${endpoint} fails: ${failing.join('; ')}.`
              : `The apiserver's /${endpoint} answered HTTP ${res.status}.`,
            evidence: {
              measured: `HTTP ${res.status}${
                failing.length ? `, ${failing.length} failing checks` : ''
              }`,
              expected: 'HTTP 200, every check [+]',
              query: `GET ${path}`,
              details: res.text.slice(0, 4000),
            },
          },
        ],
      };
    },
  };
}

const etcdHealth: InspectionCheck = {
  id: 'cluster.etcd-health',
  version: 1,
  title: 'etcd is healthy',
  category: 'cluster',
  severity: 'critical',
  description:
    "Reads etcd's `/health` endpoint on its client URL (`kubemate.inspections.clusters.<cluster>.etcd.url`). An unhealthy etcd (no leader, alarms such as NOSPACE, a failing backend) makes the whole control plane read-only or unavailable.",
  remediation: [
    '- `etcdctl endpoint health --cluster` and `etcdctl endpoint status -w table` show the failing member and the leader.',
    '- `etcdctl alarm list`: a `NOSPACE` alarm needs compaction and defragmentation (`etcdctl compact`, `etcdctl defrag`) then `etcdctl alarm disarm`.',
    "- Without a leader, check the members' connectivity (peer URLs, certificates) and their logs; restore from the latest snapshot if quorum is lost.",
  ].join('\n'),
  references: [
    {
      source: 'etcd',
      id: 'monitoring',
      url: 'https://etcd.io/docs/v3.5/op-guide/monitoring/',
    },
  ],
  dataSource: 'etcd',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    if (!ctx.sources.etcd.configured(cluster)) {
      return skipped(
        `etcd of ${cluster} is not configured (kubemate.inspections.clusters.${cluster}.etcd.url)`,
      );
    }
    const res = await ctx.sources.etcd.get(cluster, '/health');
    let health: { health?: string; reason?: string } = {};
    try {
      health = JSON.parse(res.text);
    } catch {
      // reported below with the raw text
    }
    if (res.status === 200 && health.health === 'true') {
      return { findings: [], evaluated: 1 };
    }
    return {
      evaluated: 1,
      findings: [
        {
          object: { cluster, kind: 'Cluster', name: cluster, part: 'etcd' },
          message: `etcd of ${cluster} is unhealthy${
            health.reason ? `: ${health.reason}` : ''
          }.`,
          evidence: {
            measured: `HTTP ${res.status}, health=${health.health ?? '?'}`,
            expected: 'HTTP 200, health=true',
            query: 'GET /health',
            details: res.text.slice(0, 2000),
          },
        },
      ],
    };
  },
};

const etcdSnapshotAge: InspectionCheck = {
  id: 'cluster.etcd-snapshot-age',
  version: 1,
  title: 'etcd has a recent snapshot',
  category: 'cluster',
  severity: 'high',
  description:
    'The age of the last successful etcd snapshot, from the `kubemate_etcd_snapshot_last_success_timestamp_seconds{cluster}` metric the snapshot job publishes (node exporter textfile collector). Without a recent snapshot a lost etcd means a lost cluster.',
  remediation: [
    '- Check the snapshot job (cron / systemd timer running `etcdctl snapshot save`) and its log on the control-plane host.',
    '- After a successful `etcdctl snapshot save` the job must write the metric (`kubemate_etcd_snapshot_last_success_timestamp_seconds{cluster="<cluster>"} <unix time>`) to the node exporter\'s textfile directory.',
    '- Verify the snapshot: `etcdutl snapshot status <file> -w table`, and copy it off the host.',
  ].join('\n'),
  references: [
    {
      source: 'Kubernetes',
      id: 'Backing up an etcd cluster',
      url: 'https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#backing-up-an-etcd-cluster',
    },
  ],
  dataSource: 'prometheus',
  scope: 'cluster',
  thresholds: { maxAgeHours: 24 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    if (!ctx.sources.etcd.configured(cluster)) {
      return skipped(
        `etcd of ${cluster} is not managed here (kubemate.inspections.clusters.${cluster}.etcd.url)`,
      );
    }
    if (!ctx.sources.prometheus.configured()) {
      return skipped('kubemate.inspections.prometheus.url is not configured');
    }
    const maxAgeHours = threshold(ctx, 'maxAgeHours');
    const query = `max(kubemate_etcd_snapshot_last_success_timestamp_seconds{cluster=${promString(
      cluster,
    )}})`;
    const samples = await ctx.sources.prometheus.query(query);
    const object = {
      cluster,
      kind: 'Cluster',
      name: cluster,
      part: 'etcd-snapshot',
    };
    const last = samples.find(s => Number.isFinite(s.value))?.value;
    if (last === undefined) {
      return {
        evaluated: 1,
        findings: [
          {
            object,
            message: `No etcd snapshot of ${cluster} has been recorded.`,
            evidence: {
              measured: 'no snapshot metric',
              expected: `a snapshot younger than ${maxAgeHours} h`,
              query,
            },
          },
        ],
      };
    }
    const ageMs = ctx.now.getTime() - last * 1000;
    if (ageMs <= maxAgeHours * 3_600_000) return { findings: [], evaluated: 1 };
    return {
      evaluated: 1,
      findings: [
        {
          object,
          message: `The last etcd snapshot of ${cluster} is ${duration(
            ageMs,
          )} old.`,
          evidence: {
            measured: `${duration(ageMs)} (at ${new Date(
              last * 1000,
            ).toISOString()})`,
            expected: `< ${maxAgeHours} h`,
            query,
          },
        },
      ],
    };
  },
};

/** The value of an unlabelled (or first) sample of a metric in Prometheus text format. */
export function metricValue(text: string, name: string): number | undefined {
  for (const line of text.split('\n')) {
    if (
      line.startsWith(name) &&
      (line[name.length] === ' ' || line[name.length] === '{')
    ) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      if (Number.isFinite(value)) return value;
    }
  }
  return undefined;
}

const etcdDbSize: InspectionCheck = {
  id: 'cluster.etcd-db-size',
  version: 1,
  title: 'etcd database below its quota',
  category: 'cluster',
  severity: 'high',
  description:
    "Compares etcd's database size (`etcd_mvcc_db_total_size_in_bytes`) with its backend quota (`etcd_server_quota_backend_bytes`, `--quota-backend-bytes`) from etcd's `/metrics`. At the quota etcd raises a NOSPACE alarm and refuses every write: no pod can be created or updated.",
  remediation: [
    '- Compact old revisions and defragment each member, one at a time: `etcdctl compact $(etcdctl endpoint status -w json | jq .[0].Status.header.revision)` then `etcdctl defrag`.',
    "- Check the apiserver's `--etcd-compaction-interval` and what writes so much (events, leases, large ConfigMaps/Secrets, CRDs written in loops).",
    '- Raise `--quota-backend-bytes` (at most 8 GiB is recommended) if the data is legitimately large.',
  ].join('\n'),
  references: [
    {
      source: 'etcd',
      id: 'maintenance (space quota)',
      url: 'https://etcd.io/docs/v3.5/op-guide/maintenance/#space-quota',
    },
  ],
  dataSource: 'etcd',
  scope: 'cluster',
  thresholds: { usedPercent: 80 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    if (!ctx.sources.etcd.configured(cluster)) {
      return skipped(
        `etcd of ${cluster} is not configured (kubemate.inspections.clusters.${cluster}.etcd.url)`,
      );
    }
    const res = await ctx.sources.etcd.get(cluster, '/metrics');
    if (res.status !== 200) {
      throw new Error(
        `etcd of ${cluster} answered ${res.status} to GET /metrics`,
      );
    }
    const size = metricValue(res.text, 'etcd_mvcc_db_total_size_in_bytes');
    const quota = metricValue(res.text, 'etcd_server_quota_backend_bytes');
    if (size === undefined || !quota) {
      throw new Error(
        `etcd of ${cluster} does not publish etcd_mvcc_db_total_size_in_bytes and etcd_server_quota_backend_bytes`,
      );
    }
    const usedPercent = threshold(ctx, 'usedPercent');
    const used = (100 * size) / quota;
    if (used < usedPercent) return { findings: [], evaluated: 1 };
    return {
      evaluated: 1,
      findings: [
        {
          object: { cluster, kind: 'Cluster', name: cluster, part: 'etcd-db' },
          message: `etcd's database of ${cluster} uses ${percent(
            used,
          )} of its quota.`,
          severity: used >= 95 ? 'critical' : undefined,
          evidence: {
            measured: `${bytes(size)} of ${bytes(quota)} (${percent(used)})`,
            expected: `< ${usedPercent} %`,
            query:
              'GET /metrics: etcd_mvcc_db_total_size_in_bytes / etcd_server_quota_backend_bytes',
          },
        },
      ],
    };
  },
};

/** Node conditions that are a problem when True (Ready is a problem when not True). */
const BAD_WHEN_TRUE = [
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
  'NetworkUnavailable',
];

const nodeConditions: InspectionCheck = {
  id: 'cluster.node-conditions',
  version: 1,
  title: 'Nodes are Ready and without pressure',
  category: 'cluster',
  severity: 'high',
  description:
    'Every node must be `Ready=True` and report no `MemoryPressure`, `DiskPressure`, `PIDPressure` or `NetworkUnavailable`. A NotReady node stops running pods (they are evicted after the toleration period); pressure conditions make the kubelet evict pods and the scheduler avoid the node.',
  remediation: [
    "- `kubectl describe node <node>`: the condition's reason and message, and the last heartbeat.",
    '- NotReady: check the kubelet and the container runtime on the host (`systemctl status kubelet`, `journalctl -u kubelet`), its certificates and its connection to the apiserver.',
    '- DiskPressure: free the image and log file systems (`crictl rmi --prune`, log rotation); MemoryPressure / PIDPressure: find the pods using the most and set limits.',
    '- NetworkUnavailable: the CNI plugin on the node is not ready.',
  ].join('\n'),
  references: [
    { source: 'Popeye', id: 'POP-702' },
    { source: 'Popeye', id: 'POP-704' },
    { source: 'Popeye', id: 'POP-705' },
    { source: 'Popeye', id: 'POP-706' },
    { source: 'Popeye', id: 'POP-707' },
    {
      source: 'Kubernetes',
      id: 'node-conditions',
      url: 'https://kubernetes.io/docs/reference/node/node-status/#condition',
    },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const nodes = await ctx.sources.kubernetes.list(cluster, 'nodes');
    const findings: FindingDraft[] = [];
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      const conditions = node.status?.conditions ?? [];
      const ready = conditions.find(c => c.type === 'Ready');
      const problems = [
        ...(ready?.status !== 'True'
          ? [
              {
                type: 'Ready',
                status: ready?.status ?? 'missing',
                c: ready,
                severity: 'critical' as Severity,
              },
            ]
          : []),
        ...conditions
          .filter(c => BAD_WHEN_TRUE.includes(c.type) && c.status === 'True')
          .map(c => ({
            type: c.type,
            status: c.status,
            c,
            severity: undefined,
          })),
      ];
      for (const p of problems) {
        findings.push({
          object: { cluster, kind: 'Node', name, part: p.type },
          message:
            p.type === 'Ready'
              ? `Node ${name} is not Ready (${p.status}${
                  p.c?.reason ? `: ${p.c.reason}` : ''
                }).`
              : `Node ${name} reports ${p.type}${
                  p.c?.reason ? ` (${p.c.reason})` : ''
                }.`,
          severity: p.severity,
          labels: node.metadata?.labels,
          evidence: {
            measured: `${p.type}=${p.status}`,
            expected: p.type === 'Ready' ? 'Ready=True' : `${p.type}=False`,
            query: `GET /api/v1/nodes/${name} (status.conditions)`,
            details: p.c?.message,
          },
        });
      }
    }
    return { findings, evaluated: nodes.length };
  },
};

const nodeUnschedulable: InspectionCheck = {
  id: 'cluster.node-unschedulable',
  version: 1,
  title: 'Nodes are schedulable',
  category: 'cluster',
  severity: 'low',
  description:
    "A cordoned node (`spec.unschedulable: true`) takes no new pods. Cordoning is right during maintenance; a node forgotten cordoned silently shrinks the cluster's capacity.",
  remediation:
    'If the maintenance is over, `kubectl uncordon <node>`. If the node is being retired, drain and delete it so capacity reports stay true.',
  references: [
    { source: 'Popeye', id: 'POP-711' },
    {
      source: 'Kubernetes',
      id: 'kubectl cordon',
      url: 'https://kubernetes.io/docs/reference/kubectl/generated/kubectl_cordon/',
    },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const nodes = await ctx.sources.kubernetes.list(cluster, 'nodes');
    const findings: FindingDraft[] = nodes
      .filter(n => n.spec?.unschedulable)
      .map(n => ({
        object: { cluster, kind: 'Node', name: n.metadata?.name ?? '' },
        message: `Node ${n.metadata?.name} is cordoned (unschedulable).`,
        labels: n.metadata?.labels,
        evidence: {
          measured: 'spec.unschedulable=true',
          expected: 'schedulable',
          query: `GET /api/v1/nodes/${n.metadata?.name}`,
          details: (n.spec?.taints ?? [])
            .map(t => `${t.key}=${t.value ?? ''}:${t.effect}`)
            .join(', '),
        },
      }));
    return { findings, evaluated: nodes.length };
  },
};

/** Pods of the cluster in the run's namespaces, with the resolver of their owners. */
async function podsInScope(ctx: CheckContext, cluster: string) {
  const [pods, owners] = await Promise.all([
    ctx.sources.kubernetes.list(cluster, 'pods'),
    OwnerResolver.load(ctx, cluster),
  ]);
  return {
    pods: pods.filter(p => ctx.namespaceInScope(p.metadata?.namespace ?? '')),
    owners,
  };
}

/** Every container status of a pod (init containers included). */
function statusesOf(pod: V1Pod) {
  return [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
}

/** Waiting reasons of an image that cannot be pulled (reported by cluster.pods-image-pull). */
const IMAGE_PULL_REASONS = [
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
];

/** A check over container states, one finding per owner and container. */
function containerStateCheck(options: {
  id: string;
  title: string;
  severity: Severity;
  description: string;
  remediation: string;
  references: InspectionCheck['references'];
  reasons: string[];
  what: string;
}): InspectionCheck {
  return {
    id: options.id,
    version: 1,
    title: options.title,
    category: 'cluster',
    severity: options.severity,
    description: options.description,
    remediation: options.remediation,
    references: options.references,
    dataSource: 'kubernetes',
    scope: 'cluster',
    async run(ctx) {
      const cluster = clusterOf(ctx);
      const { pods, owners } = await podsInScope(ctx, cluster);
      const groups = new ByOwner<{
        reason: string;
        message?: string;
        image?: string;
      }>();
      for (const pod of pods) {
        for (const s of statusesOf(pod)) {
          const waiting = s.state?.waiting;
          if (waiting?.reason && options.reasons.includes(waiting.reason)) {
            groups.add(pod, owners.ownerOf(pod), s.name, {
              reason: waiting.reason,
              message: waiting.message,
              image: s.image,
            });
          }
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
        message: `Container ${g.part} of ${g.owner.kind} ${
          g.owner.name
        } is in ${g.values[0].reason} (${g.pods.length} pod${
          g.pods.length > 1 ? 's' : ''
        }).`,
        labels: g.labels,
        evidence: {
          measured: `${g.values[0].reason} in ${g.pods.length} pod(s): ${listOf(
            g.pods,
          )}`,
          expected: options.what,
          query: `GET /api/v1/namespaces/${g.namespace}/pods (status.containerStatuses[].state.waiting)`,
          details: [
            g.values[0].image && `image ${g.values[0].image}`,
            g.values[0].message,
          ]
            .filter(Boolean)
            .join(': '),
        },
      }));
      return { findings, evaluated: pods.length };
    },
  };
}

const podsCrashloop = containerStateCheck({
  id: 'cluster.pods-crashloop',
  title: 'No containers in CrashLoopBackOff',
  severity: 'high',
  reasons: ['CrashLoopBackOff'],
  what: 'running',
  description:
    'Containers that keep exiting and are restarted with a growing back-off (`CrashLoopBackOff`). The workload is down or degraded while it lasts.',
  remediation: [
    '- `kubectl logs <pod> -c <container> --previous` shows why the last run exited; `kubectl describe pod` shows the exit code (137 = killed, often OOM; 1 = the application failed).',
    '- Typical causes: a missing ConfigMap/Secret key or environment variable, a database that cannot be reached at start, a wrong command, a liveness probe that kills a slow start (use a startupProbe).',
  ].join('\n'),
  references: [
    { source: 'Popeye', id: 'POP-203' },
    {
      source: 'Kubernetes',
      id: 'debug-running-pod',
      url: 'https://kubernetes.io/docs/tasks/debug/debug-application/debug-running-pod/',
    },
  ],
});

const podsImagePull = containerStateCheck({
  id: 'cluster.pods-image-pull',
  title: 'No containers failing to pull their image',
  severity: 'high',
  reasons: IMAGE_PULL_REASONS,
  what: 'image pulled',
  description:
    'Containers whose image cannot be pulled (`ImagePullBackOff`, `ErrImagePull`, `InvalidImageName`): the pod never starts. Often a typo in the tag, a deleted tag, a private registry without an `imagePullSecret`, or a registry that is down.',
  remediation: [
    '- `kubectl describe pod <pod>`: the event says whether the image is not found, unauthorized or the registry unreachable.',
    "- Fix the image reference, push the missing tag, or add the registry's pull secret to the pod's service account (`imagePullSecrets`).",
  ].join('\n'),
  references: [
    { source: 'Popeye', id: 'POP-203' },
    {
      source: 'Kubernetes',
      id: 'images',
      url: 'https://kubernetes.io/docs/concepts/containers/images/',
    },
  ],
});

const podsPending: InspectionCheck = {
  id: 'cluster.pods-pending',
  version: 1,
  title: 'No pods pending for long',
  category: 'cluster',
  severity: 'medium',
  description:
    'Pods in phase `Pending` for longer than `pendingMinutes`: the scheduler finds no node (not enough CPU/memory, taints, affinity, an unbound volume) or the pod waits for something else (image pulls count as Pending too).',
  remediation: [
    '- `kubectl describe pod <pod>`: the `FailedScheduling` event says which predicate failed on how many nodes.',
    "- Lower the requests, add nodes, relax node selectors/affinity, or add tolerations; for volumes, see the PVC's events.",
  ].join('\n'),
  references: [{ source: 'Popeye', id: 'POP-207' }],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: { pendingMinutes: 10 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const pendingMs = threshold(ctx, 'pendingMinutes') * 60_000;
    const { pods, owners } = await podsInScope(ctx, cluster);
    const groups = new ByOwner<{ ageMs: number; reason: string }>();
    for (const pod of pods) {
      if (pod.status?.phase !== 'Pending') continue;
      // a pod waiting for its image is pods-image-pull's finding, not a second one here
      if (
        statusesOf(pod).some(st =>
          IMAGE_PULL_REASONS.includes(st.state?.waiting?.reason ?? ''),
        )
      ) {
        continue;
      }
      const created = toTime(pod.metadata?.creationTimestamp);
      if (created === undefined) continue;
      const ageMs = ctx.now.getTime() - created;
      if (ageMs < pendingMs) continue;
      const scheduled = pod.status?.conditions?.find(
        c => c.type === 'PodScheduled',
      );
      const reason =
        scheduled?.status === 'False'
          ? `${scheduled.reason ?? 'Unschedulable'}: ${scheduled.message ?? ''}`
          : 'scheduled, containers not started';
      groups.add(pod, owners.ownerOf(pod), undefined, { ageMs, reason });
    }
    const findings = groups.entries().map(g => {
      const oldest = g.values.reduce((m, v) => Math.max(m, v.ageMs), 0);
      return {
        object: {
          cluster,
          namespace: g.namespace,
          kind: g.owner.kind,
          name: g.owner.name,
        },
        message: `${g.pods.length} pod(s) of ${g.owner.kind} ${
          g.owner.name
        } pending for up to ${duration(oldest)}.`,
        labels: g.labels,
        evidence: {
          measured: `Pending for ${duration(oldest)}: ${listOf(g.pods)}`,
          expected: `< ${ctx.thresholds.pendingMinutes} min`,
          query: `GET /api/v1/namespaces/${g.namespace}/pods (status.phase)`,
          details: g.values[0].reason,
        },
      };
    });
    return { findings, evaluated: pods.length };
  },
};

const podsRestarts: InspectionCheck = {
  id: 'cluster.pods-restarts',
  version: 1,
  title: 'Containers do not restart often',
  category: 'cluster',
  severity: 'medium',
  description:
    'Containers with `restartCount` at or above `restarts`. Frequent restarts, even when the container is up now, hide crashes, OOM kills and liveness probes that fail under load.',
  remediation: [
    '- `kubectl describe pod <pod>` shows the last termination (reason, exit code); `kubectl logs --previous` its last output.',
    "- `OOMKilled`: raise the memory limit or fix the leak; probe failures: tune the probe (timeouts, a startupProbe) or the application's readiness.",
  ].join('\n'),
  references: [{ source: 'Popeye', id: 'POP-205' }],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: { restarts: 5 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const limit = threshold(ctx, 'restarts');
    const { pods, owners } = await podsInScope(ctx, cluster);
    const groups = new ByOwner<{ restarts: number; last?: string }>();
    for (const pod of pods) {
      for (const s of statusesOf(pod)) {
        if ((s.restartCount ?? 0) >= limit) {
          const t = s.lastState?.terminated;
          groups.add(pod, owners.ownerOf(pod), s.name, {
            restarts: s.restartCount,
            last: t
              ? `last exit: ${t.reason ?? ''} (code ${t.exitCode})`
              : undefined,
          });
        }
      }
    }
    const findings = groups.entries().map(g => {
      const most = g.values.reduce((m, v) => Math.max(m, v.restarts), 0);
      return {
        object: {
          cluster,
          namespace: g.namespace,
          kind: g.owner.kind,
          name: g.owner.name,
          part: g.part,
        },
        message: `Container ${g.part} of ${g.owner.kind} ${g.owner.name} restarted ${most} times.`,
        labels: g.labels,
        evidence: {
          measured: `${most} restarts (${listOf(g.pods)})`,
          expected: `< ${limit} restarts`,
          query: `GET /api/v1/namespaces/${g.namespace}/pods (status.containerStatuses[].restartCount)`,
          details: g.values.find(v => v.last)?.last,
        },
      };
    });
    return { findings, evaluated: pods.length };
  },
};

const workloadsUnavailable: InspectionCheck = {
  id: 'cluster.workloads-unavailable',
  version: 1,
  title: 'Workloads have all their replicas available',
  category: 'cluster',
  severity: 'high',
  description:
    'Deployments, StatefulSets and DaemonSets whose available (ready) replicas are fewer than desired. No replica available is critical: the workload is down.',
  remediation: [
    '- `kubectl rollout status <kind>/<name>` and `kubectl describe` show the stuck rollout or the unavailable pods; the pod checks of this run (crash loops, image pulls, pending) usually name the cause.',
    '- A rollout stuck on a bad version: `kubectl rollout undo`.',
  ].join('\n'),
  references: [{ source: 'Popeye', id: 'POP-501' }],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const k8s = ctx.sources.kubernetes;
    const [deployments, statefulsets, daemonsets] = await Promise.all([
      k8s.list(cluster, 'deployments'),
      k8s.list(cluster, 'statefulsets'),
      k8s.list(cluster, 'daemonsets'),
    ]);
    const rows: Array<{
      kind: string;
      meta: any;
      labels?: Record<string, string>;
      desired: number;
      available: number;
    }> = [
      ...deployments.map(d => ({
        kind: 'Deployment',
        meta: d.metadata,
        labels: d.spec?.template?.metadata?.labels,
        desired: d.spec?.replicas ?? 1,
        available: d.status?.availableReplicas ?? 0,
      })),
      ...statefulsets.map(s => ({
        kind: 'StatefulSet',
        meta: s.metadata,
        labels: s.spec?.template?.metadata?.labels,
        desired: s.spec?.replicas ?? 1,
        available: s.status?.availableReplicas ?? s.status?.readyReplicas ?? 0,
      })),
      ...daemonsets.map(d => ({
        kind: 'DaemonSet',
        meta: d.metadata,
        labels: d.spec?.template?.metadata?.labels,
        desired: d.status?.desiredNumberScheduled ?? 0,
        available: d.status?.numberAvailable ?? 0,
      })),
    ].filter(r => ctx.namespaceInScope(r.meta?.namespace ?? ''));
    const findings: FindingDraft[] = rows
      .filter(r => r.desired > 0 && r.available < r.desired)
      .map(r => ({
        object: {
          cluster,
          namespace: r.meta.namespace,
          kind: r.kind,
          name: r.meta.name,
        },
        message: `${r.kind} ${r.meta.name} has ${r.available} of ${r.desired} replicas available.`,
        severity: r.available === 0 ? 'critical' : undefined,
        labels: r.labels,
        evidence: {
          measured: `${r.available}/${r.desired} available`,
          expected: `${r.desired}/${r.desired} available`,
          query: `GET /apis/apps/v1/namespaces/${
            r.meta.namespace
          }/${r.kind.toLowerCase()}s/${r.meta.name} (status)`,
        },
      }));
    return { findings, evaluated: rows.length };
  },
};

interface EndpointSlice {
  metadata?: { namespace?: string; labels?: Record<string, string> };
  endpoints?: Array<{ conditions?: { ready?: boolean } }> | null;
}

const servicesNoEndpoints: InspectionCheck = {
  id: 'cluster.services-no-endpoints',
  version: 1,
  title: 'Services have ready endpoints',
  category: 'cluster',
  severity: 'medium',
  description:
    'Services with a selector whose EndpointSlices hold no ready endpoint: every request to them fails. Either no pod matches the selector (a typo, a label changed in a rollout, a workload scaled to zero) or none of the matching pods is ready.',
  remediation: [
    "- Compare `kubectl get svc <svc> -o jsonpath={.spec.selector}` with the pods' labels (`kubectl get pods -l <selector>`).",
    '- If pods match but are not ready, see their readiness probes and the pod checks of this run.',
    '- Delete Services nobody uses any more.',
  ].join('\n'),
  references: [
    { source: 'Popeye', id: 'POP-1100' },
    { source: 'Popeye', id: 'POP-1105' },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const path = '/apis/discovery.k8s.io/v1/endpointslices';
    const [services, slices] = await Promise.all([
      ctx.sources.kubernetes.list(cluster, 'services'),
      listFromApi<EndpointSlice>(ctx, cluster, path),
    ]);
    const ready = new Map<string, number>();
    for (const s of slices) {
      const svc = s.metadata?.labels?.['kubernetes.io/service-name'];
      if (!svc) continue;
      const key = `${s.metadata?.namespace}/${svc}`;
      const n = (s.endpoints ?? []).filter(
        e => e.conditions?.ready !== false,
      ).length;
      ready.set(key, (ready.get(key) ?? 0) + n);
    }
    let evaluated = 0;
    const findings: FindingDraft[] = [];
    for (const svc of services) {
      const ns = svc.metadata?.namespace ?? '';
      const selector = svc.spec?.selector;
      if (
        !ctx.namespaceInScope(ns) ||
        svc.spec?.type === 'ExternalName' ||
        !selector ||
        Object.keys(selector).length === 0
      ) {
        continue;
      }
      evaluated++;
      if ((ready.get(`${ns}/${svc.metadata?.name}`) ?? 0) > 0) continue;
      const sel = Object.entries(selector)
        .map(([k, v]) => `${k}=${v}`)
        .join(',');
      findings.push({
        object: {
          cluster,
          namespace: ns,
          kind: 'Service',
          name: svc.metadata?.name ?? '',
        },
        message: `Service ${svc.metadata?.name} has no ready endpoints (selector ${sel}).`,
        labels: selector,
        evidence: {
          measured: '0 ready endpoints',
          expected: '≥ 1 ready endpoint',
          query: `GET ${path}?labelSelector=kubernetes.io/service-name=${svc.metadata?.name}`,
          details: `selector: ${sel}`,
        },
      });
    }
    return { findings, evaluated };
  },
};

const pvcNotBound: InspectionCheck = {
  id: 'cluster.pvc-not-bound',
  version: 1,
  title: 'PersistentVolumeClaims are bound',
  category: 'cluster',
  severity: 'medium',
  description:
    'PersistentVolumeClaims that are not `Bound` after `pendingMinutes`: the pods using them cannot start. `Lost` (the bound volume disappeared) is high.',
  remediation: [
    '- `kubectl describe pvc <pvc>`: the events name the cause (no StorageClass, no provisioner, no matching PersistentVolume, a zone mismatch, a quota).',
    '- Set an existing `storageClassName`, install/repair the CSI provisioner, or create a matching PV. A `WaitForFirstConsumer` class binds only when a pod uses the claim.',
  ].join('\n'),
  references: [
    { source: 'Popeye', id: 'POP-1003' },
    { source: 'Popeye', id: 'POP-1004' },
    {
      source: 'Kubernetes',
      id: 'persistent-volumes',
      url: 'https://kubernetes.io/docs/concepts/storage/persistent-volumes/',
    },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: { pendingMinutes: 5 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const pendingMs = threshold(ctx, 'pendingMinutes') * 60_000;
    const path = '/api/v1/persistentvolumeclaims';
    const claims = (
      await listFromApi<V1PersistentVolumeClaim>(ctx, cluster, path)
    ).filter(c => ctx.namespaceInScope(c.metadata?.namespace ?? ''));
    const findings: FindingDraft[] = [];
    for (const c of claims) {
      const phase = c.status?.phase ?? 'Pending';
      if (phase === 'Bound') continue;
      const created =
        toTime(c.metadata?.creationTimestamp) ?? ctx.now.getTime();
      const ageMs = ctx.now.getTime() - created;
      if (phase === 'Pending' && ageMs < pendingMs) continue;
      findings.push({
        object: {
          cluster,
          namespace: c.metadata?.namespace,
          kind: 'PersistentVolumeClaim',
          name: c.metadata?.name ?? '',
        },
        message: `PersistentVolumeClaim ${
          c.metadata?.name
        } is ${phase} since ${duration(ageMs)}.`,
        severity: phase === 'Lost' ? 'high' : undefined,
        labels: c.metadata?.labels,
        evidence: {
          measured: `${phase} (${duration(ageMs)})`,
          expected: 'Bound',
          query: `GET ${path}`,
          details: `storageClassName: ${
            c.spec?.storageClassName ?? '(default)'
          }, requested ${c.spec?.resources?.requests?.storage ?? '?'}`,
        },
      });
    }
    return { findings, evaluated: claims.length };
  },
};

/** Severity of a certificate's remaining validity; undefined when it is fine. */
export function expirySeverity(
  validTo: Date,
  now: Date,
  warnDays: number,
  criticalDays: number,
): Severity | undefined {
  const daysLeft = (validTo.getTime() - now.getTime()) / DAY_MS;
  if (daysLeft < criticalDays) return 'critical';
  if (daysLeft < warnDays) return 'medium';
  return undefined;
}

function expiryText(validTo: Date, now: Date): string {
  const ms = validTo.getTime() - now.getTime();
  return ms < 0
    ? `expired ${duration(-ms)} ago (${validTo.toISOString()})`
    : `expires in ${duration(ms)} (${validTo.toISOString()})`;
}

/**
 * The finding of a certificate that expires within `warnDays` (medium) or `criticalDays` (critical)
 * — a TLS Secret's or a TLS endpoint's; undefined when it is valid long enough.
 */
function certificateExpiryFinding(
  ctx: CheckContext,
  cert: { validTo: Date; subject: string; issuer: string; sans: string },
  finding: Pick<FindingDraft, 'object' | 'labels' | 'entityRef'> & {
    /** What holds it, e.g. `in Secret x`, `of payments-gateway`. */
    holder: string;
    query: string;
  },
): FindingDraft | undefined {
  const warnDays = threshold(ctx, 'warnDays');
  const criticalDays = threshold(ctx, 'criticalDays');
  const severity = expirySeverity(
    cert.validTo,
    ctx.now,
    warnDays,
    criticalDays,
  );
  if (!severity) return undefined;
  const { holder, query, ...draft } = finding;
  const expiry = expiryText(cert.validTo, ctx.now);
  return {
    ...draft,
    message: `The certificate ${holder} ${expiry}.`,
    severity,
    evidence: {
      measured: expiry,
      expected: `valid for ≥ ${warnDays} days`,
      query,
      details: `subject ${cert.subject}; issuer ${cert.issuer}; SANs ${
        cert.sans || '-'
      }`,
    },
  };
}

const CERT_REMEDIATION = [
  '- Renew the certificate before it expires: with cert-manager check the `Certificate` and its `CertificateRequest` (`kubectl describe certificate`); otherwise issue a new one from your CA and replace the Secret (`kubectl create secret tls <name> --cert --key --dry-run=client -o yaml | kubectl apply -f -`).',
  '- Reload the servers that read it (Ingress controllers do it by themselves; others may need a rollout restart).',
  '- Control-plane certificates: `kubeadm certs check-expiration` and `kubeadm certs renew`.',
].join('\n');

const certificatesExpiring: InspectionCheck = {
  id: 'cluster.certificates-expiring',
  version: 1,
  title: 'TLS Secrets are not about to expire',
  category: 'cluster',
  severity: 'high',
  description:
    'The leaf certificates of `kubernetes.io/tls` Secrets: expiring in less than `warnDays` is medium, in less than `criticalDays` or already expired is critical. An expired serving certificate breaks every client of the endpoint at once.',
  remediation: CERT_REMEDIATION,
  references: [
    {
      source: 'Kubernetes',
      id: 'TLS Secrets',
      url: 'https://kubernetes.io/docs/concepts/configuration/secret/#tls-secrets',
    },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: { warnDays: 30, criticalDays: 7 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const path = '/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls';
    const secrets = (await listFromApi<V1Secret>(ctx, cluster, path)).filter(
      s => ctx.namespaceInScope(s.metadata?.namespace ?? ''),
    );
    const findings: FindingDraft[] = [];
    for (const s of secrets) {
      const object = {
        cluster,
        namespace: s.metadata?.namespace,
        kind: 'Secret',
        name: s.metadata?.name ?? '',
      };
      const pem = s.data?.['tls.crt']
        ? Buffer.from(s.data['tls.crt'], 'base64').toString('utf8')
        : '';
      let cert: X509Certificate;
      try {
        cert = new X509Certificate(pem);
      } catch (e) {
        findings.push({
          object,
          message: `Secret ${s.metadata?.name} holds no readable certificate in tls.crt.`,
          severity: 'medium',
          labels: s.metadata?.labels,
          evidence: {
            measured: 'unreadable tls.crt',
            expected: 'a PEM certificate',
            query: `GET ${path}`,
            details: String((e as Error).message),
          },
        });
        continue;
      }
      const expiring = certificateExpiryFinding(
        ctx,
        {
          validTo: new Date(cert.validTo),
          subject: cert.subject.replace(/\n/g, ', '),
          issuer: cert.issuer.replace(/\n/g, ', '),
          sans: cert.subjectAltName ?? '',
        },
        {
          object,
          labels: s.metadata?.labels,
          holder: `in Secret ${s.metadata?.name}`,
          query: `GET ${path}`,
        },
      );
      if (expiring) findings.push(expiring);
    }
    return { findings, evaluated: secrets.length };
  },
};

const tlsEndpointsExpiring: InspectionCheck = {
  id: 'cluster.tls-endpoints-expiring',
  version: 1,
  title: 'TLS endpoints present certificates that are not about to expire',
  category: 'cluster',
  severity: 'high',
  description:
    "Connects to each endpoint of `kubemate.inspections.tls.endpoints` and to every cluster's apiserver and reads the certificate it presents: expiring in less than `warnDays` is medium, in less than `criticalDays` or expired is critical. An endpoint that cannot be reached is a finding too (its certificate could not be checked).",
  remediation: CERT_REMEDIATION,
  references: [],
  dataSource: 'tls',
  scope: 'global',
  thresholds: { warnDays: 30, criticalDays: 7 },
  async run(ctx) {
    const targets = ctx.sources.tls.targets();
    if (targets.length === 0) {
      return skipped('no TLS endpoints configured and no https apiserver');
    }
    const results = await Promise.all(
      targets.map(async t => {
        try {
          return { t, cert: await ctx.sources.tls.certificate(t) };
        } catch (e) {
          return { t, error: (e as Error).message };
        }
      }),
    );
    if (results.every(r => r.error)) {
      throw new Error(
        `no TLS endpoint could be reached: ${results
          .map(r => r.error)
          .join('; ')}`,
      );
    }
    const findings: FindingDraft[] = [];
    for (const { t, cert, error } of results) {
      const object = { kind: 'Endpoint', name: t.name };
      const query = `TLS handshake with ${t.host}:${t.port}${
        t.servername ? ` (SNI ${t.servername})` : ''
      }`;
      if (!cert) {
        findings.push({
          object,
          message: `TLS endpoint ${t.name} could not be reached; its certificate was not checked.`,
          entityRef: t.entityRef,
          evidence: {
            measured: 'unreachable',
            expected: 'a TLS handshake',
            query,
            details: error,
          },
        });
        continue;
      }
      const expiring = certificateExpiryFinding(
        ctx,
        { ...cert, sans: cert.altNames.join(', ') },
        {
          object,
          entityRef: t.entityRef,
          holder: `of ${t.name}`,
          query,
        },
      );
      if (expiring) findings.push(expiring);
    }
    return { findings, evaluated: targets.length };
  },
};

const warningEvents: InspectionCheck = {
  id: 'cluster.warning-events',
  version: 1,
  title: 'No recurring Warning events',
  category: 'cluster',
  severity: 'low',
  description:
    "Warning events of the last `windowHours`, from the inspections' own event archive (kept beyond the apiserver's one-hour event TTL), grouped by object and reason; groups seen at least `minCount` times are reported. They often tell the cause other checks only see the effect of (FailedMount, FailedScheduling, BackOff, Unhealthy).",
  remediation:
    'Read the event messages in the evidence and fix their cause on the object (`kubectl describe <kind> <name>`); events that are expected noise can be exempted with a reason and an expiry.',
  references: [],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: { windowHours: 24, minCount: 1 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const since = new Date(
      ctx.now.getTime() - threshold(ctx, 'windowHours') * 3_600_000,
    );
    const minCount = threshold(ctx, 'minCount');
    const [events, pods] = await Promise.all([
      ctx.sources.events.warnings(cluster, since),
      ctx.sources.kubernetes.list(cluster, 'pods'),
    ]);
    const podLabels = new Map(
      pods.map(p => [
        `${p.metadata?.namespace}/${p.metadata?.name}`,
        p.metadata?.labels,
      ]),
    );
    const groups = new Map<
      string,
      {
        e: (typeof events)[number];
        count: number;
        last: Date;
        messages: Set<string>;
      }
    >();
    for (const e of events) {
      if (!ctx.namespaceInScope(e.namespace)) continue;
      const key = `${e.namespace}\u0000${e.kind}\u0000${e.name}\u0000${e.reason}`;
      const g = groups.get(key);
      if (g) {
        g.count += e.count;
        if (e.lastSeen > g.last) g.last = e.lastSeen;
        if (g.messages.size < 3) g.messages.add(e.message);
      } else {
        groups.set(key, {
          e,
          count: e.count,
          last: e.lastSeen,
          messages: new Set([e.message]),
        });
      }
    }
    const findings: FindingDraft[] = [];
    for (const { e, count, last, messages } of groups.values()) {
      if (count < minCount) continue;
      findings.push({
        object: {
          cluster,
          namespace: e.namespace || undefined,
          kind: e.kind,
          name: e.name,
          part: e.reason,
        },
        message: `${e.kind} ${e.name}: ${count} ${e.reason} warning(s) in the last ${ctx.thresholds.windowHours} h.`,
        labels:
          e.kind === 'Pod'
            ? podLabels.get(`${e.namespace}/${e.name}`)
            : undefined,
        evidence: {
          measured: `${count} × ${e.reason}, last ${last.toISOString()}`,
          expected: 'no Warning events',
          query: `event archive: type=Warning, involvedObject=${e.kind}/${
            e.name
          }, since ${since.toISOString()}`,
          details: [...messages].join('\n'),
        },
      });
    }
    return { findings, evaluated: groups.size };
  },
};

const quotaUsage: InspectionCheck = {
  id: 'cluster.quota-usage',
  version: 1,
  title: 'ResourceQuotas have headroom',
  category: 'cluster',
  severity: 'medium',
  description:
    'ResourceQuota resources whose `used` reaches `usedPercent` of `hard`. At 100 % new pods (or PVCs, Services, ...) of the namespace are rejected at admission, including the replacement pods of a rollout.',
  remediation: [
    '- `kubectl describe quota -n <namespace>` shows used vs hard per resource.',
    "- Right-size the requests of the namespace's workloads, delete what is unused, or raise the quota with the platform team.",
  ].join('\n'),
  references: [
    {
      source: 'Kubernetes',
      id: 'resource-quotas',
      url: 'https://kubernetes.io/docs/concepts/policy/resource-quotas/',
    },
  ],
  dataSource: 'kubernetes',
  scope: 'cluster',
  thresholds: { usedPercent: 90 },
  async run(ctx) {
    const cluster = clusterOf(ctx);
    const limit = threshold(ctx, 'usedPercent');
    const path = '/api/v1/resourcequotas';
    const quotas = (
      await listFromApi<V1ResourceQuota>(ctx, cluster, path)
    ).filter(q => ctx.namespaceInScope(q.metadata?.namespace ?? ''));
    const findings: FindingDraft[] = [];
    let evaluated = 0;
    for (const q of quotas) {
      const hard = q.status?.hard ?? q.spec?.hard ?? {};
      const used = q.status?.used ?? {};
      for (const [resource, h] of Object.entries(hard)) {
        evaluated++;
        const hv = parseQuantity(h);
        const uv = parseQuantity(used[resource] ?? '0');
        if (!Number.isFinite(hv) || !Number.isFinite(uv)) continue;
        if (hv === 0 && uv === 0) continue;
        // a hard limit of 0 with anything used is full
        const pct = hv === 0 ? 100 : (100 * uv) / hv;
        if (pct < limit) continue;
        findings.push({
          object: {
            cluster,
            namespace: q.metadata?.namespace,
            kind: 'ResourceQuota',
            name: q.metadata?.name ?? '',
            part: resource,
          },
          message: `Quota ${q.metadata?.name} uses ${percent(
            pct,
          )} of ${resource} in ${q.metadata?.namespace}.`,
          severity: pct >= 100 ? 'high' : undefined,
          evidence: {
            measured: `${used[resource] ?? '0'} of ${h} (${percent(pct)})`,
            expected: `< ${limit} %`,
            query: `GET ${path} (status.used / status.hard)`,
          },
        });
      }
    }
    return { findings, evaluated };
  },
};

export const clusterChecks: InspectionCheck[] = [
  apiserverHealthCheck(
    'readyz',
    'Control plane is ready (/readyz)',
    "Reads the apiserver's `/readyz?verbose`: every readiness check (etcd, informer sync, post-start hooks) must pass. A not-ready apiserver is taken out of its load balancer and clients fail.",
  ),
  apiserverHealthCheck(
    'livez',
    'Control plane is live (/livez)',
    "Reads the apiserver's `/livez?verbose`: a failing liveness check means the process should be restarted (a deadlock, a stuck post-start hook).",
  ),
  etcdHealth,
  etcdSnapshotAge,
  etcdDbSize,
  nodeConditions,
  nodeUnschedulable,
  podsCrashloop,
  podsImagePull,
  podsPending,
  podsRestarts,
  workloadsUnavailable,
  servicesNoEndpoints,
  pvcNotBound,
  certificatesExpiring,
  tlsEndpointsExpiring,
  warningEvents,
  quotaUsage,
];
