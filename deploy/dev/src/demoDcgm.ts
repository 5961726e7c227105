/*
 * Demo DCGM exporter (DEMO DATA, not real GPUs): plays NVIDIA's dcgm-exporter, which cannot run on
 * kwok (no GPU, no driver, no container). Every few seconds it reads from each cluster's apiserver
 * the GPU nodes (label nvidia.com/gpu.present=true; their GPU count is status.allocatable
 * nvidia.com/gpu, their model and memory the GPU feature discovery labels nvidia.com/gpu.product and
 * nvidia.com/gpu.memory) and the pods bound to them (spec.nodeName) that request nvidia.com/gpu, and
 * gives each such pod as many of the node's GPUs as its containers request: the lowest free indices,
 * kept as long as the pod runs (in the order of creation, so a restart of the exporter assigns the
 * same GPUs to pods that were created in the same order).
 *
 * Per GPU, on /metrics (Prometheus text), dcgm-exporter's names and labels:
 *   DCGM_FI_DEV_GPU_UTIL     utilization, %            DCGM_FI_DEV_FB_USED   frame buffer used, MiB
 *   DCGM_FI_DEV_POWER_USAGE  power draw, W              DCGM_FI_DEV_FB_FREE   frame buffer free, MiB
 *   labels: gpu (index), UUID, device (nvidia<index>), modelName, Hostname (the node), cluster, and
 *   pod, namespace, container of the pod bound to that GPU (absent for a free GPU), plus
 *   kubemate_demo="true" on every series.
 * Utilization is deterministic and plausible: a free GPU is at 0; a pod annotated
 * `kubemate.io/demo-gpu-util: "<percent>"` is at that value (an allocated-but-idle GPU: "3"); any
 * other pod at a base level from a hash of its namespace/name (20-95 %) with a slow ±5 % wave
 * (10 min period). Memory used follows the base level (15-80 % of the node's GPU memory), power the
 * utilization between the model's idle and maximum draw.
 * GET /healthz is 200 once every cluster has been read; GET /status shows the current assignment (JSON).
 *
 * Run by deploy/dev/servers/85-kueue.sh (part `gpu`) with Node 22 (type stripping):
 *   node deploy/dev/src/demoDcgm.ts --port <DEMO_DCGM_PORT> --cluster <name>=<kubeconfig> ...
 * (read-only: the stack passes the portal identity's kubeconfig, which may get/list everything).
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { CoreV1Api, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { Gauge, Registry } from 'prom-client';

const POLL_MS = 5000;
const API_TIMEOUT_MS = 5000;
const WAVE_PERIOD_S = 600;
const WAVE_AMPLITUDE = 5;
const GPU_RESOURCE = 'nvidia.com/gpu';
const UTIL_ANNOTATION = 'kubemate.io/demo-gpu-util';
/** maximum board power (W) per model (node label nvidia.com/gpu.product); idle draw is 15 % of it */
const MAX_POWER_W: Record<string, number> = {
  'NVIDIA-A100-SXM4-40GB': 400,
  'NVIDIA-A100-SXM4-80GB': 400,
  'NVIDIA-H100-80GB-HBM3': 700,
  'NVIDIA-A10G': 300,
  'Tesla-T4': 70,
};
const DEFAULT_MAX_POWER_W = 300;
const DEFAULT_MEMORY_MIB = 16384;

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
  core: CoreV1Api;
}

const clusters: ClusterClients[] = (cli.cluster ?? []).map(spec => {
  const i = spec.indexOf('=');
  if (i <= 0)
    throw new Error(`--cluster takes <name>=<kubeconfig> (got ${spec})`);
  const kc = new KubeConfig();
  kc.loadFromFile(spec.slice(i + 1));
  return { name: spec.slice(0, i), core: kc.makeApiClient(CoreV1Api) };
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

/** a number in [0, 1) from a string */
function hash01(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;
}

/** a stable GPU UUID in nvidia-smi's format */
function gpuUuid(cluster: string, node: string, index: number): string {
  const h = createHash('sha256')
    .update(`${cluster}/${node}/${index}`)
    .digest('hex');
  return `GPU-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(
    16,
    20,
  )}-${h.slice(20, 32)}`;
}

// ---------------------------------------------------------------- the model

interface Binding {
  uid: string;
  namespace: string;
  pod: string;
  container: string;
  /** the pod's annotation kubemate.io/demo-gpu-util, when valid */
  fixedUtil?: number;
}

interface GpuNode {
  cluster: string;
  name: string;
  product: string;
  memoryMiB: number;
  gpus: number;
  /** GPU index -> the pod's container bound to it */
  bindings: Map<number, Binding>;
}

/** `<cluster>/<node>` -> node; the bindings survive the polls */
const nodes = new Map<string, GpuNode>();
const readOnce = new Set<string>();
const lastError = new Map<string, string>();

function gpuRequests(pod: V1Pod): { container: string; count: number }[] {
  return (pod.spec?.containers ?? [])
    .map(c => {
      const q =
        c.resources?.limits?.[GPU_RESOURCE] ??
        c.resources?.requests?.[GPU_RESOURCE];
      return { container: c.name, count: Number(q ?? 0) };
    })
    .filter(r => Number.isInteger(r.count) && r.count > 0);
}

function fixedUtil(pod: V1Pod): number | undefined {
  const raw = pod.metadata?.annotations?.[UTIL_ANNOTATION];
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(raw);
  return Number.isFinite(v) ? Math.min(100, Math.max(0, v)) : undefined;
}

async function readCluster(c: ClusterClients): Promise<void> {
  const [nodeList, podList] = await Promise.all([
    withTimeout(
      c.core.listNode({ labelSelector: 'nvidia.com/gpu.present=true' }),
      `${c.name}: list nodes`,
    ),
    withTimeout(
      c.core.listPodForAllNamespaces({
        fieldSelector: 'status.phase!=Succeeded,status.phase!=Failed',
      }),
      `${c.name}: list pods`,
    ),
  ]);
  const seen = new Set<string>();
  for (const n of nodeList.items) {
    const name = n.metadata?.name;
    if (!name) continue;
    const key = `${c.name}/${name}`;
    seen.add(key);
    const labels = n.metadata?.labels ?? {};
    const gpus = Number(
      n.status?.allocatable?.[GPU_RESOURCE] ??
        labels['nvidia.com/gpu.count'] ??
        0,
    );
    const prev = nodes.get(key);
    const node: GpuNode = {
      cluster: c.name,
      name,
      product: labels['nvidia.com/gpu.product'] ?? 'NVIDIA-GPU',
      memoryMiB: Number(labels['nvidia.com/gpu.memory']) || DEFAULT_MEMORY_MIB,
      gpus: Number.isInteger(gpus) && gpus > 0 ? gpus : 0,
      bindings: prev?.bindings ?? new Map(),
    };
    nodes.set(key, node);
  }
  for (const key of [...nodes.keys()]) {
    if (key.startsWith(`${c.name}/`) && !seen.has(key)) nodes.delete(key);
  }

  // pods on GPU nodes that request GPUs, oldest first (a stable order for new assignments)
  const pods = podList.items
    .filter(
      p =>
        p.spec?.nodeName &&
        nodes.has(`${c.name}/${p.spec.nodeName}`) &&
        !p.metadata?.deletionTimestamp &&
        gpuRequests(p).length > 0,
    )
    .sort((a, b) => {
      const ta = new Date(a.metadata?.creationTimestamp ?? 0).getTime();
      const tb = new Date(b.metadata?.creationTimestamp ?? 0).getTime();
      return (
        ta - tb ||
        `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(
          `${b.metadata?.namespace}/${b.metadata?.name}`,
        )
      );
    });
  const live = new Set(pods.map(p => p.metadata?.uid));
  for (const node of nodes.values()) {
    if (node.cluster !== c.name) continue;
    for (const [i, b] of node.bindings) {
      if (!live.has(b.uid) || i >= node.gpus) node.bindings.delete(i);
    }
  }
  for (const p of pods) {
    const node = nodes.get(`${c.name}/${p.spec!.nodeName}`)!;
    const uid = p.metadata?.uid ?? '';
    const util = fixedUtil(p);
    const held = [...node.bindings.entries()].filter(([, b]) => b.uid === uid);
    if (held.length > 0) {
      for (const [, b] of held) b.fixedUtil = util; // the annotation may change
      continue;
    }
    for (const req of gpuRequests(p)) {
      for (let k = 0; k < req.count; k++) {
        let i = 0;
        while (i < node.gpus && node.bindings.has(i)) i++;
        if (i >= node.gpus) break; // more requested than the node has: the scheduler would not bind it
        node.bindings.set(i, {
          uid,
          namespace: p.metadata?.namespace ?? '',
          pod: p.metadata?.name ?? '',
          container: req.container,
          fixedUtil: util,
        });
      }
    }
  }
}

/** what a GPU reports now */
function sample(node: GpuNode, index: number, nowS: number) {
  const b = node.bindings.get(index);
  const maxW = MAX_POWER_W[node.product] ?? DEFAULT_MAX_POWER_W;
  const idleW = 0.15 * maxW;
  if (!b) {
    return { util: 0, fbUsed: 0, power: Math.round(idleW * 0.6), binding: b };
  }
  const h = hash01(`${b.namespace}/${b.pod}`);
  const base = 20 + Math.floor(h * 76);
  const util =
    b.fixedUtil ??
    Math.round(
      Math.min(
        100,
        Math.max(
          0,
          base +
            WAVE_AMPLITUDE *
              Math.sin(
                (2 * Math.PI * nowS) / WAVE_PERIOD_S + h * 2 * Math.PI + index,
              ),
        ),
      ),
    );
  const memShare = 0.15 + 0.65 * ((b.fixedUtil ?? base) / 100);
  const fbUsed = Math.round(node.memoryMiB * Math.min(0.95, memShare));
  const power = Math.round(idleW + ((maxW - idleW) * util) / 100);
  return { util, fbUsed, power, binding: b };
}

// ---------------------------------------------------------------- metrics

const registry = new Registry();
registry.setDefaultLabels({ kubemate_demo: 'true' });
const LABELS = [
  'gpu',
  'UUID',
  'device',
  'modelName',
  'Hostname',
  'cluster',
  'pod',
  'namespace',
  'container',
] as const;
type Labels = Record<(typeof LABELS)[number], string>;

/** The model name as nvidia-smi prints it (GPU feature discovery replaced its spaces by dashes). */
function modelName(product: string): string {
  return product.replace(/^NVIDIA-/, 'NVIDIA ');
}

function eachGpu(fn: (labels: Labels, s: ReturnType<typeof sample>) => void) {
  const nowS = Date.now() / 1000;
  for (const node of nodes.values()) {
    for (let i = 0; i < node.gpus; i++) {
      const s = sample(node, i, nowS);
      fn(
        {
          gpu: String(i),
          UUID: gpuUuid(node.cluster, node.name, i),
          device: `nvidia${i}`,
          modelName: modelName(node.product),
          Hostname: node.name,
          cluster: node.cluster,
          pod: s.binding?.pod ?? '',
          namespace: s.binding?.namespace ?? '',
          container: s.binding?.container ?? '',
        },
        s,
      );
    }
  }
}

function gauge(
  name: string,
  help: string,
  value: (s: ReturnType<typeof sample>, node: { memoryMiB: number }) => number,
): Gauge {
  return new Gauge({
    name,
    help: `${help} (DEMO DATA: deploy/dev/src/demoDcgm.ts)`,
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      eachGpu((labels, s) => {
        const node = nodes.get(`${labels.cluster}/${labels.Hostname}`)!;
        this.set(labels, value(s, node));
      });
    },
  });
}

gauge('DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', s => s.util);
gauge(
  'DCGM_FI_DEV_FB_USED',
  'Framebuffer memory used (in MiB).',
  s => s.fbUsed,
);
gauge(
  'DCGM_FI_DEV_FB_FREE',
  'Framebuffer memory free (in MiB).',
  (s, node) => node.memoryMiB - s.fbUsed,
);
gauge('DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', s => s.power);

// ---------------------------------------------------------------- server

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
      const gpus: unknown[] = [];
      eachGpu((labels, s) =>
        gpus.push({
          ...labels,
          util: s.util,
          fbUsedMiB: s.fbUsed,
          powerW: s.power,
        }),
      );
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          { demoData: true, errors: Object.fromEntries(lastError), gpus },
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
async function poll(): Promise<void> {
  if (polling) return;
  polling = true;
  try {
    await Promise.all(
      clusters.map(async c => {
        try {
          await readCluster(c);
          readOnce.add(c.name);
          if (lastError.has(c.name)) log(`${c.name}: reading again`);
          lastError.delete(c.name);
        } catch (e: any) {
          const msg = String(e?.message ?? e);
          if (lastError.get(c.name) !== msg) log(`${c.name}: ${msg}`);
          lastError.set(c.name, msg);
        }
      }),
    );
  } finally {
    polling = false;
  }
}

server.listen(port, '127.0.0.1', () => {
  log(
    `demo DCGM exporter (DEMO DATA) on http://127.0.0.1:${port}/metrics for ${clusters
      .map(c => c.name)
      .join(', ')}`,
  );
});
void poll();
setInterval(() => void poll(), POLL_MS);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
