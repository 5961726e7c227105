#!/usr/bin/env node
/*
 * Entity workloads endpoint of Kubemate's clusters plugin vs the upstream
 * @backstage/plugin-kubernetes-backend endpoint, for the same entity, in the same run, against
 * real clusters of the local dev stack (deploy/dev: dev-cluster, prod-cluster and the on-demand
 * bench-cluster), at each size of BENCH_PODS_LIST pods of the entity per cluster (2,000 then
 * 10,000):
 *   ours:     GET  /api/clusters/entity/component/default/bench-svc/workloads
 *   upstream: POST /api/kubernetes/services/bench-svc  {"entity": <catalog entity>}
 * Per size: p50/p95/min/max latency and response size of each, the ratio ours/upstream (goal
 * p95 ≤ 1/10), the time from the backend's start to a warm cache (our endpoint reports every
 * pod) next to the upstream's first answer, and the cache's memory: the backend's V8 heap used
 * after a forced GC (through the inspector), warm minus before the first request, per 1,000
 * cached pods; then how each grows from the first size to the last (the marginal heap per 1,000
 * pods between sizes), and at the last size what the cache transform (stripCachedObject) saves:
 * the same backend with KUBEMATE_RESOURCE_CACHE_FULL_OBJECTS=1.
 *
 * Steps: start bench-cluster (`stack.sh up --only kubernetes --clusters bench-cluster`, control
 * plane + kwok only); apply deploy/dev/seed/bench/bench.yaml (namespace, 4 kwok nodes) to each
 * cluster; per size, create the missing bare Pods (spec.nodeName set: no scheduler) concurrently
 * through the API with the admin identity, wait until kwok reports them Running; build and start
 * the backend (BENCH_PORT, fresh SQLite data dir, the 3 clusters for both plugins, bench
 * catalog); sign in as alice (demo provider); measure; stop it. At the end delete the pods,
 * namespace and nodes (label kubemate.io/bench=cluster-ops) unless BENCH_KEEP=1.
 *
 * Needs the dev stack: ./deploy/dev/stack.sh up --only kubernetes. Run: eval "$(./kubemate env)";
 * node bench/cluster-ops-workloads.mjs
 * Env: BENCH_PODS_LIST (2000,10000; ascending), BENCH_N (20), BENCH_WARMUP (2), BENCH_CLUSTERS (3;
 * 2 = the stack's clusters only), BENCH_FULL_OBJECTS (1: also measure the cache without the
 * transform at the last size; 0: skip), BENCH_SEED_CONCURRENCY (24 requests per cluster),
 * BENCH_SEED_TIMEOUT_S (600), BENCH_KEEP=1 (keep the bench objects), BENCH_SKIP_BUILD=1 (use the
 * existing packages/backend/dist), KUBECTL (kubectl binary).
 */
import { execFile } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
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
  root,
  secs,
  signIn,
  sleep,
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const SIZES = (
  process.env.BENCH_PODS_LIST ??
  process.env.BENCH_PODS ??
  '2000,10000'
)
  .split(',')
  .map(Number);
/** Run in the given order (a smaller size deletes the extra pods); growth is smallest → largest. */
const LARGEST = Math.max(...SIZES);
const N = Number(process.env.BENCH_N ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const CLUSTER_COUNT = Number(process.env.BENCH_CLUSTERS ?? 3);
const FULL_OBJECTS = (process.env.BENCH_FULL_OBJECTS ?? '1') === '1';
const CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 24);
const SEED_TIMEOUT_MS = Number(process.env.BENCH_SEED_TIMEOUT_S ?? 600) * 1000;
const KEEP = process.env.BENCH_KEEP === '1';
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const GOAL_RATIO = 0.1;

const NAMESPACE = 'kubemate-bench';
const BENCH_LABEL = 'kubemate.io/bench=cluster-ops';
const ENTITY = { kind: 'component', namespace: 'default', name: 'bench-svc' };
const SEED_FILE = join(root, 'deploy/dev/seed/bench/bench.yaml');
const BENCH_NODES = 4; // bench-node-1..4 in SEED_FILE
const EXTRA_CLUSTER = 'bench-cluster';
const stateDir = join(
  process.env.KUBEMATE_STATE ?? join(root, '.kubemate'),
  'dev',
);

// ------------------------------------------------------------------ clusters
const kubectlBin = findKubectl();
const execFileP = promisify(execFile);

/** name, url, CA, admin/portal/rbac-sync tokens and an admin kubeconfig (+ context) per cluster. */
function benchClusters(stack) {
  const out = stack.clusters.map(c => ({
    name: c.name,
    url: c.url,
    ca: Buffer.from(c.caData, 'base64').toString(),
    caData: c.caData,
    admin: c.tokens.admin,
    portal: c.tokens.portal,
    rbacSync: c.tokens.rbacSync,
    kubeconfig: stack.kubeconfig,
    context: c.name,
  }));
  if (CLUSTER_COUNT > out.length) {
    // the on-demand cluster is not in stack.json: its state dir has what we need
    const d = join(stateDir, EXTRA_CLUSTER);
    const kubeconfig = join(d, 'admin.kubeconfig');
    const server = readFileSync(kubeconfig, 'utf8').match(/server: (\S+)/)[1];
    const ca = readFileSync(join(d, 'pki/ca.crt'), 'utf8');
    const token = f => readFileSync(join(d, 'tokens', f), 'utf8').trim();
    out.push({
      name: EXTRA_CLUSTER,
      url: server,
      ca,
      caData: Buffer.from(ca).toString('base64'),
      admin: token('admin'),
      portal: token('portal'),
      rbacSync: token('rbac-sync'),
      kubeconfig,
      context: EXTRA_CLUSTER,
    });
  }
  return out.slice(0, CLUSTER_COUNT);
}

async function kubectl(c, args, timeoutMs = 120_000) {
  const { stdout } = await execFileP(
    kubectlBin,
    ['--kubeconfig', c.kubeconfig, '--context', c.context, ...args],
    { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
  );
  return stdout;
}

/** One request to a cluster's apiserver as its admin (keep-alive agent per cluster). */
function kube(
  c,
  method,
  path,
  body,
  accept = 'application/json',
  contentType = 'application/json',
) {
  c.agent ??= new Agent({ keepAlive: true, maxSockets: CONCURRENCY, ca: c.ca });
  const url = new URL(path, c.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        agent: c.agent,
        headers: {
          authorization: `Bearer ${c.admin}`,
          accept,
          ...(body ? { 'content-type': contentType } : {}),
        },
        timeout: 300_000,
      },
      res => {
        const chunks = [];
        res.on('data', d => chunks.push(d));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode >= 300) {
            const e = new Error(
              `${c.name}: ${method} ${path}: HTTP ${
                res.statusCode
              }: ${text.slice(0, 300)}`,
            );
            e.status = res.statusCode;
            reject(e);
          } else if (!text) resolve(undefined);
          else if (accept === 'text/plain') resolve(text);
          else resolve(JSON.parse(text));
        });
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

const podName = i => `bench-svc-${String(i).padStart(5, '0')}`;
const POD_LABELS = {
  app: 'bench-svc',
  'backstage.io/kubernetes-id': 'bench-svc',
  'kubemate.io/bench': 'cluster-ops',
};
const RS_NAME = 'bench-svc-bench';
const HASH = { 'pod-template-hash': 'bench' };
const podSpec = () => ({
  tolerations: [
    {
      key: 'kubemate.io/bench',
      operator: 'Equal',
      value: 'cluster-ops',
      effect: 'NoSchedule',
    },
  ],
  terminationGracePeriodSeconds: 0,
  enableServiceLinks: false,
  automountServiceAccountToken: false,
  containers: [
    {
      name: 'bench-svc',
      image: 'kubemate/bench-svc:1.0.0',
      resources: { requests: { cpu: '1m', memory: '1Mi' } },
    },
  ],
});
/** The controllers' template: its PriorityClass has a quota of 0 pods (SEED_FILE). */
const controllerTemplate = labels => ({
  metadata: { labels },
  spec: {
    ...podSpec(),
    priorityClassName: 'kubemate-bench-controller-pods',
    nodeSelector: { 'kubemate.io/bench': 'cluster-ops' },
  },
});
const benchDeployment = replicas => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'bench-svc', namespace: NAMESPACE, labels: POD_LABELS },
  spec: {
    replicas,
    paused: true,
    revisionHistoryLimit: 1,
    selector: { matchLabels: { app: 'bench-svc' } },
    template: controllerTemplate(POD_LABELS),
  },
});
const benchReplicaSet = (replicas, deployment) => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: {
    name: RS_NAME,
    namespace: NAMESPACE,
    labels: { ...POD_LABELS, ...HASH },
    annotations: { 'deployment.kubernetes.io/revision': '1' },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'bench-svc',
        uid: deployment.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'bench-svc', ...HASH } },
    template: controllerTemplate({ ...POD_LABELS, ...HASH }),
  },
});
const benchPod = (i, rs) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name: podName(i),
    namespace: NAMESPACE,
    labels: { ...POD_LABELS, ...HASH },
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: RS_NAME,
        uid: rs.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ],
  },
  spec: { ...podSpec(), nodeName: `bench-node-${(i % BENCH_NODES) + 1}` },
});

/** Creates `obj` at `collection`, or sets the replicas of the existing one; returns it. */
async function ensureReplicas(c, collection, obj) {
  const path = `${collection}/${obj.metadata.name}`;
  try {
    return await kube(c, 'POST', collection, obj);
  } catch (e) {
    if (e.status !== 409) throw e;
  }
  return kube(
    c,
    'PATCH',
    path,
    { spec: { replicas: obj.spec.replicas } },
    'application/json',
    'application/merge-patch+json',
  );
}

/** Names of the bench pods (metadata only), optionally only the Running ones. */
async function benchPodNames(c, running) {
  const q = new URLSearchParams({ labelSelector: BENCH_LABEL });
  if (running) q.set('fieldSelector', 'status.phase=Running');
  const list = await kube(
    c,
    'GET',
    `/api/v1/namespaces/${NAMESPACE}/pods?${q}`,
    undefined,
    'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  );
  return new Set((list.items ?? []).map(p => p.metadata.name));
}

/** Namespace and nodes, then the pods 0..pods-1 that are missing, `CONCURRENCY` at a time. */
async function seedCluster(c, pods) {
  await kubectl(c, [
    'apply',
    '--server-side',
    '--force-conflicts',
    '-f',
    SEED_FILE,
  ]);
  // pods are refused until the namespace's default ServiceAccount exists (controller-manager)
  await poll(`${c.name}: ServiceAccount default in ${NAMESPACE}`, 60_000, () =>
    kube(
      c,
      'GET',
      `/api/v1/namespaces/${NAMESPACE}/serviceaccounts/default`,
    ).catch(() => undefined),
  );
  // fewer pods than last time (BENCH_KEEP, or sizes in decreasing order): delete the extra ones
  // before the replicas go down, so that the ReplicaSet controller has nothing to delete itself
  const extra = [...(await benchPodNames(c, false))].filter(
    n => Number(n.slice('bench-svc-'.length)) >= pods,
  );
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, w) => {
      for (let k = w; k < extra.length; k += CONCURRENCY)
        await kube(
          c,
          'DELETE',
          `/api/v1/namespaces/${NAMESPACE}/pods/${extra[k]}?gracePeriodSeconds=0`,
        ).catch(e => {
          if (e.status !== 404) throw e;
        });
    }),
  );
  // a paused Deployment (the controller creates no ReplicaSet of its own) and its ReplicaSet
  const apps = `/apis/apps/v1/namespaces/${NAMESPACE}`;
  const deployment = await ensureReplicas(
    c,
    `${apps}/deployments`,
    benchDeployment(pods),
  );
  const rs = await ensureReplicas(
    c,
    `${apps}/replicasets`,
    benchReplicaSet(pods, deployment),
  );
  const existing = await benchPodNames(c, false);
  const todo = [];
  for (let i = 0; i < pods; i++) if (!existing.has(podName(i))) todo.push(i);
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const i = todo[next++];
      for (let attempt = 0; ; attempt++) {
        try {
          await kube(
            c,
            'POST',
            `/api/v1/namespaces/${NAMESPACE}/pods`,
            benchPod(i, rs),
          );
          break;
        } catch (e) {
          if (e.status === 409) break; // already there
          if (attempt >= 5) throw e;
          await sleep(500 * (attempt + 1));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return todo.length;
}

async function seed(clusters, pods) {
  const t0 = performance.now();
  const created = await Promise.all(clusters.map(c => seedCluster(c, pods)));
  const createMs = performance.now() - t0;
  log(
    `created ${clusters
      .map((c, i) => `${c.name} ${created[i]}`)
      .join(', ')} pods in ${secs(
      createMs,
    )}; waiting until kwok reports them Running`,
  );
  const deadline = Date.now() + SEED_TIMEOUT_MS;
  for (;;) {
    const counts = await Promise.all(
      clusters.map(async c => (await benchPodNames(c, true)).size),
    );
    log(
      `running bench pods: ${clusters
        .map((c, i) => `${c.name} ${counts[i]}/${pods}`)
        .join(', ')}`,
    );
    if (counts.every(n => n >= pods))
      return { counts, createMs, totalMs: performance.now() - t0 };
    if (Date.now() > deadline)
      fail(
        `pods not Running after ${secs(
          SEED_TIMEOUT_MS,
        )} (BENCH_SEED_TIMEOUT_S)`,
      );
    await sleep(5_000);
  }
}

async function unseed(clusters) {
  log(
    `deleting the bench pods, namespace and nodes in ${clusters
      .map(c => c.name)
      .join(', ')}`,
  );
  await Promise.all(
    clusters.map(async c => {
      const q = new URLSearchParams({
        labelSelector: BENCH_LABEL,
        gracePeriodSeconds: '0',
      });
      await kube(
        c,
        'DELETE',
        `/api/v1/namespaces/${NAMESPACE}/pods?${q}`,
      ).catch(e => {
        if (e.status !== 404) throw e;
      });
      await kubectl(c, [
        'delete',
        'replicasets,deployments',
        '-n',
        NAMESPACE,
        '-l',
        BENCH_LABEL,
        '--ignore-not-found',
      ]);
      await kubectl(
        c,
        [
          'delete',
          'namespace',
          NAMESPACE,
          '--ignore-not-found',
          '--wait=true',
          '--timeout=300s',
        ],
        330_000,
      );
      await kubectl(c, [
        'delete',
        'nodes,priorityclasses',
        '-l',
        BENCH_LABEL,
        '--ignore-not-found',
      ]);
    }),
  );
}

// ------------------------------------------------------------------ backend + inspector
/**
 * The backend's own memory through its inspector (started with --inspect=127.0.0.1:0): a forced
 * full GC, then process.memoryUsage() (heapUsed, rss, external, arrayBuffers).
 */
/** A Chrome DevTools Protocol session on the backend's inspector: call(method, params), close(). */
async function inspectorSession(wsUrl) {
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`inspector ${wsUrl}: cannot connect`));
  });
  let id = 0;
  const pending = new Map();
  ws.onmessage = ev => {
    const msg = JSON.parse(ev.data);
    if (msg.id && pending.has(msg.id)) {
      pending.get(msg.id)(msg);
      pending.delete(msg.id);
    }
  };
  const call = (method, params = {}) =>
    new Promise((resolve, reject) => {
      const n = ++id;
      pending.set(n, msg =>
        msg.error
          ? reject(new Error(`${method}: ${msg.error.message}`))
          : resolve(msg.result),
      );
      ws.send(JSON.stringify({ id: n, method, params }));
    });
  return { call, close: () => ws.close() };
}

async function inspectorMemory(wsUrl) {
  const s = await inspectorSession(wsUrl);
  try {
    await s.call('HeapProfiler.collectGarbage');
    await s.call('HeapProfiler.collectGarbage');
    const r = await s.call('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    });
    return JSON.parse(r.result.value);
  } finally {
    s.close();
  }
}

/**
 * BENCH_PROFILE=1: a CPU profile of the backend over `fn` (a few requests of ours); prints the
 * functions with the most self time.
 */
async function profileTop(wsUrl, fn, top = 15) {
  const s = await inspectorSession(wsUrl);
  try {
    await s.call('Profiler.enable');
    await s.call('Profiler.setSamplingInterval', { interval: 200 });
    await s.call('Profiler.start');
    await fn();
    const { profile } = await s.call('Profiler.stop');
    const dt = new Map();
    const { samples, timeDeltas } = profile;
    for (let i = 0; i < samples.length; i++)
      dt.set(samples[i], (dt.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0));
    const self = new Map();
    let total = 0;
    for (const n of profile.nodes) {
      const us = dt.get(n.id) ?? 0;
      total += us;
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url
        .replace(/^file:\/\//, '')
        .replace(`${root}/`, '')}:${f.lineNumber + 1}`;
      self.set(key, (self.get(key) ?? 0) + us);
    }
    console.log(
      `CPU profile of ours (self time, ${secs(total / 1000)} sampled):`,
    );
    for (const [k, us] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(
        `  ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k.slice(
          0,
          150,
        )}`,
      );
  } finally {
    s.close();
  }
}

let backend;
let dataDir;
let logFile;

async function startMeasuredBackend(stackConfigFile, clusterConfigFile, env) {
  logFile = join(tmpdir(), `kubemate-bench-backend-${process.pid}.log`);
  const out = createWriteStream(logFile);
  const t0 = performance.now();
  backend = startBackend({
    cmd: process.execPath,
    args: [
      '--inspect=127.0.0.1:0',
      'dist/start-in-workspace.cjs',
      ...configArgs([
        'app-config.yaml',
        'bench/app-config.bench.yaml',
        stackConfigFile,
        'bench/app-config.cluster-bench.yaml',
        clusterConfigFile,
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir, ...env },
  });
  let inspector;
  backend.stderr.on('data', d => {
    inspector ??= String(d).match(/Debugger listening on (ws:\/\/\S+)/)?.[1];
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  log(`backend starting (pid ${backend.pid}, log ${logFile})`);
  await waitReady(backend, 300_000);
  const readyMs = performance.now() - t0;
  if (!inspector) fail('the backend printed no inspector URL');
  return { t0, readyMs, inspector: () => inspector };
}

async function stopBackend() {
  if (!backend) return;
  await stop(backend).catch(e => log(`stopping backend: ${e.message}`));
  backend = undefined;
}

// ------------------------------------------------------------------ HTTP
async function timed(req) {
  const t0 = performance.now();
  const res = await fetch(req.url, req.init);
  const body = await res.text();
  const ms = performance.now() - t0;
  if (res.status !== 200)
    fail(`${req.name}: HTTP ${res.status}: ${body.slice(0, 500)}`);
  return { ms, bytes: Buffer.byteLength(body), json: JSON.parse(body) };
}

/** Pods per cluster in our response: workloads' pods + pods outside any workload. */
function oursPodCounts(json) {
  const counts = {};
  for (const c of json.clusters ?? []) {
    if (c.error) fail(`ours: cluster ${c.cluster}: ${c.error}`);
    let n = 0;
    for (const ns of c.namespaces ?? []) {
      for (const w of ns.workloads ?? []) n += w.pods?.length ?? 0;
      n += ns.otherPods?.length ?? 0;
    }
    counts[c.cluster] = n;
  }
  return counts;
}

/** Pods per cluster in the upstream response: items[].resources of type 'pods'. */
function upstreamPodCounts(json) {
  const counts = {};
  for (const item of json.items ?? []) {
    if (item.errors?.length)
      fail(
        `upstream: cluster ${item.cluster?.name}: ${JSON.stringify(
          item.errors,
        ).slice(0, 500)}`,
      );
    counts[item.cluster.name] = (item.resources ?? [])
      .filter(r => r.type === 'pods')
      .reduce((n, r) => n + r.resources.length, 0);
  }
  return counts;
}

function checkCounts(name, counts, clusters, pods) {
  for (const c of clusters) {
    const n = counts[c.name] ?? 0;
    if (n !== pods)
      fail(
        `${name}: ${n} pods in ${c.name}, expected ${pods} (${JSON.stringify(
          counts,
        )})`,
      );
  }
}

/**
 * One backend start at `pods` pods per cluster: time to ready, heap before the first request,
 * time to a warm cache (ours reports every pod) and the upstream's first answer, the heap when
 * warm; with `measure`, N interleaved requests of each.
 */
async function runSize(ctx, pods, { measure, env = {} }) {
  const { clusters } = ctx;
  const started = await startMeasuredBackend(
    ctx.stackConfigFile,
    ctx.clusterConfigFile,
    env,
  );
  const token = await signIn('alice');
  const auth = { authorization: `Bearer ${token}` };
  const entityUrl = `${baseUrl}/api/catalog/entities/by-name/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}`;
  const entity = await poll('catalog entity bench-svc', 180_000, async () => {
    const res = await fetch(entityUrl, { headers: auth });
    return res.ok ? res.json() : undefined;
  });
  const signedInMs = performance.now() - started.t0;
  const before = await inspectorMemory(started.inspector());
  const rssBefore = treeRssBytes(backend.pid);

  const ours = {
    name: 'ours',
    label: 'ours (GET clusters/entity/…/workloads)',
    url: `${baseUrl}/api/clusters/entity/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}/workloads`,
    init: { headers: auth },
    count: oursPodCounts,
  };
  const upstream = {
    name: 'upstream',
    label: 'upstream (POST kubernetes/services/…)',
    url: `${baseUrl}/api/kubernetes/services/${ENTITY.name}`,
    init: {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ entity }),
    },
    count: upstreamPodCounts,
  };

  // the cache fills on the first read: poll ours until it reports every pod of every cluster
  const tFirst = performance.now();
  let firstOurs;
  await poll(
    'ours reporting all pods',
    300_000,
    async () => {
      const r = await timed(ours);
      firstOurs ??= r.ms;
      const counts = ours.count(r.json);
      return clusters.every(c => (counts[c.name] ?? 0) >= pods)
        ? counts
        : undefined;
    },
    250,
  );
  const warmMs = performance.now() - started.t0;
  const fillMs = performance.now() - tFirst;
  const upstreamFirst = await timed(upstream);
  checkCounts('upstream', upstream.count(upstreamFirst.json), clusters, pods);
  log(
    `ready ${secs(started.readyMs)}, signed in + entity ${secs(
      signedInMs,
    )}, warm cache ${secs(warmMs)} after start (${secs(
      fillMs,
    )} after the first request); upstream's first answer ${secs(
      upstreamFirst.ms,
    )}`,
  );

  const results = new Map(
    [ours, upstream].map(t => [
      t.name,
      { ms: [], bytes: [], counts: undefined },
    ]),
  );
  if (measure) {
    for (let i = 0; i < WARMUP + N; i++) {
      const order = i % 2 ? [upstream, ours] : [ours, upstream];
      for (const t of order) {
        const r = await timed(t);
        const counts = t.count(r.json);
        checkCounts(t.name, counts, clusters, pods);
        if (i < WARMUP) continue;
        const acc = results.get(t.name);
        acc.ms.push(r.ms);
        acc.bytes.push(r.bytes);
        acc.counts = counts;
      }
      if ((i + 1) % 10 === 0) log(`  ${i + 1}/${WARMUP + N} rounds`);
    }
  }
  if (measure && process.env.BENCH_PROFILE === '1')
    await profileTop(started.inspector(), async () => {
      for (let i = 0; i < 5; i++) await timed(ours);
    });
  const warm = await inspectorMemory(started.inspector());
  const rssWarm = treeRssBytes(backend.pid);
  await stopBackend();
  const cached = clusters.length * pods;
  return {
    pods,
    cached,
    readyMs: started.readyMs,
    warmMs,
    fillMs,
    upstreamFirstMs: upstreamFirst.ms,
    heapBefore: before.heapUsed,
    heapWarm: warm.heapUsed,
    rssBefore,
    rssWarm,
    cacheHeapPer1000: (warm.heapUsed - before.heapUsed) / (cached / 1000),
    results,
    targets: [ours, upstream],
  };
}

// ------------------------------------------------------------------ main
let clusters = [];
let seeded = false;
let cleaning;

function cleanup() {
  cleaning ??= (async () => {
    if (backend) {
      log('stopping the backend');
      await stopBackend();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (seeded && KEEP) {
      log(
        `BENCH_KEEP=1: keeping namespace ${NAMESPACE}, its pods and the bench nodes`,
      );
    } else if (seeded) {
      const t0 = performance.now();
      await unseed(clusters);
      log(`bench objects deleted in ${secs(performance.now() - t0)}`);
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

const f1 = x => x.toFixed(1);
const MB = x => x / 1024 / 1024;

async function main() {
  const tStart = performance.now();
  console.log(
    `Kubemate Portal — entity workloads at scale: ours vs upstream plugin-kubernetes-backend — ${new Date().toISOString()}, node ${
      process.version
    }, ${CLUSTER_COUNT} clusters × ${SIZES.join(
      ' then ',
    )} pods, N=${N} (+${WARMUP} warm-up) each`,
  );
  let stack = readStackFile();
  const extraReady = async () => {
    try {
      const extra = benchClusters(stack).find(c => c.name === EXTRA_CLUSTER);
      return (await kube(extra, 'GET', '/readyz', undefined, 'text/plain'))
        .trim()
        .startsWith('ok');
    } catch {
      return false;
    }
  };
  if (CLUSTER_COUNT > stack.clusters.length && !(await extraReady())) {
    log(
      `starting ${EXTRA_CLUSTER} (deploy/dev/stack.sh up --only kubernetes --clusters ${EXTRA_CLUSTER})`,
    );
    await execFileP(
      'bash',
      [
        join(root, 'deploy/dev/stack.sh'),
        'up',
        '--only',
        'kubernetes',
        '--clusters',
        EXTRA_CLUSTER,
      ],
      { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
    );
    stack = readStackFile();
  }
  clusters = benchClusters(stack);
  if (clusters.length !== CLUSTER_COUNT)
    fail(
      `${clusters.length} clusters available, BENCH_CLUSTERS=${CLUSTER_COUNT}`,
    );
  // only the clusters matter here (./kubemate bench cluster-ops runs stack up --only kubernetes)
  for (const c of clusters)
    await kube(c, 'GET', '/readyz', undefined, 'text/plain').catch(e =>
      fail(
        `${c.name} is not ready (${e.message}): ./deploy/dev/stack.sh up --only kubernetes`,
      ),
    );

  if (!SKIP_BUILD) {
    log('building packages/backend (deploy/test/build-backend.sh)');
    buildBackend();
  }
  dataDir = mkdtempSync(join(tmpdir(), 'kubemate-bench-'));
  // every cluster for both plugins (kubernetes.clusterLocatorMethods is what both read; arrays
  // replace the stack's): written here because it holds the clusters' tokens
  const clusterConfigFile = join(dataDir, 'app-config.bench-clusters.yaml');
  writeFileSync(
    clusterConfigFile,
    JSON.stringify({
      kubernetes: {
        clusterLocatorMethods: [
          {
            type: 'config',
            clusters: clusters.map(c => ({
              name: c.name,
              url: c.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: c.portal,
              caData: c.caData,
              skipMetricsLookup: true,
            })),
          },
        ],
      },
      kubemate: {
        rbac: {
          kubernetes: {
            credentials: clusters.map(c => ({
              cluster: c.name,
              serviceAccountToken: c.rbacSync,
            })),
          },
        },
      },
    }),
  );
  const ctx = {
    clusters,
    stackConfigFile: stack.appConfigFile,
    clusterConfigFile,
  };

  const runs = [];
  const seeds = [];
  let full;
  for (const pods of SIZES) {
    log(`--- ${clusters.length} clusters × ${pods} pods: seeding`);
    seeded = true; // from here on, cleanup deletes whatever got created
    const s = await seed(clusters, pods);
    seeds.push(s);
    log(`seeded in ${secs(s.totalMs)} (created in ${secs(s.createMs)})`);
    log(`--- ${clusters.length} clusters × ${pods} pods: backend`);
    runs.push(await runSize(ctx, pods, { measure: true }));
    if (FULL_OBJECTS && pods === LARGEST && !full) {
      log(
        `--- ${clusters.length} clusters × ${pods} pods: backend with KUBEMATE_RESOURCE_CACHE_FULL_OBJECTS=1 (no transform)`,
      );
      full = await runSize(ctx, pods, {
        measure: false,
        env: { KUBEMATE_RESOURCE_CACHE_FULL_OBJECTS: '1' },
      });
    }
  }

  // ---------------------------------------------------------------- report
  const comparisons = [];
  for (const r of runs) {
    console.log(
      `\nentity workloads of component:default/bench-svc, ${
        clusters.length
      } clusters (${clusters.map(c => c.name).join(', ')}) × ${
        r.pods
      } pods, N=${N} each, interleaved, after ${WARMUP} warm-up rounds:`,
    );
    console.log(
      'endpoint'.padEnd(40) +
        'p50 ms'.padStart(9) +
        'p95 ms'.padStart(9) +
        'min ms'.padStart(9) +
        'max ms'.padStart(9) +
        'size KB'.padStart(10) +
        '  pods per cluster',
    );
    for (const t of r.targets) {
      const x = r.results.get(t.name);
      console.log(
        t.label.padEnd(40) +
          f1(pct(x.ms, 0.5)).padStart(9) +
          f1(pct(x.ms, 0.95)).padStart(9) +
          f1(Math.min(...x.ms)).padStart(9) +
          f1(Math.max(...x.ms)).padStart(9) +
          f1(pct(x.bytes, 0.5) / 1024).padStart(10) +
          '  ' +
          clusters.map(c => `${c.name} ${x.counts[c.name]}`).join(', '),
      );
    }
    const o = r.results.get('ours').ms;
    const u = r.results.get('upstream').ms;
    r.p50 = [pct(o, 0.5), pct(u, 0.5)];
    r.p95 = [pct(o, 0.95), pct(u, 0.95)];
    r.bytes = [
      pct(r.results.get('ours').bytes, 0.5),
      pct(r.results.get('upstream').bytes, 0.5),
    ];
    const r50 = r.p50[0] / r.p50[1];
    const r95 = r.p95[0] / r.p95[1];
    console.log(
      `ratio ours/upstream: p50 ${r50.toFixed(3)} (1/${(1 / r50).toFixed(
        1,
      )}), p95 ${r95.toFixed(3)} (1/${(1 / r95).toFixed(
        1,
      )}); goal p95 ≤ ${GOAL_RATIO}: ${r95 <= GOAL_RATIO ? 'met' : 'NOT met'}`,
    );
    console.log(
      `start → ready ${secs(r.readyMs)}, start → warm cache ${secs(
        r.warmMs,
      )} (first request → warm ${secs(
        r.fillMs,
      )}), upstream's first answer (its first request after start) ${secs(
        r.upstreamFirstMs,
      )}`,
    );
    console.log(
      `backend V8 heap used after GC: ${f1(
        MB(r.heapBefore),
      )} MB before the first request, ${f1(
        MB(r.heapWarm),
      )} MB warm → cache ${f1(MB(r.heapWarm - r.heapBefore))} MB = ${f1(
        MB(r.cacheHeapPer1000),
      )} MB per 1,000 cached pods (${r.cached} pods); RSS ${mb(
        r.rssBefore,
      )} → ${mb(r.rssWarm)} MB`,
    );
    comparisons.push({
      name: `entity workloads p95, ${clusters.length} clusters × ${r.pods} pods`,
      ours: { label: 'Kubemate clusters plugin (cache)', value: +f1(r.p95[0]) },
      other: {
        label: 'upstream plugin-kubernetes-backend',
        value: +f1(r.p95[1]),
      },
      unit: 'ms p95',
      ratio: +r95.toFixed(3),
      goal: `≤ ${GOAL_RATIO} ratio`,
      met: r95 <= GOAL_RATIO,
    });
  }

  console.log('\ngrowth (first size → last size):');
  const bySize = [...runs].sort((a, b) => a.pods - b.pods);
  const first = bySize[0];
  const last = bySize[bySize.length - 1];
  if (runs.length > 1) {
    const marginal =
      (last.heapWarm - first.heapWarm) / ((last.cached - first.cached) / 1000);
    console.log(
      `  pods per cluster ${first.pods} → ${last.pods} (×${(
        last.pods / first.pods
      ).toFixed(1)})`,
    );
    console.log(
      `  ours p95 ${f1(first.p95[0])} → ${f1(last.p95[0])} ms (×${(
        last.p95[0] / first.p95[0]
      ).toFixed(2)}), upstream p95 ${f1(first.p95[1])} → ${f1(
        last.p95[1],
      )} ms (×${(last.p95[1] / first.p95[1]).toFixed(2)})`,
    );
    console.log(
      `  response size ours ${f1(first.bytes[0] / 1024)} → ${f1(
        last.bytes[0] / 1024,
      )} KB, upstream ${f1(first.bytes[1] / 1024)} → ${f1(
        last.bytes[1] / 1024,
      )} KB`,
    );
    console.log(
      `  start → warm cache ${secs(first.warmMs)} → ${secs(
        last.warmMs,
      )} (first request → warm ${secs(first.fillMs)} → ${secs(last.fillMs)})`,
    );
    console.log(
      `  heap warm ${f1(MB(first.heapWarm))} → ${f1(
        MB(last.heapWarm),
      )} MB: marginal cache memory ${f1(
        MB(marginal),
      )} MB per 1,000 pods; RSS warm ${mb(first.rssWarm)} → ${mb(
        last.rssWarm,
      )} MB`,
    );
    last.marginalPer1000 = marginal;
  }
  if (full) {
    const perStripped = last.cacheHeapPer1000;
    const perFull = full.cacheHeapPer1000;
    console.log(
      `\ncache transform at ${last.pods} pods × ${
        clusters.length
      } clusters: heap used warm ${f1(MB(last.heapWarm))} MB (stripped) vs ${f1(
        MB(full.heapWarm),
      )} MB (full objects); cache ${f1(MB(perStripped))} vs ${f1(
        MB(perFull),
      )} MB per 1,000 pods (ratio ${(perStripped / perFull).toFixed(
        3,
      )}); start → warm ${secs(last.warmMs)} vs ${secs(full.warmMs)}`,
    );
    comparisons.push({
      name: `cache memory per 1,000 pods, ${clusters.length} clusters × ${last.pods} pods: stripped objects vs full objects`,
      ours: {
        label: 'cache with stripCachedObject (V8 heap after GC, warm − before)',
        value: +f1(MB(perStripped)),
      },
      other: {
        label: 'same cache storing full objects',
        value: +f1(MB(perFull)),
      },
      unit: 'MB per 1,000 pods',
      ratio: +(perStripped / perFull).toFixed(3),
      goal: '< 1 ratio (the transform saves memory)',
      met: perStripped < perFull,
    });
  }
  console.log(
    `time: seeding ${seeds.map(s => secs(s.totalMs)).join(' + ')}, total ${secs(
      performance.now() - tStart,
    )}`,
  );

  const summary = {
    bench: 'cluster-ops',
    at: new Date().toISOString(),
    clusters: clusters.map(c => c.name),
    sizes: runs.map(r => ({
      podsPerCluster: r.pods,
      cachedPods: r.cached,
      oursP50Ms: +f1(r.p50[0]),
      oursP95Ms: +f1(r.p95[0]),
      upstreamP50Ms: +f1(r.p50[1]),
      upstreamP95Ms: +f1(r.p95[1]),
      oursBytes: r.bytes[0],
      upstreamBytes: r.bytes[1],
      startToReadyMs: Math.round(r.readyMs),
      startToWarmCacheMs: Math.round(r.warmMs),
      firstRequestToWarmMs: Math.round(r.fillMs),
      upstreamFirstAnswerMs: Math.round(r.upstreamFirstMs),
      heapUsedBeforeMB: +f1(MB(r.heapBefore)),
      heapUsedWarmMB: +f1(MB(r.heapWarm)),
      cacheMBPer1000Pods: +f1(MB(r.cacheHeapPer1000)),
      rssBeforeMB: +mb(r.rssBefore),
      rssWarmMB: +mb(r.rssWarm),
    })),
    marginalCacheMBPer1000Pods:
      last.marginalPer1000 === undefined
        ? undefined
        : +f1(MB(last.marginalPer1000)),
    fullObjects: full && {
      podsPerCluster: full.pods,
      heapUsedWarmMB: +f1(MB(full.heapWarm)),
      cacheMBPer1000Pods: +f1(MB(full.cacheHeapPer1000)),
      startToWarmCacheMs: Math.round(full.warmMs),
    },
    comparisons,
  };
  const outDir = join(root, 'e2e/artifacts/bench');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(
    join(outDir, 'cluster-ops.json'),
    `${JSON.stringify(summary, null, 2)}\n`,
  );
  console.log(
    '\ncomparison'.padEnd(80) +
      'ours'.padStart(10) +
      'other'.padStart(10) +
      '  unit'.padEnd(20) +
      'ratio'.padStart(8) +
      '  goal',
  );
  for (const c of comparisons)
    console.log(
      c.name.padEnd(79) +
        String(c.ours.value).padStart(10) +
        String(c.other.value).padStart(10) +
        `  ${c.unit}`.padEnd(20) +
        c.ratio.toFixed(3).padStart(8) +
        `  ${c.goal}: ${c.met ? 'met' : 'NOT met'}`,
    );
  return tStart;
}

let code = 0;
let tStart = performance.now();
try {
  tStart = await main();
} catch (e) {
  console.error(`\nFAILED: ${e.stack ?? e}`);
  code = 1;
}
try {
  await cleanup();
} catch (e) {
  console.error(
    `cleanup FAILED: ${e.message} — delete namespace ${NAMESPACE} and nodes -l ${BENCH_LABEL} by hand`,
  );
  code = 1;
}
if (code === 0 && logFile) rmSync(logFile, { force: true }); // kept for diagnosis on failure
for (const c of clusters) c.agent?.destroy();
log(`total ${secs(performance.now() - tStart)}`);
process.exit(code);
