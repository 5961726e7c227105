#!/usr/bin/env node
/*
 * Cost of an inspection run as the clusters grow: a full run (every check, both clusters of the
 * local dev stack) with 2,000 and then 10,000 extra pods per cluster, side by side, to show that
 * the cost grows linearly with the number of objects. Prints per size: wall time of the run (the
 * run's own startedAt → finishedAt, cold = first run after the pods appeared, warm = a second run),
 * the backend's RSS (peak sampled every 250 ms during the runs), findings and findings/s, and the
 * ratios 10k/2k next to the 5× of linear growth.
 *
 * Steps: create 10 tainted kwok nodes per cluster (kubemate.io/bench=true) and namespace
 * kubemate-inspections-bench; build and start the backend (port 7037, fresh SQLite data dir, the
 * stack's clusters and data sources, scheduled runs off); for each size, create bare pods up to that
 * size per cluster (bound to the bench nodes: no scheduler, kwok runs them; no resources, probes or
 * securityContext, so each pod is about 5 findings of the pod-template checks: the worst case for
 * storing findings), give the informers 15 s, then run as admin (POST /api/inspections/runs) and
 * poll GET /runs/:id until finished, twice; clean up unless BENCH_KEEP=1.
 *
 * Needs the dev stack: ./deploy/dev/stack.sh up. Run: ./kubemate bench inspections
 * Env: BENCH_SIZES (2000,10000), BENCH_KEEP=1, BENCH_SKIP_BUILD=1, KUBECTL.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  baseUrl,
  buildBackend,
  configArgs,
  fail,
  findKubectl,
  log,
  mb,
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

const SIZES = (process.env.BENCH_SIZES ?? '2000,10000')
  .split(',')
  .map(Number)
  .filter(n => n > 0)
  .sort((a, b) => a - b);
const KEEP = process.env.BENCH_KEEP === '1';
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const NAMESPACE = 'kubemate-inspections-bench';
const NODES = 10;
const PODS_PER_NODE = Math.ceil(Math.max(...SIZES) / NODES) + 100;

const kubectlBin = findKubectl();
let stack;
let clusters;
let backend;
let dataDir;
let logFile;

async function kubectl(context, args, input, timeoutMs = 600_000) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      kubectlBin,
      ['--kubeconfig', stack.kubeconfig, '--context', context, ...args],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    child.on('close', code => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`kubectl ${args.join(' ')}: ${err.slice(0, 500)}`));
    });
    child.stdin.end(input ?? '');
  });
}

function node(i) {
  const name = `inspections-bench-node-${i}`;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        type: 'kwok',
        'kubemate.io/simulated': 'true',
        'kubemate.io/bench': 'true',
      },
      annotations: {
        'kwok.x-k8s.io/node': 'fake',
        'node.alpha.kubernetes.io/ttl': '0',
      },
    },
    spec: {
      taints: [
        { key: 'kubemate.io/bench', value: 'true', effect: 'NoSchedule' },
      ],
    },
    status: {
      capacity: {
        cpu: '256',
        memory: '1Ti',
        pods: String(PODS_PER_NODE),
      },
      allocatable: {
        cpu: '256',
        memory: '1Ti',
        pods: String(PODS_PER_NODE),
      },
    },
  };
}

function pod(i) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `bench-pod-${String(i).padStart(5, '0')}`,
      namespace: NAMESPACE,
      labels: { app: 'inspections-bench', 'kubemate.io/bench': 'true' },
    },
    spec: {
      nodeName: `inspections-bench-node-${i % NODES}`,
      tolerations: [
        { key: 'kubemate.io/bench', operator: 'Exists', effect: 'NoSchedule' },
      ],
      containers: [{ name: 'app', image: 'kubemate/bench:1.0.0' }],
    },
  };
}

async function seedNodes() {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: NAMESPACE, labels: { 'kubemate.io/bench': 'true' } },
      },
      ...Array.from({ length: NODES }, (_, i) => node(i)),
    ],
  };
  await Promise.all(
    clusters.map(c =>
      kubectl(
        c,
        ['apply', '--server-side', '--force-conflicts', '-f', '-'],
        JSON.stringify(list),
      ),
    ),
  );
}

async function podCount(context) {
  const out = await kubectl(context, [
    'get',
    'pods',
    '-n',
    NAMESPACE,
    '-o',
    'name',
    '--chunk-size=2000',
  ]);
  return out.split('\n').filter(Boolean).length;
}

/** Creates bench-pod-<from..to-1> in parallel chunks (kubectl create; existing ones are skipped). */
async function createPods(context, from, to) {
  const CHUNK = 250;
  const chunks = [];
  for (let s = from; s < to; s += CHUNK) {
    chunks.push([s, Math.min(to, s + CHUNK)]);
  }
  const PARALLEL = 4;
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < chunks.length) {
        const [a, b] = chunks[next++];
        const items = [];
        for (let i = a; i < b; i++) items.push(pod(i));
        await kubectl(
          context,
          ['create', '-f', '-', '--save-config=false'],
          JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
        ).catch(e => {
          if (!/AlreadyExists/.test(e.message)) throw e;
        });
      }
    }),
  );
}

async function unseed() {
  log(`deleting ${NAMESPACE} and the bench nodes`);
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
          '--timeout=900s',
        ],
        undefined,
        960_000,
      ).catch(e => log(`${c}: ${e.message}`));
      await kubectl(c, [
        'delete',
        'nodes',
        '-l',
        'kubemate.io/bench=true',
        '--ignore-not-found',
      ]).catch(e => log(`${c}: ${e.message}`));
    }),
  );
}

async function api(token, path, init = {}) {
  const res = await fetch(`${baseUrl}/api/inspections${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      ...(init.headers ?? {}),
    },
  });
  const text = await res.text();
  if (!res.ok)
    fail(
      `${init.method ?? 'GET'} ${path}: HTTP ${res.status}: ${text.slice(
        0,
        500,
      )}`,
    );
  return JSON.parse(text);
}

/** Starts a full run, samples the backend's RSS until it finished; returns timings and counts. */
async function measuredRun(token) {
  let peak = treeRssBytes(backend.pid);
  const sampler = setInterval(() => {
    peak = Math.max(peak, treeRssBytes(backend.pid));
  }, 250);
  const t0 = performance.now();
  const started = await poll('a free cluster lock', 600_000, async () => {
    const res = await fetch(`${baseUrl}/api/inspections/runs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ clusters }),
    });
    if (res.status === 409) return undefined;
    if (res.status !== 202)
      fail(
        `POST /runs: HTTP ${res.status}: ${(await res.text()).slice(0, 500)}`,
      );
    return res.json();
  });
  const run = await poll(
    `run ${started.id}`,
    3_600_000,
    async () => {
      const r = await api(token, `/runs/${started.id}`);
      return r.status === 'running' ? undefined : r;
    },
    500,
  );
  clearInterval(sampler);
  const clientMs = performance.now() - t0;
  if (run.status !== 'succeeded')
    fail(`run ${run.id} ${run.status}: ${run.message ?? ''}`);
  const runMs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  const findings = Object.values(run.findingsBySeverity).reduce(
    (a, b) => a + b,
    0,
  );
  return {
    runMs,
    clientMs,
    peakRss: peak,
    findings,
    errors: run.coverage.errors,
    executed: run.coverage.executed,
  };
}

async function main() {
  console.log(
    `Kubemate Portal — inspections: cost of a full run vs cluster size — ${new Date().toISOString()}, node ${
      process.version
    }`,
  );
  stack = readStackFile();
  clusters = stack.clusters.map(c => c.name);
  log(
    `${NODES} bench nodes and namespace ${NAMESPACE} in ${clusters.join(', ')}`,
  );
  await seedNodes();

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
        'bench/app-config.inspections-bench.yaml',
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  await waitReady(backend, 300_000);
  const admin = await signIn('admin');
  const checks = await api(admin, '/checks');
  const enabled = checks.checks.filter(c => c.enabled).length;

  const rows = [];
  let have = 0;
  for (const size of SIZES) {
    log(`creating pods ${have}..${size - 1} per cluster`);
    const t0 = performance.now();
    await Promise.all(clusters.map(c => createPods(c, have, size)));
    const counts = await Promise.all(clusters.map(podCount));
    log(
      `pods in ${NAMESPACE}: ${clusters
        .map((c, i) => `${c} ${counts[i]}`)
        .join(', ')} (created in ${secs(performance.now() - t0)})`,
    );
    if (counts.some(n => n < size)) fail(`expected ${size} pods per cluster`);
    have = size;
    // let the informers catch up with the new pods before the timed runs
    await sleep(15_000);
    const cold = await measuredRun(admin);
    const warm = await measuredRun(admin);
    rows.push({ size, cold, warm });
    log(
      `${size} pods/cluster: cold ${secs(cold.runMs)}, warm ${secs(
        warm.runMs,
      )}, ${warm.findings} findings, peak RSS ${mb(
        Math.max(cold.peakRss, warm.peakRss),
      )} MB`,
    );
  }

  console.log(
    `\nfull inspection run (${enabled} checks, ${clusters.length} clusters), admin, bench pods without resources, probes or a securityContext (about 5 findings each) + the demo seed:`,
  );
  console.log(
    'extra pods/cluster'.padEnd(20) +
      'cold s'.padStart(9) +
      'warm s'.padStart(9) +
      'findings'.padStart(10) +
      'findings/s'.padStart(12) +
      'peak RSS MB'.padStart(13) +
      'check errors'.padStart(14),
  );
  for (const r of rows) {
    console.log(
      String(r.size).padEnd(20) +
        (r.cold.runMs / 1000).toFixed(1).padStart(9) +
        (r.warm.runMs / 1000).toFixed(1).padStart(9) +
        String(r.warm.findings).padStart(10) +
        (r.warm.findings / (r.warm.runMs / 1000)).toFixed(0).padStart(12) +
        mb(Math.max(r.cold.peakRss, r.warm.peakRss)).padStart(13) +
        String(r.warm.errors).padStart(14),
    );
  }
  if (rows.length >= 2) {
    const a = rows[0];
    const b = rows[rows.length - 1];
    console.log(
      `\n${b.size}/${a.size} = ${(b.size / a.size).toFixed(
        1,
      )}× pods → warm run ${(b.warm.runMs / a.warm.runMs).toFixed(
        2,
      )}×, findings ${(b.warm.findings / a.warm.findings).toFixed(
        2,
      )}×, peak RSS ${(
        Math.max(b.cold.peakRss, b.warm.peakRss) /
        Math.max(a.cold.peakRss, a.warm.peakRss)
      ).toFixed(2)}× (linear growth: ≤ ${(b.size / a.size).toFixed(1)}× time)`,
    );
  }
}

async function cleanup() {
  if (backend) await stop(backend);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (stack && !KEEP) await unseed();
  if (logFile) log(`backend log: ${logFile}`);
}

main()
  .then(cleanup)
  .catch(async e => {
    console.error(e);
    await cleanup();
    process.exit(1);
  });
