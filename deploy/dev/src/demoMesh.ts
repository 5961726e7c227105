/*
 * Demo mesh exporter (DEMO DATA, not real traffic): plays Linkerd's proxies, which cannot run on kwok
 * (no container runs). Every few seconds it reads from each cluster's apiserver the Gateway API
 * HTTPRoutes, the Services they point to and the Deployments behind those Services, and simulates the
 * inbound requests each Deployment's proxy would count:
 *
 *   - a route carries ROUTE_RPS requests per second, split evenly over its rules and, within a rule,
 *     by the **live** backend weights (when Flagger shifts an HTTPRoute from 90/10 to 80/20, the
 *     canary's share of the requests moves with it); a backend's share goes to the Deployments its
 *     Service selects that have available replicas (none available: the share is dropped);
 *   - a Deployment of a demo entity (label backstage.io/kubernetes-id) behind no route gets its own
 *     BASELINE_RPS, so every such Deployment has series.
 *
 * Knobs per Deployment, from its pod-template annotations (so a new revision can be bad):
 *   kubemate.io/demo-error-rate  share of failed requests, 0..1 (default 0.005)
 *   kubemate.io/demo-latency-ms  median latency in ms (default 20; log-normal, p99 ≈ 3.2 × median)
 * Counts are deterministic (fractions carried over, latencies spread over the distribution's
 * quantiles), so a success rate over a minute does not jitter around a threshold.
 *
 * Served on /metrics (Prometheus text), Linkerd-proxy names and labels, every series labelled
 * kubemate_demo_data="true" like the other demo generators, plus `cluster`:
 *   response_total{namespace, deployment, direction="inbound", classification="success"|"failure", status_code}
 *   response_latency_ms_bucket / _sum / _count{namespace, deployment, direction="inbound", le}
 * GET /healthz is 200 once every cluster has been read; GET /status shows the current model (JSON).
 *
 * Run by deploy/dev/servers/80-flagger.sh (part `canary`) with Node 22 (type stripping):
 *   node deploy/dev/src/demoMesh.ts --port <DEMO_MESH_PORT> --cluster <name>=<kubeconfig> ...
 * (read-only: the stack passes the portal identity's kubeconfig, which may get/list everything).
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1Deployment,
  type V1Service,
} from '@kubernetes/client-node';
import { Counter, Histogram, Registry } from 'prom-client';

const ROUTE_RPS = 20;
const BASELINE_RPS = 2;
const POLL_MS = 3000;
const TICK_MS = 1000;
const API_TIMEOUT_MS = 5000;
const DEFAULT_ERROR_RATE = 0.005;
const DEFAULT_LATENCY_MS = 20;
const LATENCY_SIGMA = 0.5;
const ERROR_RATE_ANNOTATION = 'kubemate.io/demo-error-rate';
const LATENCY_ANNOTATION = 'kubemate.io/demo-latency-ms';
const ENTITY_LABEL = 'backstage.io/kubernetes-id';
/** Linkerd's proxy latency buckets (ms) */
const BUCKETS = [
  1, 2, 3, 4, 5, 10, 20, 30, 40, 50, 100, 200, 300, 400, 500, 1000, 2000, 3000,
  4000, 5000, 10000, 20000, 30000, 40000, 50000,
];

const { values: cli } = parseArgs({
  options: {
    port: { type: 'string' },
    cluster: { type: 'string', multiple: true },
  },
});

const port = Number(cli.port);
if (!Number.isInteger(port) || port <= 0) throw new Error('--port is required');

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

interface ClusterClients {
  name: string;
  apps: AppsV1Api;
  core: CoreV1Api;
  custom: CustomObjectsApi;
}

const clusters: ClusterClients[] = (cli.cluster ?? []).map(spec => {
  const i = spec.indexOf('=');
  if (i <= 0)
    throw new Error(`--cluster takes <name>=<kubeconfig> (got ${spec})`);
  const kc = new KubeConfig();
  kc.loadFromFile(spec.slice(i + 1));
  return {
    name: spec.slice(0, i),
    apps: kc.makeApiClient(AppsV1Api),
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
});
if (!clusters.length)
  throw new Error('at least one --cluster <name>=<kubeconfig>');

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer in ${API_TIMEOUT_MS} ms`)),
      API_TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- metrics

const registry = new Registry();
registry.setDefaultLabels({ kubemate_demo_data: 'true' });

const responses = new Counter({
  name: 'response_total',
  help: 'Simulated Linkerd proxy responses (DEMO DATA: deploy/dev/src/demoMesh.ts)',
  labelNames: [
    'cluster',
    'namespace',
    'deployment',
    'direction',
    'classification',
    'status_code',
  ] as const,
  registers: [registry],
});

const latency = new Histogram({
  name: 'response_latency_ms',
  help: 'Simulated Linkerd proxy response latency in ms (DEMO DATA: deploy/dev/src/demoMesh.ts)',
  labelNames: ['cluster', 'namespace', 'deployment', 'direction'] as const,
  buckets: BUCKETS,
  registers: [registry],
});

// ---------------------------------------------------------------- the model

interface Target {
  cluster: string;
  namespace: string;
  deployment: string;
  /** requests per second, from the routes' live weights (or the baseline) */
  rps: number;
  errorRate: number;
  latencyMs: number;
  /** why it gets traffic: `route <ns>/<name> rule <i> backend <svc> weight <w>/<total>` or `baseline` */
  sources: string[];
}

interface State {
  /** requests and failures not yet emitted (fractions carried over) */
  requests: number;
  failures: number;
  /** position in the latency quantile sequence */
  seq: number;
}

let targets = new Map<string, Target>();
const states = new Map<string, State>();
const readOnce = new Set<string>();
const lastError = new Map<string, string>();

const key = (c: string, ns: string, d: string) => `${c}/${ns}/${d}`;

function knob(
  annotations: Record<string, string> | undefined,
  name: string,
  fallback: number,
  valid: (v: number) => boolean,
): number {
  const raw = annotations?.[name];
  if (raw === undefined) return fallback;
  const v = Number(raw);
  return raw.trim() !== '' && Number.isFinite(v) && valid(v) ? v : fallback;
}

function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || !Object.keys(selector).length) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

interface BackendRef {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  weight?: number;
}

async function readCluster(c: ClusterClients): Promise<Target[]> {
  const [deployments, services, routes] = await Promise.all([
    withTimeout(
      c.apps.listDeploymentForAllNamespaces(),
      `${c.name}: list deployments`,
    ),
    withTimeout(
      c.core.listServiceForAllNamespaces(),
      `${c.name}: list services`,
    ),
    withTimeout(
      c.custom.listClusterCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        plural: 'httproutes',
      }),
      `${c.name}: list httproutes`,
    ).catch((e: any) => {
      // no Gateway API CRD in this cluster: no routes
      if (e?.code === 404) return { items: [] };
      throw e;
    }),
  ]);
  const byNamespace = new Map<string, V1Deployment[]>();
  for (const d of deployments.items) {
    const ns = d.metadata?.namespace ?? '';
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), d]);
  }
  const svc = new Map<string, V1Service>();
  for (const s of services.items)
    svc.set(`${s.metadata?.namespace}/${s.metadata?.name}`, s);

  const out = new Map<string, Target>();
  /** Deployments selected by a route's backend: their traffic is the route's, never a baseline */
  const routed = new Set<string>();
  const target = (d: V1Deployment): Target => {
    const ns = d.metadata?.namespace ?? '';
    const name = d.metadata?.name ?? '';
    const k = key(c.name, ns, name);
    let t = out.get(k);
    if (!t) {
      const annotations = d.spec?.template?.metadata?.annotations;
      t = {
        cluster: c.name,
        namespace: ns,
        deployment: name,
        rps: 0,
        errorRate: knob(
          annotations,
          ERROR_RATE_ANNOTATION,
          DEFAULT_ERROR_RATE,
          v => v >= 0 && v <= 1,
        ),
        latencyMs: knob(
          annotations,
          LATENCY_ANNOTATION,
          DEFAULT_LATENCY_MS,
          v => v > 0,
        ),
        sources: [],
      };
      out.set(k, t);
    }
    return t;
  };

  for (const route of (routes as any).items ?? []) {
    const rns: string = route.metadata?.namespace ?? '';
    const rules: Array<{ backendRefs?: BackendRef[] }> =
      route.spec?.rules ?? [];
    if (!rules.length) continue;
    rules.forEach((rule, i) => {
      const refs = (rule.backendRefs ?? []).filter(
        r => (r.group ?? '') === '' && (r.kind ?? 'Service') === 'Service',
      );
      const total = refs.reduce((n, r) => n + (r.weight ?? 1), 0);
      if (total <= 0) return;
      for (const ref of refs) {
        const weight = ref.weight ?? 1;
        const s = svc.get(`${ref.namespace ?? rns}/${ref.name}`);
        const behind = (byNamespace.get(ref.namespace ?? rns) ?? []).filter(d =>
          selects(s?.spec?.selector, d.spec?.template?.metadata?.labels),
        );
        // the series exist from the start (at 0), so rate() has history when traffic arrives
        for (const d of behind) {
          const t = target(d);
          routed.add(key(c.name, t.namespace, t.deployment));
        }
        const serving = behind.filter(
          d => (d.status?.availableReplicas ?? 0) > 0,
        );
        if (!serving.length || weight <= 0) continue;
        const rps = (ROUTE_RPS / rules.length) * (weight / total);
        for (const d of serving) {
          const t = target(d);
          t.rps += rps / serving.length;
          t.sources.push(
            `route ${rns}/${route.metadata?.name} rule ${i} backend ${ref.name} weight ${weight}/${total}`,
          );
        }
      }
    });
  }
  for (const list of byNamespace.values()) {
    for (const d of list) {
      if (!d.metadata?.labels?.[ENTITY_LABEL]) continue;
      const k = key(
        c.name,
        d.metadata?.namespace ?? '',
        d.metadata?.name ?? '',
      );
      if (routed.has(k)) continue;
      const t = target(d);
      if ((d.status?.availableReplicas ?? 0) > 0) {
        t.rps = BASELINE_RPS;
        t.sources.push('baseline');
      }
    }
  }
  return [...out.values()];
}

function labelsOf(t: Target) {
  return {
    cluster: t.cluster,
    namespace: t.namespace,
    deployment: t.deployment,
    direction: 'inbound',
  };
}

function removeSeries(t: Target): void {
  const l = labelsOf(t);
  responses.remove({ ...l, classification: 'success', status_code: '200' });
  responses.remove({ ...l, classification: 'failure', status_code: '500' });
  latency.remove(l);
}

async function poll(): Promise<void> {
  const next = new Map<string, Target>();
  await Promise.all(
    clusters.map(async c => {
      try {
        for (const t of await readCluster(c))
          next.set(key(t.cluster, t.namespace, t.deployment), t);
        readOnce.add(c.name);
        if (lastError.has(c.name)) log(`${c.name}: read again`);
        lastError.delete(c.name);
      } catch (e: any) {
        const msg = String(e?.message ?? e);
        if (lastError.get(c.name) !== msg) log(`${c.name}: ${msg}`);
        lastError.set(c.name, msg);
        // keep what we knew of this cluster until it answers again
        for (const [k, t] of targets) if (t.cluster === c.name) next.set(k, t);
      }
    }),
  );
  for (const [k, t] of targets) {
    if (!next.has(k)) {
      removeSeries(t);
      states.delete(k);
    }
  }
  for (const [k, t] of next) {
    if (!targets.has(k)) {
      const l = labelsOf(t);
      responses.inc({ ...l, classification: 'success', status_code: '200' }, 0);
      responses.inc({ ...l, classification: 'failure', status_code: '500' }, 0);
      latency.zero(l);
    }
    const before = targets.get(k);
    if (before && Math.abs(before.rps - t.rps) > 1e-9)
      log(
        `${k}: ${before.rps.toFixed(2)} -> ${t.rps.toFixed(2)} req/s (${
          t.sources.join('; ') || 'no traffic'
        })`,
      );
  }
  targets = next;
}

// inverse of the standard normal CDF (Acklam's approximation; enough for demo latencies)
function probit(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269,
    -30.66479806614716, 2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866,
    66.80131188771972, -13.28068155288572,
  ];
  const cc = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838,
    -2.549732539343734, 4.374664141464968, 2.938163982698783,
  ];
  const d = [
    0.007784695709041462, 0.3224671290700398, 2.445134137142996,
    3.754408661907416,
  ];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((cc[0] * q + cc[1]) * q + cc[2]) * q + cc[3]) * q + cc[4]) * q +
        cc[5]) /
      ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
    );
  }
  if (p > 1 - lo) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) *
      q) /
    (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
  );
}

const GOLDEN = (Math.sqrt(5) - 1) / 2;

function tick(seconds: number): void {
  for (const [k, t] of targets) {
    if (t.rps <= 0) continue;
    const s = states.get(k) ?? { requests: 0, failures: 0, seq: 0 };
    states.set(k, s);
    s.requests += t.rps * seconds;
    const n = Math.floor(s.requests);
    s.requests -= n;
    if (!n) continue;
    s.failures += n * t.errorRate;
    const failed = Math.min(n, Math.floor(s.failures));
    s.failures -= failed;
    const l = labelsOf(t);
    responses.inc(
      { ...l, classification: 'success', status_code: '200' },
      n - failed,
    );
    if (failed)
      responses.inc(
        { ...l, classification: 'failure', status_code: '500' },
        failed,
      );
    for (let i = 0; i < n; i++) {
      // low-discrepancy quantiles in (0, 1): the latencies cover the distribution evenly
      s.seq = (s.seq + GOLDEN) % 1;
      const u = Math.min(Math.max(s.seq, 1e-6), 1 - 1e-6);
      latency.observe(l, t.latencyMs * Math.exp(LATENCY_SIGMA * probit(u)));
    }
  }
}

// ---------------------------------------------------------------- server and loops

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  try {
    if (url.pathname === '/metrics') {
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(await registry.metrics());
    } else if (url.pathname === '/healthz') {
      const missing = clusters.filter(c => !readOnce.has(c.name));
      res.writeHead(missing.length ? 503 : 200, {
        'content-type': 'text/plain',
      });
      res.end(
        missing.length
          ? `not read yet: ${missing.map(c => c.name).join(', ')}\n`
          : 'ok\n',
      );
    } else if (url.pathname === '/status') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          {
            demoData: true,
            routeRps: ROUTE_RPS,
            baselineRps: BASELINE_RPS,
            errors: Object.fromEntries(lastError),
            targets: [...targets.values()],
          },
          null,
          2,
        ),
      );
    } else {
      res.writeHead(404).end();
    }
  } catch (e: any) {
    res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(String(e?.message ?? e));
  }
});

let polling = false;
async function pollLoop(): Promise<void> {
  if (polling) return;
  polling = true;
  try {
    await poll();
  } finally {
    polling = false;
  }
}

let last = Date.now();
setInterval(() => {
  const now = Date.now();
  tick((now - last) / 1000);
  last = now;
}, TICK_MS);
setInterval(() => void pollLoop(), POLL_MS);
void pollLoop();

server.listen(port, '127.0.0.1', () =>
  log(
    `demo mesh exporter (DEMO DATA) on http://127.0.0.1:${port}/metrics for ${clusters
      .map(c => c.name)
      .join(', ')}`,
  ),
);
for (const sig of ['SIGTERM', 'SIGINT'] as const)
  process.on(sig, () => process.exit(0));
