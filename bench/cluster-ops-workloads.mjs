#!/usr/bin/env node
/*
 * Entity workloads endpoint of Kubemate's clusters plugin vs the upstream
 * @backstage/plugin-kubernetes-backend endpoint, for the same entity, in the same run, against the
 * local dev stack (deploy/dev, 2 clusters) with 2,000 pods of the entity per cluster:
 *   ours:     GET  /api/clusters/entity/component/default/bench-svc/workloads
 *   upstream: POST /api/kubernetes/services/bench-svc  {"entity": <catalog entity>}
 * Prints p50/p95/min/max latency and response size of each, the ratio ours/upstream (goal ≤ 1/5)
 * and the backend's RSS after the run.
 *
 * Steps: seed deploy/dev/seed/bench/bench.yaml into both clusters (4 kwok nodes × 600 pods, a
 * Deployment of 2,000 replicas in namespace kubemate-bench) and wait until the pods are Running
 * (minutes: controller-manager and scheduler have default QPS limits); build and start the backend
 * (port 7037, fresh SQLite data dir, stack clusters, bench catalog); sign in as alice (demo
 * provider); N interleaved requests of each after a warm-up; clean up (stop the backend, delete
 * the bench namespace and nodes) unless BENCH_KEEP=1.
 *
 * Needs the dev stack: ./deploy/dev/stack.sh up. Run: eval "$(./kubemate env)";
 * node bench/cluster-ops-workloads.mjs
 * Env: BENCH_N (30), BENCH_WARMUP (3), BENCH_PODS (2000, must match the seed file),
 * BENCH_SEED_TIMEOUT_S (900), BENCH_KEEP=1 (keep the bench objects), BENCH_SKIP_BUILD=1 (use the
 * existing packages/backend/dist), KUBECTL (kubectl binary).
 */
import { execFile } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from 'node:fs';
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
  root,
  secs,
  signIn,
  sleep,
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const N = Number(process.env.BENCH_N ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const PODS = Number(process.env.BENCH_PODS ?? 2000);
const SEED_TIMEOUT_MS = Number(process.env.BENCH_SEED_TIMEOUT_S ?? 900) * 1000;
const KEEP = process.env.BENCH_KEEP === '1';
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';

const NAMESPACE = 'kubemate-bench';
const ENTITY = { kind: 'component', namespace: 'default', name: 'bench-svc' };
const SEED_FILE = join(root, 'deploy/dev/seed/bench/bench.yaml');
const stateDir = join(
  process.env.KUBEMATE_STATE ?? join(root, '.kubemate'),
  'dev',
);
const stackFile = join(stateDir, 'stack.json');

// ------------------------------------------------------------------ kubectl
const kubectlBin = findKubectl();
const execFileP = promisify(execFile);
let kubeconfig;

async function kubectl(context, args, timeoutMs = 120_000) {
  const { stdout } = await execFileP(
    kubectlBin,
    ['--kubeconfig', kubeconfig, '--context', context, ...args],
    { maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs },
  );
  return stdout;
}

async function runningPods(context) {
  const out = await kubectl(context, [
    'get',
    'pods',
    '-n',
    NAMESPACE,
    '--field-selector',
    'status.phase=Running',
    '-o',
    'name',
  ]);
  return out.split('\n').filter(Boolean).length;
}

async function seed(clusters) {
  log(`seeding ${SEED_FILE} into ${clusters.join(', ')}`);
  await Promise.all(
    clusters.map(c =>
      kubectl(c, [
        'apply',
        '--server-side',
        '--force-conflicts',
        '-f',
        SEED_FILE,
      ]),
    ),
  );
  const deadline = Date.now() + SEED_TIMEOUT_MS;
  for (;;) {
    const counts = await Promise.all(clusters.map(runningPods));
    log(
      `running pods in ${NAMESPACE}: ${clusters
        .map((c, i) => `${c} ${counts[i]}/${PODS}`)
        .join(', ')}`,
    );
    if (counts.every(n => n >= PODS)) return counts;
    if (Date.now() > deadline)
      fail(
        `pods not Running after ${secs(
          SEED_TIMEOUT_MS,
        )} (BENCH_SEED_TIMEOUT_S)`,
      );
    await sleep(10_000);
  }
}

async function unseed(clusters) {
  log(
    `deleting namespace ${NAMESPACE} and bench nodes in ${clusters.join(', ')}`,
  );
  await Promise.all(
    clusters.map(async c => {
      await kubectl(
        c,
        [
          'delete',
          'namespace',
          NAMESPACE,
          '--ignore-not-found',
          '--wait=true',
          '--timeout=600s',
        ],
        660_000,
      );
      await kubectl(c, [
        'delete',
        'nodes',
        '-l',
        'kubemate.io/bench=true',
        '--ignore-not-found',
      ]);
    }),
  );
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

function checkCounts(name, counts, clusters) {
  for (const c of clusters) {
    const n = counts[c] ?? 0;
    // "about 2,000": the bench namespace holds exactly PODS; allow a few extra (rollout leftovers)
    if (n < PODS || n > PODS * 1.05)
      fail(
        `${name}: ${n} pods in ${c}, expected ~${PODS} (${JSON.stringify(
          counts,
        )})`,
      );
  }
}

// ------------------------------------------------------------------ main
let backend;
let dataDir;
let logFile;
let clusters = [];
let seeded = false;
let cleaning;

function cleanup() {
  cleaning ??= (async () => {
    if (backend) {
      log('stopping the backend');
      await stop(backend).catch(e => log(`stopping backend: ${e.message}`));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (seeded && KEEP) {
      log(`BENCH_KEEP=1: keeping namespace ${NAMESPACE} and bench nodes`);
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

async function main() {
  const tStart = performance.now();
  console.log(
    `Kubemate Portal — entity workloads: ours vs upstream plugin-kubernetes-backend — ${new Date().toISOString()}, node ${
      process.version
    }, N=${N} (+${WARMUP} warm-up) each, ${PODS} pods per cluster`,
  );
  if (!existsSync(stackFile))
    fail(
      `${stackFile} missing: start the dev stack (./deploy/dev/stack.sh up)`,
    );
  const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
  kubeconfig = stack.kubeconfig;
  clusters = stack.clusters.map(c => c.name);
  try {
    await execFileP('bash', [
      join(root, 'deploy/dev/stack.sh'),
      'status',
      '--quiet',
    ]);
  } catch {
    fail('the dev stack is not running/ready: ./deploy/dev/stack.sh up');
  }

  // 1. seed
  let t0 = performance.now();
  seeded = true; // from here on, cleanup deletes whatever got applied
  const kubePods = await seed(clusters);
  const seedMs = performance.now() - t0;
  log(`seeded in ${secs(seedMs)}`);

  // 2. backend
  t0 = performance.now();
  if (!SKIP_BUILD) {
    log('building packages/backend (deploy/test/build-backend.sh)');
    buildBackend();
  }
  const buildMs = performance.now() - t0;
  dataDir = mkdtempSync(join(tmpdir(), 'kubemate-bench-'));
  logFile = join(tmpdir(), `kubemate-bench-backend-${process.pid}.log`);
  const out = createWriteStream(logFile);
  t0 = performance.now();
  backend = startBackend({
    cmd: process.execPath,
    args: [
      'dist/start-in-workspace.cjs',
      ...configArgs([
        'app-config.yaml',
        'bench/app-config.bench.yaml',
        stack.appConfigFile,
        'bench/app-config.cluster-bench.yaml',
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  log(`backend starting (pid ${backend.pid}, log ${logFile})`);
  await waitReady(backend, 300_000);
  const token = await signIn('alice');
  const auth = { authorization: `Bearer ${token}` };
  const entityUrl = `${baseUrl}/api/catalog/entities/by-name/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}`;
  const entity = await poll('catalog entity bench-svc', 180_000, async () => {
    const res = await fetch(entityUrl, { headers: auth });
    return res.ok ? res.json() : undefined;
  });
  const startMs = performance.now() - t0;
  log(
    `backend ready, signed in as alice, entity in the catalog: ${secs(
      startMs,
    )}`,
  );

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
  const targets = [ours, upstream];

  // Our plugin may serve from a cache that fills after start: wait until it sees every pod.
  t0 = performance.now();
  await poll('ours reporting all pods', 180_000, async () => {
    const r = await timed(ours);
    const counts = ours.count(r.json);
    return clusters.every(c => (counts[c] ?? 0) >= PODS) ? counts : undefined;
  });
  const primeMs = performance.now() - t0;

  // 3. measure, interleaved (alternating which goes first)
  t0 = performance.now();
  const results = new Map(
    targets.map(t => [t.name, { ms: [], bytes: [], counts: undefined }]),
  );
  for (let i = 0; i < WARMUP + N; i++) {
    const order = i % 2 ? [upstream, ours] : [ours, upstream];
    for (const t of order) {
      const r = await timed(t);
      const counts = t.count(r.json);
      checkCounts(t.name, counts, clusters);
      if (i < WARMUP) continue;
      const acc = results.get(t.name);
      acc.ms.push(r.ms);
      acc.bytes.push(r.bytes);
      acc.counts = counts;
    }
    if ((i + 1) % 10 === 0) log(`  ${i + 1}/${WARMUP + N} rounds`);
  }
  const measureMs = performance.now() - t0;
  const rss = treeRssBytes(backend.pid);

  // 4. report
  const f = x => x.toFixed(1);
  console.log(
    `\nentity workloads of component:default/bench-svc, ${
      clusters.length
    } clusters × ${PODS} pods (kubectl saw ${kubePods.join(
      ' / ',
    )} Running), N=${N} each, interleaved, after ${WARMUP} warm-up rounds:`,
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
  for (const t of targets) {
    const r = results.get(t.name);
    console.log(
      t.label.padEnd(40) +
        f(pct(r.ms, 0.5)).padStart(9) +
        f(pct(r.ms, 0.95)).padStart(9) +
        f(Math.min(...r.ms)).padStart(9) +
        f(Math.max(...r.ms)).padStart(9) +
        f(pct(r.bytes, 0.5) / 1024).padStart(10) +
        '  ' +
        clusters.map(c => `${c} ${r.counts[c]}`).join(', '),
    );
  }
  const o = results.get('ours').ms;
  const u = results.get('upstream').ms;
  const r50 = pct(o, 0.5) / pct(u, 0.5);
  const r95 = pct(o, 0.95) / pct(u, 0.95);
  console.log(
    `ratio ours/upstream: p50 ${r50.toFixed(3)} (1/${(1 / r50).toFixed(
      1,
    )}), p95 ${r95.toFixed(3)} (1/${(1 / r95).toFixed(1)}); goal ≤ 0.2: ${
      r50 <= 0.2 && r95 <= 0.2 ? 'met' : 'NOT met'
    }`,
  );
  console.log(`backend RSS (process tree) after the run: ${mb(rss)} MB`);
  console.log(
    `time: seeding ${secs(seedMs)}, backend build ${secs(
      buildMs,
    )}, start+sign-in+catalog ${secs(startMs)}, cache priming ${secs(
      primeMs,
    )}, measuring ${secs(measureMs)}`,
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
    `cleanup FAILED: ${e.message} — delete namespace ${NAMESPACE} and nodes -l kubemate.io/bench=true by hand`,
  );
  code = 1;
}
if (code === 0 && logFile) rmSync(logFile, { force: true }); // kept for diagnosis on failure
log(`total ${secs(performance.now() - tStart)}`);
process.exit(code);
