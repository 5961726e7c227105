#!/usr/bin/env node
/*
 * Canary releases benchmark, against the local dev stack (deploy/dev: 2 clusters, kwok, the real
 * Flagger controller per cluster — part `canary`), in one run:
 *
 * 1. Listing: an entity with BENCH_CANARIES releases (default 200, split over both clusters) in
 *    namespace payments-canary-bench, labelled with the bench entity's Kubernetes id: a tiny target
 *    Deployment (0 replicas) and a Flagger Canary over it each. The Canaries are suspended
 *    (spec.suspend: Flagger skips them, so 200 analyses do not load this 2-core machine) with an
 *    analysis interval of 60 min. "200 past releases" here = 200 releases the endpoint lists and joins
 *    (target Deployment, gates, history) — Flagger keeps one status per Canary, so an entity's
 *    release list grows with its Canaries; the history of one release is part 2's. Listed as alice:
 *      ours:     GET  /api/canary/entity/component/default/bench-canary/releases
 *                GET  /api/canary/releases/<cluster>/payments-canary-bench/<name> (one release's details)
 *      upstream: POST /api/kubernetes/resources/custom/query (flagger.app canaries, what a
 *                community plugin asks the upstream Kubernetes backend for)
 *    N interleaved requests after a warm-up: p50/p95, response size, releases per cluster.
 * 2. Lag: one live Canary (bench-canary-live in dev-cluster: a 1-replica Deployment kwok runs,
 *    analysis every 5 s, steps 25 → 50, no metric checks) that the real Flagger initializes, then a
 *    new revision (a pod-template annotation) that Flagger takes through Progressing, Promoting,
 *    Finalising to Succeeded. The apiserver (the Canary's status) and our details endpoint are
 *    polled every BENCH_POLL_MS (100); for every (phase, canaryWeight) Flagger writes, the time from
 *    its first sighting on the apiserver to its first sighting through our API.
 *
 * Needs the dev stack with Flagger: ./deploy/dev/stack.sh up (./kubemate bench canary starts what
 * it needs). Env: BENCH_N (20), BENCH_WARMUP (3), BENCH_CANARIES (200 in all), BENCH_POLL_MS (100),
 * BENCH_SKIP_BUILD=1 (use the existing packages/backend/dist), BENCH_KEEP=1 (keep the bench objects).
 */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
const CANARIES = Number(process.env.BENCH_CANARIES ?? 200);
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 100);
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const KEEP = process.env.BENCH_KEEP === '1';

const BENCH_NS = 'payments-canary-bench';
const BENCH_ID = 'bench-canary';
const BENCH_ENTITY = `component:default/${BENCH_ID}`;
const LIVE = 'bench-canary-live';
const LIVE_CLUSTER = 'dev-cluster';
const execFileP = promisify(execFile);

const kubectlBin = findKubectl();
let stack;
const kubectl = async (cluster, args) => {
  try {
    const { stdout } = await execFileP(
      kubectlBin,
      ['--kubeconfig', stack.kubeconfig, '--context', cluster, ...args],
      { maxBuffer: 256 * 1024 * 1024, timeout: 300_000 },
    );
    return stdout;
  } catch (e) {
    // 200 objects may fail alike: the first lines say why
    return fail(
      `kubectl ${args.slice(0, 2).join(' ')} in ${cluster}: ${String(
        e.stderr || e.message,
      )
        .split('\n')
        .slice(0, 3)
        .join('\n')}`,
    );
  }
};

/** GET on a cluster's apiserver as the stack's admin (no kubectl process per poll). */
function apiserverGet(cluster, path) {
  const c = stack.clusters.find(x => x.name === cluster);
  return new Promise((resolve, reject) => {
    const req = request(
      `${c.url}${path}`,
      {
        ca: Buffer.from(c.caData, 'base64'), // base64 PEM, as in a kubeconfig
        headers: { authorization: `Bearer ${c.tokens.admin}` },
        timeout: 10_000,
      },
      res => {
        let body = '';
        res.on('data', d => (body += d));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(body))
            : reject(new Error(`${path}: HTTP ${res.statusCode}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

async function api(token, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok)
    fail(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return { json: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

// ------------------------------------------------------------------ bench objects
const labels = name => ({
  app: name,
  'backstage.io/kubernetes-id': BENCH_ID,
  'kubemate.io/bench': 'canary',
});

function deployment(name, replicas) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: BENCH_NS, labels: labels(name) },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: labels(name) },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'registry.kubemate.local/bench-canary:1.0.0',
              ports: [{ name: 'http', containerPort: 8080 }],
            },
          ],
        },
      },
    },
  };
}

function canary(name, { suspend, interval, stepWeight, maxWeight }) {
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: { name, namespace: BENCH_NS, labels: labels(name) },
    spec: {
      suspend,
      targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      progressDeadlineSeconds: 120,
      service: {
        port: 80,
        targetPort: 'http',
        gatewayRefs: [{ name: 'kubemate-gateway', namespace: BENCH_NS }],
      },
      analysis: { interval, threshold: 2, stepWeight, maxWeight, metrics: [] },
    },
  };
}

const perCluster = clusters => Math.ceil(CANARIES / clusters.length);
const benchName = i => `bench-canary-${String(i).padStart(3, '0')}`;

async function applyList(cluster, items) {
  const file = join(
    tmpdir(),
    `kubemate-bench-canary-${process.pid}-${cluster}.json`,
  );
  writeFileSync(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
  );
  try {
    await kubectl(cluster, [
      'apply',
      '--server-side',
      '--force-conflicts',
      '-f',
      file,
    ]);
  } finally {
    rmSync(file, { force: true });
  }
}

async function seed(clusters) {
  const n = perCluster(clusters);
  await Promise.all(
    clusters.map(async c => {
      await applyList(c, [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NS } },
      ]);
      const items = [];
      for (let i = 0; i < n; i++) items.push(deployment(benchName(i), 0));
      for (let i = 0; i < n; i++)
        items.push(
          canary(benchName(i), {
            suspend: true,
            interval: '60m',
            stepWeight: 10,
            maxWeight: 50,
          }),
        );
      await applyList(c, items);
    }),
  );
}

// ------------------------------------------------------------------ part 1: listing
async function listing(token, clusters) {
  const n = perCluster(clusters);
  const countOurs = json => {
    const counts = {};
    for (const e of json.errors ?? []) fail(`ours: ${e.cluster}: ${e.message}`);
    for (const r of json.canaries ?? [])
      counts[r.cluster] = (counts[r.cluster] ?? 0) + 1;
    return counts;
  };
  const targets = [
    {
      label: 'ours (GET canary/entity/…/releases)',
      run: () =>
        api(
          token,
          'GET',
          `/api/canary/entity/component/default/${BENCH_ID}/releases`,
        ),
      count: countOurs,
      expect: n,
    },
    {
      label: 'upstream (POST kubernetes/resources/custom/query)',
      run: () =>
        api(token, 'POST', '/api/kubernetes/resources/custom/query', {
          entityRef: BENCH_ENTITY,
          auth: {},
          customResources: [
            { group: 'flagger.app', apiVersion: 'v1beta1', plural: 'canaries' },
          ],
        }),
      count: json => {
        const counts = {};
        for (const item of json.items ?? []) {
          if (item.errors?.length)
            fail(
              `upstream: ${item.cluster.name}: ${JSON.stringify(item.errors)}`,
            );
          counts[item.cluster.name] = (item.resources ?? [])
            .flatMap(r => r.resources ?? [])
            .filter(o => o.kind === 'Canary').length;
        }
        return counts;
      },
      expect: n,
    },
    {
      label: `ours (GET canary/releases/${clusters[0]}/…/${benchName(0)})`,
      run: () =>
        api(
          token,
          'GET',
          `/api/canary/releases/${clusters[0]}/${BENCH_NS}/${benchName(0)}`,
        ),
      count: json => ({ [json.cluster]: 1 }),
      expect: 0,
    },
  ];
  const results = targets.map(() => ({ ms: [], bytes: [], counts: {} }));
  for (let i = 0; i < WARMUP + N; i++) {
    // rotate the order from round to round
    const order = targets.map((_, k) => (k + i) % targets.length);
    for (const k of order) {
      const t0 = performance.now();
      const { json, bytes } = await targets[k].run();
      const ms = performance.now() - t0;
      const counts = targets[k].count(json);
      if (targets[k].expect)
        for (const c of clusters)
          if ((counts[c] ?? 0) < targets[k].expect)
            fail(
              `${targets[k].label}: ${
                counts[c] ?? 0
              } releases in ${c}, expected ${targets[k].expect}`,
            );
      if (i < WARMUP) continue;
      results[k].ms.push(ms);
      results[k].bytes.push(bytes);
      results[k].counts = counts;
    }
  }
  return targets.map((t, k) => ({ label: t.label, ...results[k] }));
}

// ------------------------------------------------------------------ part 2: lag
const stateOf = (phase, weight) => `${phase ?? '-'} ${weight ?? 0}`;

async function lag(token) {
  await applyList(LIVE_CLUSTER, [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NS } },
    deployment(LIVE, 1),
    canary(LIVE, {
      suspend: false,
      interval: '5s',
      stepWeight: 25,
      maxWeight: 50,
    }),
  ]);
  const path = `/apis/flagger.app/v1beta1/namespaces/${BENCH_NS}/canaries/${LIVE}`;
  log(`waiting for Flagger to initialize ${LIVE} in ${LIVE_CLUSTER}`);
  await poll(`${LIVE} Initialized`, 300_000, async () => {
    const c = await apiserverGet(LIVE_CLUSTER, path);
    if (c.status?.phase === 'Failed')
      fail(`${LIVE}: Flagger failed it: ${JSON.stringify(c.status)}`);
    return ['Initialized', 'Succeeded'].includes(c.status?.phase)
      ? true
      : undefined;
  });
  const ourPath = `/api/canary/releases/${LIVE_CLUSTER}/${BENCH_NS}/${LIVE}`;
  await poll('our API shows the live release', 60_000, async () => {
    const { json } = await api(token, 'GET', ourPath);
    return ['Initialized', 'Succeeded'].includes(json.phase) ? true : undefined;
  });

  // a new revision: Flagger detects the pod-template change and starts the analysis
  const revision = `bench-${Date.now().toString(36)}`;
  log(`rolling out revision ${revision}`);
  const t0 = performance.now();
  await kubectl(LIVE_CLUSTER, [
    '-n',
    BENCH_NS,
    'patch',
    'deployment',
    LIVE,
    '--type=merge',
    '-p',
    JSON.stringify({
      spec: {
        template: {
          metadata: { annotations: { 'kubemate.io/revision': revision } },
        },
      },
    }),
  ]);
  const seenApi = new Map(); // state → ms since t0 (first sighting on the apiserver)
  const seenOurs = new Map(); // state → ms since t0 (first sighting through our API)
  const order = [];
  let done = false;
  const deadline = Date.now() + 600_000;
  const watchApi = (async () => {
    while (!done && Date.now() < deadline) {
      const c = await apiserverGet(LIVE_CLUSTER, path).catch(() => undefined);
      if (c) {
        const s = stateOf(c.status?.phase, c.status?.canaryWeight);
        if (!seenApi.has(s)) {
          seenApi.set(s, performance.now() - t0);
          order.push(s);
          log(`  apiserver: ${s}`);
        }
        if (
          ['Succeeded', 'Failed'].includes(c.status?.phase) &&
          order.length > 1
        )
          return;
      }
      await sleep(POLL_MS);
    }
  })();
  const watchOurs = (async () => {
    while (!done && Date.now() < deadline) {
      const r = await api(token, 'GET', ourPath).catch(() => undefined);
      if (r) {
        const s = stateOf(r.json.phase, r.json.canaryWeight);
        if (!seenOurs.has(s)) seenOurs.set(s, performance.now() - t0);
      }
      await sleep(POLL_MS);
    }
  })();
  await watchApi;
  // give our API the time to show the final state too
  const final = order[order.length - 1];
  await poll(`our API shows "${final}"`, 120_000, async () =>
    seenOurs.has(final) ? true : undefined,
  ).catch(e => log(e.message));
  done = true;
  await watchOurs;
  if (Date.now() >= deadline) fail(`${LIVE}: no final phase within 10 min`);
  return {
    revision,
    rows: order.map(s => ({
      state: s,
      apiMs: seenApi.get(s),
      oursMs: seenOurs.get(s),
    })),
  };
}

// ------------------------------------------------------------------ main
let backend;
let dataDir;
let logFile;
let clusters = [];
let seeded = false;

async function cleanup() {
  if (backend)
    await stop(backend).catch(e => log(`stopping backend: ${e.message}`));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (KEEP) return log('BENCH_KEEP=1: keeping the bench objects');
  if (seeded)
    await Promise.all(
      clusters.map(c =>
        kubectl(c, [
          'delete',
          'namespace',
          BENCH_NS,
          '--ignore-not-found',
          '--wait=false',
        ]).catch(() => undefined),
      ),
    );
}

async function main() {
  console.log(
    `Kubemate Portal — canary releases: listing and status lag — ${new Date().toISOString()}, node ${
      process.version
    }`,
  );
  stack = readStackFile();
  clusters = stack.clusters.map(c => c.name);
  if (!stack.canary?.flagger?.length)
    fail(
      'the dev stack runs no Flagger: ./deploy/dev/stack.sh up --only canary',
    );

  log(
    `seeding ${CANARIES} suspended Canaries (+ their 0-replica Deployments) into ${BENCH_NS} of ${clusters.join(
      ', ',
    )}`,
  );
  let t0 = performance.now();
  seeded = true;
  await seed(clusters);
  const seedMs = performance.now() - t0;

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
        'bench/app-config.canary-bench.yaml',
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  await waitReady(backend, 300_000);
  const alice = await signIn('alice');
  await poll('bench entity in the catalog', 180_000, async () => {
    const res = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/component/default/${BENCH_ID}`,
      { headers: { authorization: `Bearer ${alice}` } },
    );
    return res.ok ? true : undefined;
  });
  const probe = await fetch(
    `${baseUrl}/api/canary/entity/component/default/${BENCH_ID}/releases`,
    { headers: { authorization: `Bearer ${alice}` } },
  );
  if (probe.status === 404)
    fail(
      `GET /api/canary/entity/…/releases: 404 ${(await probe.text()).slice(
        0,
        300,
      )} — is the canary plugin installed in packages/backend?`,
    );

  t0 = performance.now();
  const list = await listing(alice, clusters);
  const listMs = performance.now() - t0;
  t0 = performance.now();
  const lagged = await lag(alice);
  const lagMs = performance.now() - t0;
  const rss = treeRssBytes(backend.pid);

  const f = x => (x === undefined ? '—' : x.toFixed(1));
  console.log(
    `\n1. releases of ${BENCH_ENTITY}: ${CANARIES} Canaries over ${clusters.length} clusters (suspended), alice, N=${N} each, interleaved, after ${WARMUP} warm-up rounds:`,
  );
  console.log(
    'endpoint'.padEnd(66) +
      'p50 ms'.padStart(9) +
      'p95 ms'.padStart(9) +
      'size KB'.padStart(10) +
      '  releases per cluster',
  );
  for (const r of list)
    console.log(
      r.label.padEnd(66) +
        f(pct(r.ms, 0.5)).padStart(9) +
        f(pct(r.ms, 0.95)).padStart(9) +
        f(pct(r.bytes, 0.5) / 1024).padStart(10) +
        '  ' +
        Object.entries(r.counts)
          .map(([c, k]) => `${c} ${k}`)
          .join(', '),
    );
  console.log(
    `ratio ours/upstream (list): p50 ${(
      pct(list[0].ms, 0.5) / pct(list[1].ms, 0.5)
    ).toFixed(2)}, size ${(
      pct(list[0].bytes, 0.5) / pct(list[1].bytes, 0.5)
    ).toFixed(2)}`,
  );

  console.log(
    `\n2. Flagger status → our API, ${LIVE} in ${LIVE_CLUSTER} (revision ${lagged.revision}), both polled every ${POLL_MS} ms; ms since the rollout:`,
  );
  console.log(
    'phase weight'.padEnd(26) +
      'apiserver'.padStart(11) +
      'our API'.padStart(11) +
      'lag ms'.padStart(10),
  );
  const lags = [];
  for (const r of lagged.rows) {
    const l =
      r.oursMs !== undefined && r.apiMs !== undefined
        ? r.oursMs - r.apiMs
        : undefined;
    if (l !== undefined) lags.push(l);
    console.log(
      r.state.padEnd(26) +
        f(r.apiMs).padStart(11) +
        f(r.oursMs).padStart(11) +
        f(l).padStart(10),
    );
  }
  if (lags.length)
    console.log(
      `lag p50 ${f(pct(lags, 0.5))} ms, max ${f(Math.max(...lags))} ms over ${
        lags.length
      } of ${
        lagged.rows.length
      } states (a state Flagger held for less than a poll may be missed by either side: "—")`,
    );
  console.log(`backend RSS (process tree) after the run: ${mb(rss)} MB`);
  console.log(
    `time: seeding ${secs(seedMs)}, part 1 ${secs(listMs)}, part 2 ${secs(
      lagMs,
    )}`,
  );
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(
    `\nFAILED: ${e.stack ?? e}${logFile ? ` (backend log ${logFile})` : ''}`,
  );
  code = 1;
}
await cleanup().catch(e => {
  console.error(`cleanup failed: ${e.message}`);
  code = 1;
});
if (code === 0 && logFile) rmSync(logFile, { force: true });
process.exit(code);
