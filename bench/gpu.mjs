#!/usr/bin/env node
/*
 * GPU quotas benchmark, against the local dev stack's part `gpu` (the real Kueue manager per
 * cluster, kwok GPU nodes, the demo DCGM exporter), in dev-cluster, in one run:
 *
 * 1. The GPUs page's endpoints at scale. Seeds (labelled kubemate.io/bench=gpu, deleted at the end):
 *    BENCH_NODES (200) kwok nodes bench-gpu-000… × BENCH_GPUS_PER_NODE (8) GPUs, labelled as GPU
 *    feature discovery labels an H100 node and tainted (nvidia.com/gpu and kubemate.io/bench, so no
 *    demo pod lands there); a ResourceFlavor bench-h100 and a ClusterQueue bench-gpu (nominal
 *    BENCH_ADMITTED GPUs, 100) selecting the bench namespaces payments-gpu-bench-1..4, each with a
 *    LocalQueue gpu; BENCH_WORKLOADS (1,000) Jobs of 1 GPU queued there. Kueue creates a Workload
 *    per Job, admits BENCH_ADMITTED of them (kwok runs their pods on the bench nodes; the demo DCGM
 *    exporter reports their GPUs) and keeps the rest pending with its reason. Then, as alice (scope
 *    payments-*) and admin (all), N interleaved requests after a warm-up of
 *      GET /api/gpu/capacity?cluster=dev-cluster, /queues?cluster=dev-cluster,
 *          /workloads?cluster=dev-cluster, /utilization?groupBy=workload&minutes=60, /idle
 *    and, side by side, what the page would have to read without the portal, straight from the
 *    apiserver as admin: the GPU nodes, every Workload, the ClusterQueues + LocalQueues. p50/p95,
 *    response bytes, plus each endpoint's first (cold) answer after the backend started.
 * 2. Kueue's admission latency as the portal sees it: BENCH_ADMISSIONS (5) times, a 1-GPU Job in
 *    payments-gpu-bench-admit (its own ClusterQueue bench-gpu-admit with free quota), then
 *    GET /api/gpu/workloads?namespace=… polled every BENCH_POLL_MS (100) until its Workload is
 *    `admitted`: created → admitted through the portal, next to the same poll on the apiserver
 *    (the Workload's Admitted condition) and Kueue's own timestamps (creation → condition, 1 s
 *    resolution).
 *
 * Simulated: the GPU devices (kwok nodes with an nvidia.com/gpu count) and their utilization (the
 * demo DCGM exporter); Kueue, the apiserver, Prometheus/Thanos and the portal are real.
 *
 * Needs the dev stack with its gpu part: ./deploy/dev/stack.sh up (./kubemate bench gpu starts what
 * it needs). Env: BENCH_N (20), BENCH_WARMUP (3), BENCH_NODES (200), BENCH_GPUS_PER_NODE (8),
 * BENCH_WORKLOADS (1000), BENCH_ADMITTED (100), BENCH_ADMISSIONS (5), BENCH_POLL_MS (100),
 * BENCH_SKIP_BUILD=1 (use the existing packages/backend/dist), BENCH_KEEP=1 (keep the bench objects).
 */
import { execFile } from 'node:child_process';
import {
  createWriteStream,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  baseUrl,
  buildBackend,
  configArgs,
  fail,
  findKubectl,
  log,
  mb,
  pct,
  poll,
  readStackFile,
  secs,
  signIn,
  sleep,
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const N = Number(process.env.BENCH_N ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const NODES = Number(process.env.BENCH_NODES ?? 200);
const GPUS_PER_NODE = Number(process.env.BENCH_GPUS_PER_NODE ?? 8);
const WORKLOADS = Number(process.env.BENCH_WORKLOADS ?? 1000);
const ADMITTED = Number(process.env.BENCH_ADMITTED ?? 100);
const ADMISSIONS = Number(process.env.BENCH_ADMISSIONS ?? 5);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 100);
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const KEEP = process.env.BENCH_KEEP === '1';

const CLUSTER = 'dev-cluster';
const BENCH = { 'kubemate.io/bench': 'gpu' };
const PRODUCT = 'NVIDIA-H100-80GB-HBM3';
const NAMESPACES = [1, 2, 3, 4].map(i => `payments-gpu-bench-${i}`);
const ADMIT_NS = 'payments-gpu-bench-admit';
const KUEUE = 'kueue.x-k8s.io/v1beta2';
const execFileP = promisify(execFile);

const kubectlBin = findKubectl();
let stack;
const kubectl = async (args, timeout = 600_000) => {
  try {
    const { stdout } = await execFileP(
      kubectlBin,
      ['--kubeconfig', stack.kubeconfig, '--context', CLUSTER, ...args],
      { maxBuffer: 256 * 1024 * 1024, timeout },
    );
    return stdout;
  } catch (e) {
    return fail(
      `kubectl ${args.slice(0, 3).join(' ')}: ${String(e.stderr || e.message)
        .split('\n')
        .slice(0, 3)
        .join('\n')}`,
    );
  }
};

/** GET on dev-cluster's apiserver as the stack's admin: the parsed body and its size. */
function apiserverGet(path) {
  const c = stack.clusters.find(x => x.name === CLUSTER);
  return new Promise((resolve, reject) => {
    const req = request(
      `${c.url}${path}`,
      {
        ca: Buffer.from(c.caData, 'base64'),
        headers: { authorization: `Bearer ${c.tokens.admin}` },
        timeout: 30_000,
      },
      res => {
        const chunks = [];
        res.on('data', d => chunks.push(d));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200)
            reject(new Error(`${path}: HTTP ${res.statusCode}`));
          else resolve({ json: JSON.parse(body), bytes: body.length });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

async function api(token, path) {
  const res = await fetch(`${baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  if (!res.ok) fail(`GET ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return { json: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

/** VmRSS of the Kueue manager of dev-cluster (found by its --config path), in bytes. */
function kueueRss() {
  const config = stack.gpu?.kueue?.find(k => k.cluster === CLUSTER)?.config;
  for (const pid of readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!config || !cmd.includes(config)) continue;
      const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(
        /VmRSS:\s+(\d+) kB/,
      );
      if (m) return Number(m[1]) * 1024;
    } catch {
      /* gone */
    }
  }
  return undefined;
}

// ------------------------------------------------------------------ bench objects
const nodeName = i => `bench-gpu-${String(i).padStart(3, '0')}`;

function node(i) {
  const name = nodeName(i);
  const resources = {
    cpu: '96',
    memory: '1Ti',
    pods: '110',
    'ephemeral-storage': '200Gi',
    'nvidia.com/gpu': String(GPUS_PER_NODE),
  };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        ...BENCH,
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        'kubemate.io/simulated': 'true',
        'nvidia.com/gpu.present': 'true',
        'nvidia.com/gpu.product': PRODUCT,
        'nvidia.com/gpu.count': String(GPUS_PER_NODE),
        'nvidia.com/gpu.memory': '81559',
        'nvidia.com/gpu.family': 'hopper',
      },
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
      },
    },
    spec: {
      taints: [
        { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' },
        { key: 'kubemate.io/bench', value: 'gpu', effect: 'NoSchedule' },
      ],
    },
    status: {
      capacity: resources,
      allocatable: resources,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        osImage: 'Simulated node (kwok)',
        kernelVersion: 'kwok',
        containerRuntimeVersion: 'kwok',
        kubeletVersion: 'v1.35.4',
        kubeProxyVersion: 'v1.35.4',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
    },
  };
}

const flavor = {
  apiVersion: KUEUE,
  kind: 'ResourceFlavor',
  metadata: { name: 'bench-h100', labels: BENCH },
  spec: {
    nodeLabels: { 'nvidia.com/gpu.product': PRODUCT, ...BENCH },
    tolerations: [
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'kubemate.io/bench', operator: 'Exists', effect: 'NoSchedule' },
    ],
  },
};

function clusterQueue(name, selectorValue, gpus) {
  return {
    apiVersion: KUEUE,
    kind: 'ClusterQueue',
    metadata: { name, labels: BENCH },
    spec: {
      namespaceSelector: {
        matchLabels: { 'kubemate.io/bench': selectorValue },
      },
      queueingStrategy: 'BestEffortFIFO',
      resourceGroups: [
        {
          coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
          flavors: [
            {
              name: 'bench-h100',
              resources: [
                { name: 'cpu', nominalQuota: String(gpus) },
                { name: 'memory', nominalQuota: `${gpus}Gi` },
                { name: 'nvidia.com/gpu', nominalQuota: gpus },
              ],
            },
          ],
        },
      ],
    },
  };
}

const namespace = (name, benchValue) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { 'kubemate.io/bench': benchValue } },
});

const localQueue = (ns, name, cq) => ({
  apiVersion: KUEUE,
  kind: 'LocalQueue',
  metadata: { name, namespace: ns, labels: BENCH },
  spec: { clusterQueue: cq },
});

function job(ns, name, queue, priorityClass) {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name,
      namespace: ns,
      labels: {
        ...BENCH,
        'kueue.x-k8s.io/queue-name': queue,
        'kueue.x-k8s.io/priority-class': priorityClass,
      },
    },
    spec: {
      suspend: true,
      parallelism: 1,
      completions: 1,
      backoffLimit: 0,
      template: {
        metadata: {
          labels: BENCH,
          annotations: { 'kwok.kubemate.io/run-duration': '24h' },
        },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'train',
              image: 'registry.kubemate.local/bench-gpu:1.0.0',
              resources: {
                requests: {
                  cpu: '100m',
                  memory: '128Mi',
                  'nvidia.com/gpu': '1',
                },
                limits: {
                  cpu: '100m',
                  memory: '128Mi',
                  'nvidia.com/gpu': '1',
                },
              },
            },
          ],
        },
      },
    },
  };
}

async function applyList(items) {
  const file = join(tmpdir(), `kubemate-bench-gpu-${process.pid}.json`);
  writeFileSync(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  );
  try {
    await kubectl(['apply', '--server-side', '--force-conflicts', '-f', file]);
  } finally {
    rmSync(file, { force: true });
  }
}

/** Workloads of the bench namespaces by state, straight from the apiserver. */
async function benchWorkloads() {
  // Kueue does not copy a Job's labels to its Workload (only the keys its Configuration lists in
  // labelKeysToCopy): the bench's Workloads are the ones in its namespaces
  const items = [];
  for (const ns of NAMESPACES) {
    const { json } = await apiserverGet(
      `/apis/kueue.x-k8s.io/v1beta2/namespaces/${ns}/workloads`,
    );
    items.push(...json.items);
  }
  const json = { items };
  const admitted = json.items.filter(w =>
    (w.status?.conditions ?? []).some(
      c => c.type === 'Admitted' && c.status === 'True',
    ),
  ).length;
  return { total: json.items.length, admitted };
}

async function seed() {
  const t0 = performance.now();
  const nodes = [];
  for (let i = 0; i < NODES; i++) nodes.push(node(i));
  await applyList(nodes);
  await applyList([
    flavor,
    clusterQueue('bench-gpu', 'gpu', ADMITTED),
    clusterQueue('bench-gpu-admit', 'gpu-admit', 8),
    ...NAMESPACES.map(ns => namespace(ns, 'gpu')),
    namespace(ADMIT_NS, 'gpu-admit'),
  ]);
  await applyList([
    ...NAMESPACES.map(ns => localQueue(ns, 'gpu', 'bench-gpu')),
    localQueue(ADMIT_NS, 'admit', 'bench-gpu-admit'),
  ]);
  // in slices, so the Job webhook of Kueue (every Job goes through it) is not one huge request
  const jobs = [];
  for (let i = 0; i < WORKLOADS; i++)
    jobs.push(
      job(
        NAMESPACES[i % NAMESPACES.length],
        `bench-gpu-job-${String(i).padStart(4, '0')}`,
        'gpu',
        i % 3 === 0 ? 'gpu-low' : 'gpu-normal',
      ),
    );
  for (let i = 0; i < jobs.length; i += 250)
    await applyList(jobs.slice(i, i + 250));
  const applyMs = performance.now() - t0;
  log(
    `applied ${NODES} nodes and ${WORKLOADS} Jobs in ${secs(
      applyMs,
    )}; waiting for Kueue`,
  );
  const counts = await poll(
    `${WORKLOADS} Workloads, ${ADMITTED} admitted`,
    900_000,
    async () => {
      const c = await benchWorkloads();
      return c.total >= WORKLOADS && c.admitted >= ADMITTED ? c : undefined;
    },
    2000,
  );
  const kueueMs = performance.now() - t0 - applyMs;
  return { applyMs, kueueMs, counts };
}

// ------------------------------------------------------------------ part 1: endpoints
const benchNs = ns => ns?.startsWith('payments-gpu-bench-');

function checkCapacity(json) {
  const bench = json.nodes.filter(n => n.name.startsWith('bench-gpu-'));
  const gpus = bench.reduce((s, n) => s + n.gpus, 0);
  if (bench.length < NODES || gpus < NODES * GPUS_PER_NODE)
    fail(
      `/capacity: ${bench.length} bench nodes, ${gpus} GPUs; expected ${NODES} × ${GPUS_PER_NODE}`,
    );
  return `${json.nodes.length} nodes`;
}

function checkWorkloads(json) {
  const n = json.workloads.filter(w => benchNs(w.namespace)).length;
  if (n < WORKLOADS)
    fail(`/workloads: ${n} bench workloads, expected ${WORKLOADS}`);
  const pending = json.workloads.filter(
    w => benchNs(w.namespace) && w.state === 'pending',
  );
  const placed = pending.filter(w => w.position > 0).length;
  if (pending.length && !placed)
    fail('/workloads: no pending bench workload has a queue position');
  return `${json.workloads.length} workloads (${
    pending.length
  } pending, ${placed} with a position, ${
    pending.filter(w => w.reason).length
  } with a reason)`;
}

function checkQueues(json) {
  const q = json.queues.find(x => x.name === 'bench-gpu');
  if (!q) fail('/queues: no bench-gpu');
  if (q.pendingWorkloads < WORKLOADS - ADMITTED - 50)
    fail(`/queues: bench-gpu has ${q.pendingWorkloads} pending workloads`);
  return `${json.queues.length} queues`;
}

const seriesOf = json => `${json.series.length} series`;
const idleOf = json => `${json.items.length} idle GPUs`;

function endpoints(tokens) {
  const list = [];
  const ours = [
    ['capacity', '/api/gpu/capacity?cluster=dev-cluster', checkCapacity],
    ['queues', '/api/gpu/queues?cluster=dev-cluster', checkQueues],
    ['workloads', '/api/gpu/workloads?cluster=dev-cluster', checkWorkloads],
    [
      'utilization',
      '/api/gpu/utilization?groupBy=workload&minutes=60',
      seriesOf,
    ],
    ['idle', '/api/gpu/idle', idleOf],
  ];
  for (const [name, path, check] of ours)
    for (const [user, token] of Object.entries(tokens))
      list.push({
        label: `${name} (${user})`,
        run: () => api(token, path),
        check,
      });
  const direct = [
    [
      'apiserver: GPU nodes',
      '/api/v1/nodes?labelSelector=nvidia.com%2Fgpu.present%3Dtrue',
      j => `${j.items.length} nodes`,
    ],
    [
      'apiserver: Workloads',
      '/apis/kueue.x-k8s.io/v1beta2/workloads',
      j => `${j.items.length} workloads`,
    ],
  ];
  for (const [label, path, check] of direct)
    list.push({ label, run: () => apiserverGet(path), check });
  list.push({
    label: 'apiserver: ClusterQueues + LocalQueues',
    run: async () => {
      const [a, b] = await Promise.all([
        apiserverGet('/apis/kueue.x-k8s.io/v1beta2/clusterqueues'),
        apiserverGet('/apis/kueue.x-k8s.io/v1beta2/localqueues'),
      ]);
      return {
        json: { n: a.json.items.length + b.json.items.length },
        bytes: a.bytes + b.bytes,
      };
    },
    check: j => `${j.n} queues`,
  });
  return list;
}

async function measure(tokens) {
  const list = endpoints(tokens);
  const cold = {};
  for (const t of list) {
    const t0 = performance.now();
    const { json } = await t.run();
    cold[t.label] = performance.now() - t0;
    t.what = t.check(json);
  }
  const results = list.map(() => ({ ms: [], bytes: [] }));
  for (let i = 0; i < WARMUP + N; i++) {
    const order = list.map((_, k) => (k + i) % list.length);
    for (const k of order) {
      const t0 = performance.now();
      const { json, bytes } = await list[k].run();
      const ms = performance.now() - t0;
      if (i < WARMUP) continue;
      list[k].check(json);
      results[k].ms.push(ms);
      results[k].bytes.push(bytes);
    }
  }
  return list.map((t, k) => ({
    label: t.label,
    what: t.what,
    cold: cold[t.label],
    ...results[k],
  }));
}

// ------------------------------------------------------------------ part 2: admission latency
async function admissions(token) {
  const rows = [];
  for (let i = 0; i < ADMISSIONS; i++) {
    const name = `bench-gpu-admit-${Date.now().toString(36)}`;
    const t0 = performance.now();
    await applyList([job(ADMIT_NS, name, 'admit', 'gpu-normal')]);
    const created = performance.now() - t0;
    let apiMs;
    let kueueS;
    let done = false;
    const deadline = Date.now() + 120_000;
    const viaApi = (async () => {
      while (!done && Date.now() < deadline) {
        const { json } = await apiserverGet(
          `/apis/kueue.x-k8s.io/v1beta2/namespaces/${ADMIT_NS}/workloads`,
        ).catch(() => ({ json: { items: [] } }));
        const w = json.items.find(x =>
          (x.metadata.ownerReferences ?? []).some(o => o.name === name),
        );
        const cond = (w?.status?.conditions ?? []).find(
          c => c.type === 'Admitted' && c.status === 'True',
        );
        if (cond) {
          apiMs = performance.now() - t0;
          kueueS =
            (Date.parse(cond.lastTransitionTime) -
              Date.parse(w.metadata.creationTimestamp)) /
            1000;
          return;
        }
        await sleep(POLL_MS);
      }
    })();
    const portalMs = await poll(
      `${name} admitted through the portal`,
      120_000,
      async () => {
        const { json } = await api(
          token,
          `/api/gpu/workloads?cluster=${CLUSTER}&namespace=${ADMIT_NS}`,
        );
        const w = json.workloads.find(x => x.owner?.name === name);
        return w?.state === 'admitted' ? performance.now() - t0 : undefined;
      },
      POLL_MS,
    );
    await viaApi;
    done = true;
    rows.push({ name, created, portalMs, apiMs, kueueS });
    log(
      `  ${name}: created in ${created.toFixed(
        0,
      )} ms, admitted seen by the portal after ${(portalMs / 1000).toFixed(
        2,
      )} s, on the apiserver after ${
        apiMs === undefined ? '?' : (apiMs / 1000).toFixed(2)
      } s (Kueue: ${kueueS ?? '?'} s)`,
    );
    await kubectl([
      '-n',
      ADMIT_NS,
      'delete',
      'job',
      name,
      '--cascade=background',
      '--wait=false',
    ]);
  }
  return rows;
}

// ------------------------------------------------------------------ main
let backend;
let dataDir;
let logFile;
let seeded = false;
let failed = false;

async function cleanup() {
  if (backend)
    await stop(backend).catch(e => log(`stopping backend: ${e.message}`));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (logFile && !failed) rmSync(logFile, { force: true });
  if (!seeded) return;
  if (KEEP) return log('BENCH_KEEP=1: keeping the bench objects');
  log('deleting the bench objects');
  const del = args =>
    kubectl(['delete', ...args, '--ignore-not-found'], 600_000).catch(e =>
      log(`cleanup: ${e.message}`),
    );
  // the namespaces take their Jobs, Workloads, pods and LocalQueues; Kueue then releases the
  // ClusterQueues and the flavor (its finalizer waits until nothing uses them)
  await del(['namespace', ...NAMESPACES, ADMIT_NS, '--timeout=540s']);
  await del(['clusterqueue', 'bench-gpu', 'bench-gpu-admit', '--timeout=120s']);
  await del(['resourceflavor', 'bench-h100', '--timeout=120s']);
  await del(['node', '-l', 'kubemate.io/bench=gpu']);
}

function table(rows) {
  const head = [
    'endpoint',
    'answer',
    'cold ms',
    'p50 ms',
    'p95 ms',
    'bytes (p50)',
  ];
  const body = rows.map(r => [
    r.label,
    r.what,
    r.cold.toFixed(0),
    pct(r.ms, 0.5).toFixed(1),
    pct(r.ms, 0.95).toFixed(1),
    String(pct(r.bytes, 0.5)),
  ]);
  const w = head.map((h, i) =>
    Math.max(h.length, ...body.map(b => b[i].length)),
  );
  const line = cells => cells.map((c, i) => c.padEnd(w[i])).join('  ');
  return [line(head), line(w.map(n => '-'.repeat(n))), ...body.map(line)].join(
    '\n',
  );
}

async function main() {
  console.log(
    `Kubemate Portal — GPU quotas: the GPUs page at ${NODES} nodes × ${GPUS_PER_NODE} GPUs and ${WORKLOADS} workloads, Kueue's admission latency — ${new Date().toISOString()}, node ${
      process.version
    }`,
  );
  stack = readStackFile();
  if (!stack.gpu?.kueue?.some(k => k.cluster === CLUSTER))
    fail(
      `the dev stack runs no Kueue in ${CLUSTER}: ./deploy/dev/stack.sh up --only gpu`,
    );
  const kueueBefore = kueueRss();

  log(
    `seeding ${NODES} GPU nodes, ${WORKLOADS} queued Jobs (${ADMITTED} GPUs of quota) in ${CLUSTER}`,
  );
  seeded = true;
  const seeding = await seed();
  const kueueSeeded = kueueRss();

  if (!SKIP_BUILD) {
    log('building packages/backend (deploy/test/build-backend.sh)');
    buildBackend();
  }
  dataDir = mkdtempSync(join(tmpdir(), 'kubemate-bench-'));
  logFile = join(tmpdir(), `kubemate-bench-backend-${process.pid}.log`);
  const out = createWriteStream(logFile);
  backend = startBackend({
    cmd: process.execPath,
    args: [
      'dist/start-in-workspace.cjs',
      ...configArgs([
        'app-config.yaml',
        'bench/app-config.bench.yaml',
        stack.appConfigFile,
        'bench/app-config.gpu-bench.yaml',
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  const started = performance.now();
  await waitReady(backend, 300_000);
  log(`backend ready in ${secs(performance.now() - started)}`);
  const tokens = { alice: await signIn('alice'), admin: await signIn('admin') };
  const probe = await fetch(`${baseUrl}/api/gpu/capacity`, {
    headers: { authorization: `Bearer ${tokens.admin}` },
  });
  if (probe.status === 404)
    fail(
      `GET /api/gpu/capacity: 404 — is the gpu plugin installed in packages/backend?`,
    );

  log(`part 1: ${N} rounds (+${WARMUP} warm-up) of every endpoint`);
  const rows = await measure(tokens);
  const rss = treeRssBytes(backend.pid);
  log(`part 2: ${ADMISSIONS} admissions through bench-gpu-admit`);
  const admitted = await admissions(tokens.alice);

  console.log(
    `\nSeed: ${NODES} nodes + ${WORKLOADS} Jobs applied in ${secs(
      seeding.applyMs,
    )}; Kueue created ${seeding.counts.total} Workloads and admitted ${
      seeding.counts.admitted
    } after another ${secs(seeding.kueueMs)}.`,
  );
  console.log(
    `Kueue ${stack.gpu.kueueVersion} manager (${CLUSTER}) RSS: ${
      kueueBefore ? mb(kueueBefore) : '?'
    } MB before the seed, ${
      kueueSeeded ? mb(kueueSeeded) : '?'
    } MB with it; backend tree RSS after part 1: ${mb(rss)} MB.`,
  );
  console.log(
    `\n(1) GET endpoints — ${N} samples each after ${WARMUP} warm-up, interleaved; "cold" = the first answer after the backend started (admin first, then alice for the same data)\n`,
  );
  console.log(table(rows));
  const ms = admitted.map(r => r.portalMs / 1000);
  const apiS = admitted.filter(r => r.apiMs).map(r => r.apiMs / 1000);
  console.log(
    `\n(2) Kueue admission latency, created → admitted (${admitted.length} Jobs of 1 GPU, free quota, poll every ${POLL_MS} ms)`,
  );
  console.log(
    `    through the portal (GET /api/gpu/workloads): p50 ${pct(
      ms,
      0.5,
    ).toFixed(2)} s, max ${Math.max(...ms).toFixed(2)} s`,
  );
  if (apiS.length)
    console.log(
      `    straight from the apiserver (Workload Admitted):  p50 ${pct(
        apiS,
        0.5,
      ).toFixed(2)} s, max ${Math.max(...apiS).toFixed(2)} s`,
    );
  console.log(
    `    Kueue's own timestamps (creation → Admitted, 1 s resolution): ${admitted
      .map(r => r.kueueS ?? '?')
      .join(', ')} s`,
  );
  console.log(
    '\nSimulated: the GPU devices (kwok nodes with nvidia.com/gpu) and their utilization (demo DCGM exporter, kubemate_demo="true"); Kueue, the apiservers, Prometheus/Thanos and the portal are real.',
  );
}

main()
  .catch(async e => {
    failed = true;
    console.error(`\nbench/gpu failed: ${e.message}`);
    if (logFile) console.error(`backend log: ${logFile}`);
    process.exitCode = 1;
  })
  .finally(cleanup);
