#!/usr/bin/env node
/*
 * Pipelines benchmark, against the local dev stack (deploy/dev: 2 clusters with the real Tekton
 * Pipelines controller and kwok), in one run:
 *
 * 1. Controller latency: alice creates a service from the "Kubemate service" template (scaffolder
 *    API), then starts its 5-task pipeline (clone → test → build → scan → deploy) through
 *    POST /api/pipelines/entity/…/runs BENCH_RUNS times, one after the other, and polls our runs
 *    endpoint every 200 ms until the controller reports the run Succeeded. Prints, per run, the wall
 *    time Start → Succeeded seen through the portal and the controller's own startTime →
 *    completionTime, and the TaskRuns' order.
 * 2. Listing: 500 PipelineRuns per cluster (namespace payments-bench, labelled with the bench
 *    entity's Kubernetes id, created with spec.status PipelineRunPending so the controller keeps
 *    them pending instead of scheduling 1,000 runs on this 2-core machine) listed as alice through
 *      ours:     GET  /api/pipelines/entity/component/default/bench-pipelines/runs
 *      upstream: POST /api/kubernetes/resources/custom/query (pipelineruns + taskruns, what the
 *                community Tekton plugin asks the upstream Kubernetes backend for)
 *    N interleaved requests after a warm-up: p50/p95, response size, runs per cluster.
 *
 * Needs the dev stack: ./deploy/dev/stack.sh up (./kubemate bench pipelines starts what it needs).
 * Env: BENCH_RUNS (3), BENCH_N (20), BENCH_WARMUP (3), BENCH_PIPELINERUNS (500 per cluster),
 * BENCH_SKIP_BUILD=1 (use the existing packages/backend/dist), BENCH_KEEP=1 (keep the bench objects).
 */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const N = Number(process.env.BENCH_N ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const PRS = Number(process.env.BENCH_PIPELINERUNS ?? 500);
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const KEEP = process.env.BENCH_KEEP === '1';

const BENCH_NS = 'payments-bench';
const BENCH_ENTITY = 'component:default/bench-pipelines';
const SERVICE = `payments-pb-${Date.now().toString(36)}`;
const execFileP = promisify(execFile);

const kubectlBin = findKubectl();
let stack;
const kubectl = async (cluster, args, input) => {
  const { stdout } = await execFileP(
    kubectlBin,
    ['--kubeconfig', stack.kubeconfig, '--context', cluster, ...args],
    { maxBuffer: 256 * 1024 * 1024, timeout: 300_000, input },
  );
  return stdout;
};

async function api(token, method, path, body) {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok)
    fail(`${method} ${path}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return { json: JSON.parse(text), bytes: Buffer.byteLength(text) };
}

// ------------------------------------------------------------------ part 1: controller latency
async function createService(token) {
  const { json } = await api(token, 'POST', '/api/scaffolder/v2/tasks', {
    templateRef: 'template:default/kubemate-service',
    values: {
      name: SERVICE,
      description: 'bench/pipelines.mjs',
      owner: 'group:default/team-payments',
      runtime: 'node',
      environments: ['dev'],
      cpu: '2', // the template form's defaults
      memory: '4Gi',
      gpu: 0,
    },
  });
  const status = await poll(`template task ${json.id}`, 300_000, async () => {
    const t = await api(token, 'GET', `/api/scaffolder/v2/tasks/${json.id}`);
    return ['completed', 'failed', 'cancelled'].includes(t.json.status)
      ? t.json.status
      : undefined;
  });
  if (status !== 'completed') fail(`the template task ended ${status}`);
}

const entityPath = ref => {
  const [kind, rest] = ref.split(':');
  const [ns, name] = rest.split('/');
  return `/api/pipelines/entity/${kind}/${ns}/${name}`;
};

async function controllerLatency(token) {
  log(`creating ${SERVICE} from the Kubemate service template`);
  await createService(token);
  const entity = `component:default/${SERVICE}`;
  const pipeline = await poll(
    "the new entity's Pipeline",
    180_000,
    async () => {
      const { json } = await api(
        token,
        'GET',
        `${entityPath(entity)}/pipelines`,
      );
      return json.pipelines?.[0];
    },
  );
  log(
    `pipeline ${pipeline.name} (${pipeline.tasks.length} tasks: ${pipeline.tasks
      .map(t => t.name)
      .join(' → ')}) in ${pipeline.cluster}/${pipeline.namespace}`,
  );
  const rows = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const { json: started } = await api(
      token,
      'POST',
      `${entityPath(entity)}/runs`,
      {
        cluster: pipeline.cluster,
        namespace: pipeline.namespace,
        pipeline: pipeline.name,
        params: {},
      },
    );
    const run = await poll(
      `run ${started.name}`,
      600_000,
      async () => {
        const { json } = await api(token, 'GET', `${entityPath(entity)}/runs`);
        const r = json.runs.find(x => x.name === started.name);
        return r && !['Running', 'Pending'].includes(r.status) ? r : undefined;
      },
      200,
    );
    const wallMs = performance.now() - t0;
    if (run.status !== 'Succeeded')
      fail(
        `run ${run.name} ended ${run.status} (${run.reason}): ${run.message}`,
      );
    const order = [...run.taskRuns]
      .sort((a, b) => Date.parse(a.startTime) - Date.parse(b.startTime))
      .map(t => t.pipelineTask)
      .join(' → ');
    rows.push({
      name: run.name,
      wallMs,
      controllerS: run.durationSeconds,
      order,
    });
    log(
      `  ${run.name}: Succeeded after ${secs(wallMs)} (controller ${
        run.durationSeconds
      } s)`,
    );
  }
  return { pipeline, rows };
}

// ------------------------------------------------------------------ part 2: listing
function benchObjects() {
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: BENCH_NS } },
    {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: {
        name: 'bench-ci',
        namespace: BENCH_NS,
        labels: { 'backstage.io/kubernetes-id': 'bench-pipelines' },
      },
      spec: {
        params: [{ name: 'revision', type: 'string', default: 'main' }],
        tasks: [
          {
            name: 'build',
            taskSpec: {
              steps: [{ name: 'build', image: 'bench', script: 'echo build' }],
            },
          },
        ],
      },
    },
  ];
  for (let i = 0; i < PRS; i++) {
    items.push({
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: {
        name: `bench-ci-run-${String(i).padStart(4, '0')}`,
        namespace: BENCH_NS,
        labels: {
          'backstage.io/kubernetes-id': 'bench-pipelines',
          'kubemate.io/environment': 'dev',
        },
      },
      spec: {
        status: 'PipelineRunPending',
        pipelineRef: { name: 'bench-ci' },
        params: [{ name: 'revision', value: `v1.0.${i}` }],
      },
    });
  }
  return items;
}

async function seedRuns(clusters) {
  const file = join(tmpdir(), `kubemate-bench-pipelines-${process.pid}.json`);
  writeFileSync(
    file,
    JSON.stringify({ apiVersion: 'v1', kind: 'List', items: benchObjects() }),
  );
  try {
    await Promise.all(
      clusters.map(c =>
        kubectl(c, ['apply', '--server-side', '--force-conflicts', '-f', file]),
      ),
    );
  } finally {
    rmSync(file, { force: true });
  }
}

async function listing(token, clusters) {
  const ours = {
    label: 'ours (GET pipelines/entity/…/runs)',
    run: () => api(token, 'GET', `${entityPath(BENCH_ENTITY)}/runs`),
    count: json => {
      const counts = {};
      for (const e of json.errors ?? [])
        fail(`ours: ${e.cluster}: ${e.message}`);
      for (const r of json.runs)
        counts[r.cluster] = (counts[r.cluster] ?? 0) + 1;
      return counts;
    },
  };
  const upstream = {
    label: 'upstream (POST kubernetes/resources/custom/query)',
    run: () =>
      api(token, 'POST', '/api/kubernetes/resources/custom/query', {
        entityRef: BENCH_ENTITY,
        auth: {},
        customResources: [
          { group: 'tekton.dev', apiVersion: 'v1', plural: 'pipelineruns' },
          { group: 'tekton.dev', apiVersion: 'v1', plural: 'taskruns' },
        ],
      }),
    count: json => {
      const counts = {};
      for (const item of json.items ?? []) {
        if (item.errors?.length)
          fail(
            `upstream: ${item.cluster.name}: ${JSON.stringify(item.errors)}`,
          );
        // one entry per requested custom resource (type 'customresources'), objects as listed
        counts[item.cluster.name] = (item.resources ?? [])
          .flatMap(r => r.resources ?? [])
          .filter(o => o.kind === 'PipelineRun').length;
      }
      return counts;
    },
  };
  const targets = [ours, upstream];
  const results = targets.map(() => ({ ms: [], bytes: [], counts: {} }));
  for (let i = 0; i < WARMUP + N; i++) {
    const order = i % 2 ? [1, 0] : [0, 1];
    for (const k of order) {
      const t0 = performance.now();
      const { json, bytes } = await targets[k].run();
      const ms = performance.now() - t0;
      const counts = targets[k].count(json);
      for (const c of clusters)
        if ((counts[c] ?? 0) < PRS)
          fail(
            `${targets[k].label}: ${
              counts[c] ?? 0
            } runs in ${c}, expected ${PRS}`,
          );
      if (i < WARMUP) continue;
      results[k].ms.push(ms);
      results[k].bytes.push(bytes);
      results[k].counts = counts;
    }
  }
  return targets.map((t, k) => ({ label: t.label, ...results[k] }));
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
  const dev = clusters.includes('dev-cluster') ? 'dev-cluster' : clusters[0];
  if (dev)
    await kubectl(dev, [
      'delete',
      'namespace',
      `${SERVICE}-dev`,
      '--ignore-not-found',
      '--wait=false',
    ]).catch(() => undefined);
  if (stack?.git?.reposDir)
    rmSync(join(stack.git.reposDir, `${SERVICE}.git`), {
      recursive: true,
      force: true,
    });
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
    `Kubemate Portal — pipelines: controller latency and runs listing — ${new Date().toISOString()}, node ${
      process.version
    }`,
  );
  stack = readStackFile();
  clusters = stack.clusters.map(c => c.name);
  if (!stack.tekton)
    fail(
      'the dev stack has no Tekton controller: ./deploy/dev/stack.sh up --only tekton',
    );

  log(
    `seeding ${PRS} pending PipelineRuns into ${BENCH_NS} of ${clusters.join(
      ', ',
    )}`,
  );
  let t0 = performance.now();
  seeded = true;
  await seedRuns(clusters);
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
        'bench/app-config.pipelines-bench.yaml',
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
      `${baseUrl}/api/catalog/entities/by-name/component/default/bench-pipelines`,
      {
        headers: { authorization: `Bearer ${alice}` },
      },
    );
    return res.ok ? true : undefined;
  });

  t0 = performance.now();
  const latency = await controllerLatency(alice);
  const latencyMs = performance.now() - t0;
  t0 = performance.now();
  const list = await listing(alice, clusters);
  const listMs = performance.now() - t0;
  const rss = treeRssBytes(backend.pid);

  const f = x => x.toFixed(1);
  console.log(
    `\n1. Start → Succeeded, pipeline ${latency.pipeline.name} (${latency.pipeline.tasks.length} tasks) on ${latency.pipeline.cluster}, real Tekton controller, kwok runs the pods:`,
  );
  console.log(
    'run'.padEnd(44) +
      'wall s'.padStart(9) +
      'controller s'.padStart(14) +
      '  TaskRuns by start',
  );
  for (const r of latency.rows)
    console.log(
      r.name.padEnd(44) +
        f(r.wallMs / 1000).padStart(9) +
        String(r.controllerS).padStart(14) +
        `  ${r.order}`,
    );
  const walls = latency.rows.map(r => r.wallMs / 1000);
  console.log(
    `wall p50 ${f(pct(walls, 0.5))} s, max ${f(Math.max(...walls))} s`,
  );

  console.log(
    `\n2. runs of ${BENCH_ENTITY}, ${clusters.length} clusters × ${PRS} PipelineRuns (pending), alice, N=${N} each, interleaved, after ${WARMUP} warm-up rounds:`,
  );
  console.log(
    'endpoint'.padEnd(52) +
      'p50 ms'.padStart(9) +
      'p95 ms'.padStart(9) +
      'size KB'.padStart(10) +
      '  runs per cluster',
  );
  for (const r of list)
    console.log(
      r.label.padEnd(52) +
        f(pct(r.ms, 0.5)).padStart(9) +
        f(pct(r.ms, 0.95)).padStart(9) +
        f(pct(r.bytes, 0.5) / 1024).padStart(10) +
        '  ' +
        clusters.map(c => `${c} ${r.counts[c]}`).join(', '),
    );
  console.log(
    `ratio ours/upstream: p50 ${(
      pct(list[0].ms, 0.5) / pct(list[1].ms, 0.5)
    ).toFixed(2)}, size ${(
      pct(list[0].bytes, 0.5) / pct(list[1].bytes, 0.5)
    ).toFixed(2)}`,
  );
  console.log(`backend RSS (process tree) after the run: ${mb(rss)} MB`);
  console.log(
    `time: seeding ${secs(seedMs)}, part 1 ${secs(latencyMs)}, part 2 ${secs(
      listMs,
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
