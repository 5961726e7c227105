#!/usr/bin/env node
/*
 * Fine-tuning benchmark, in one run:
 *
 * 1. Dataset validation throughput of the finetuning backend's validator
 *    (plugins/finetuning-backend/src/lib/datasets.ts, loaded from its TypeScript source as the
 *    backend runs it) on a generated BENCH_DATASET_MB (50) MB JSONL of instruction/input/response
 *    rows, each way in a fresh child process (BENCH_VALIDATE_RUNS (3) times, interleaved; median):
 *      stream — readDataset over a file stream, as the backend reads a dataset back from MinIO;
 *      upload — validateDataset of the whole body held in memory, as the upload route gets it;
 *      naive  — readFileSync of the whole file, split('\n'), JSON.parse of every line, the same
 *               field checks: what a quick implementation would do.
 *    MB/s, rows/s and the child's peak RSS (getrusage maxrss) over its RSS before the work.
 * 2. Run comparison: the portal's GET /api/finetuning/compare?ids=<4 jobs> (as alice) next to
 *    what a client needs from MLflow without the portal for the same screen: runs/get + one
 *    metrics/get-history per metric key for each of the 4 runs, all in parallel. The 4 jobs are
 *    launched through the portal (POST /api/finetuning/jobs in payments-dev, which creates
 *    their MLflow runs and PyTorchJobs) and cancelled at once (their records and runs stay), then
 *    the bench logs BENCH_STEPS (300) steps of the 5 metrics to each run (tag kubemate.bench);
 *    p50/p95 of BENCH_N (20) interleaved requests after BENCH_WARMUP (3). Deletes the jobs, the
 *    dataset and the runs at the end.
 *
 * Needs the dev stack with MLflow, MinIO and Kueue (./deploy/dev/stack.sh up; `./kubemate bench
 * finetuning` starts what it needs) for part 2; part 1 needs nothing running.
 * Env: BENCH_DATASET_MB (50), BENCH_VALIDATE_RUNS (3), BENCH_N (20), BENCH_WARMUP (3),
 * BENCH_STEPS (300), BENCH_SKIP_BUILD=1 (use the existing packages/backend/dist),
 * BENCH_ONLY=validate|compare (one part).
 */
import { execFile } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
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
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const DATASET_MB = Number(process.env.BENCH_DATASET_MB ?? 50);
const VALIDATE_RUNS = Number(process.env.BENCH_VALIDATE_RUNS ?? 3);
const N = Number(process.env.BENCH_N ?? 20);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const STEPS = Number(process.env.BENCH_STEPS ?? 300);
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const ONLY = process.env.BENCH_ONLY;

const MAPPING = {
  instruction: 'instruction',
  response: 'response',
  input: 'input',
};
const MAX_BYTES = 1024 * 1024 * 1024;
const MAX_ROWS = 100_000_000;
const CLUSTER = 'dev-cluster';
const NAMESPACE = 'payments-dev';
const METRIC_KEYS = [
  'train_loss',
  'eval_loss',
  'learning_rate',
  'epoch',
  'tokens_per_second',
];
const execFileP = promisify(execFile);

// ------------------------------------------------------------ part 1: the child processes

/** Runs one validation in this (child) process and prints its measurements as JSON. */
async function child(mode, file) {
  const require = createRequire(import.meta.url);
  let lib;
  if (mode !== 'naive') {
    require(join(root, 'node_modules/@backstage/cli/config/nodeTransform.cjs'));
    lib = require(join(root, 'plugins/finetuning-backend/src/lib/datasets.ts'));
  }
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  let rows;
  if (mode === 'stream') {
    const summary = await lib.readDataset(
      createReadStream(file, { highWaterMark: 1 << 20 }),
      {
        format: 'jsonl',
        mapping: MAPPING,
        maxBytes: MAX_BYTES,
        maxRows: MAX_ROWS,
      },
    );
    rows = summary.rows;
  } else if (mode === 'upload') {
    const body = readFileSync(file);
    const summary = await lib.validateDataset(body, {
      fileName: 'bench.jsonl',
      mapping: MAPPING,
      maxBytes: MAX_BYTES,
      maxRows: MAX_ROWS,
    });
    rows = summary.rows;
  } else {
    const lines = readFileSync(file, 'utf8').split('\n');
    const parsed = lines.filter(l => l.trim() !== '').map(l => JSON.parse(l));
    parsed.forEach((row, i) => {
      for (const f of ['instruction', 'response']) {
        if (typeof row[f] !== 'string' || !row[f].trim())
          throw new Error(`line ${i + 1}: ${f}`);
      }
    });
    rows = parsed.length;
  }
  const ms = performance.now() - t0;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ mode, ms, rows, rssBefore, peak }));
}

const WORDS =
  'payment card merchant device country amount velocity chargeback refund authorization settlement risk score customer account transfer ledger — déjà vu €'.split(
    ' ',
  );

/** Writes a JSONL of ~sizeMb MB of instruction/input/response rows (deterministic). */
async function generateDataset(file, sizeMb) {
  const out = createWriteStream(file);
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const text = n =>
    Array.from(
      { length: n },
      () => WORDS[Math.floor(rnd() * WORDS.length)],
    ).join(' ');
  let bytes = 0;
  let rows = 0;
  while (bytes < sizeMb * 1024 * 1024) {
    const line = `${JSON.stringify({
      id: rows,
      instruction: `Case ${rows}: ${text(10 + Math.floor(rnd() * 20))}?`,
      input: text(Math.floor(rnd() * 30)),
      response: text(20 + Math.floor(rnd() * 60)),
    })}\n`;
    bytes += Buffer.byteLength(line);
    rows++;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { bytes, rows };
}

async function validationPart() {
  const dir = mkdtempSync(join(tmpdir(), 'kubemate-bench-ft-'));
  try {
    const file = join(dir, 'bench.jsonl');
    const gen = await generateDataset(file, DATASET_MB);
    log(
      `generated ${mb(gen.bytes)} MB, ${
        gen.rows
      } rows; ${VALIDATE_RUNS} runs of each way`,
    );
    const results = { stream: [], upload: [], naive: [] };
    for (let i = 0; i < VALIDATE_RUNS; i++) {
      for (const mode of Object.keys(results)) {
        const { stdout } = await execFileP(
          process.execPath,
          [import.meta.filename, '--child', mode, file],
          { maxBuffer: 1 << 20 },
        );
        const r = JSON.parse(stdout.trim().split('\n').at(-1));
        if (r.rows !== gen.rows)
          fail(`${mode}: ${r.rows} rows, expected ${gen.rows}`);
        results[mode].push(r);
      }
    }
    const bytes = statSync(file).size;
    console.log(
      `\n(1) Dataset validation, ${mb(bytes)} MB JSONL, ${
        gen.rows
      } rows — median of ${VALIDATE_RUNS} fresh processes each\n`,
    );
    const head = [
      'way',
      'ms',
      'MB/s',
      'rows/s',
      'peak RSS MB',
      'over start MB',
    ];
    const body = Object.entries(results).map(([mode, rs]) => {
      const ms = pct(
        rs.map(r => r.ms),
        0.5,
      );
      const peak = pct(
        rs.map(r => r.peak),
        0.5,
      );
      const over = pct(
        rs.map(r => r.peak - r.rssBefore),
        0.5,
      );
      return [
        {
          stream: 'stream (backend: readDataset over a file stream)',
          upload: 'upload (backend: validateDataset of the body in memory)',
          naive: 'naive (readFileSync + split + JSON.parse per line)',
        }[mode],
        ms.toFixed(0),
        (bytes / 1024 / 1024 / (ms / 1000)).toFixed(1),
        Math.round(gen.rows / (ms / 1000)).toLocaleString('en-US'),
        mb(peak),
        mb(over),
      ];
    });
    console.log(formatTable(head, body));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function formatTable(head, body) {
  const w = head.map((h, i) =>
    Math.max(h.length, ...body.map(b => String(b[i]).length)),
  );
  const line = cells => cells.map((c, i) => String(c).padEnd(w[i])).join('  ');
  return [line(head), line(w.map(n => '-'.repeat(n))), ...body.map(line)].join(
    '\n',
  );
}

// ------------------------------------------------------------------ part 2: /compare

let backend;
let dataDir;
let logFile;
let failed = false;
const created = { jobs: [], datasets: [], runs: [] };
/** the bench's names: bench-ft-<suffix>, its jobs bench-ft-<suffix>-<k> (their MLflow run names) */
let suffix;

async function api(method, path, token, body) {
  const res = await fetch(`${baseUrl}/api/finetuning${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body && !(body instanceof FormData)
        ? { 'content-type': 'application/json' }
        : {}),
    },
    body: body instanceof FormData ? body : body && JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, body: json, bytes: text.length };
}

async function mlflow(url, method, path, body) {
  const res = await fetch(`${url}/api/2.0/mlflow/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body && JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) fail(`MLflow ${path}: HTTP ${res.status} ${text.slice(0, 200)}`);
  return { json: text ? JSON.parse(text) : {}, bytes: text.length };
}

/** A plausible curve per run (bench data, tagged), STEPS steps of the 5 metrics. */
async function logHistory(url, runId, k) {
  const metrics = [];
  const t = Date.now() - STEPS * 1000;
  for (let s = 1; s <= STEPS; s++) {
    const p = s / STEPS;
    const v = {
      train_loss: 2.4 * Math.exp(-3 * p) + 0.4 + 0.05 * k + 0.02 * Math.sin(s),
      eval_loss: 2.5 * Math.exp(-2.8 * p) + 0.5 + 0.05 * k,
      learning_rate: 2e-4 * (0.5 + 0.5 * Math.cos(Math.PI * p)),
      epoch: 3 * p,
      tokens_per_second: 2900 + 50 * Math.sin(s / 7),
    };
    for (const key of METRIC_KEYS)
      metrics.push({ key, value: v[key], timestamp: t + s * 1000, step: s });
  }
  for (let i = 0; i < metrics.length; i += 900) {
    await mlflow(url, 'POST', 'runs/log-batch', {
      run_id: runId,
      metrics: metrics.slice(i, i + 900),
      tags: i === 0 ? [{ key: 'kubemate.bench', value: 'finetuning' }] : [],
    });
  }
}

async function direct(url, runIds) {
  let bytes = 0;
  await Promise.all(
    runIds.flatMap(id => [
      mlflow(url, 'GET', `runs/get?run_id=${id}`).then(r => (bytes += r.bytes)),
      ...METRIC_KEYS.map(key =>
        mlflow(
          url,
          'GET',
          `metrics/get-history?run_id=${id}&metric_key=${key}&max_results=25000`,
        ).then(r => (bytes += r.bytes)),
      ),
    ]),
  );
  return bytes;
}

async function comparePart() {
  const stack = readStackFile();
  const mlflowUrl = stack.finetuning?.mlflow?.url;
  if (!mlflowUrl)
    fail(
      'the dev stack runs no MLflow: ./deploy/dev/stack.sh up --only finetuning',
    );
  if (!SKIP_BUILD) {
    log('building packages/backend (deploy/test/build-backend.sh)');
    buildBackend();
  }
  dataDir = mkdtempSync(join(tmpdir(), 'kubemate-bench-'));
  // the dev base model when the stack's overlay names none (the jobs never train)
  const overlay = join(dataDir, 'app-config.finetuning-bench.yaml');
  writeFileSync(
    overlay,
    stack.appConfig?.kubemate?.finetuning?.baseModels?.length
      ? '{}\n'
      : JSON.stringify({
          kubemate: {
            finetuning: {
              baseModels: [
                {
                  name: 'smollm2-135m-instruct',
                  hfModel: 'HuggingFaceTB/SmolLM2-135M-Instruct',
                  ollamaModel: 'smollm2-135m',
                },
              ],
            },
          },
        }),
  );
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
        // the demo org only (alice in team-payments)
        'bench/app-config.gpu-bench.yaml',
        overlay,
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  const started = performance.now();
  await waitReady(backend, 300_000);
  log(`backend ready in ${secs(performance.now() - started)}`);
  const alice = await signIn('alice');
  const options = await api('GET', `/options?cluster=${CLUSTER}`, alice);
  if (options.status !== 200)
    fail(
      `GET /api/finetuning/options: ${options.status} — is the finetuning plugin installed in packages/backend?`,
    );
  const baseModel = options.body.baseModels[0]?.name ?? fail('no base model');
  // the jobs are created as alice: wait until the RBAC plugin's Kubernetes sync (at start, then
  // every reconcile interval) has given her Role in payments-dev the PyTorchJob rules
  const kubectl = findKubectl();
  await poll(
    'alice may create PyTorchJobs in payments-dev (RBAC sync)',
    180_000,
    async () => {
      const { stdout } = await execFileP(kubectl, [
        ...['--kubeconfig', stack.kubeconfig, '--context', CLUSTER],
        ...['auth', 'can-i', 'create', 'pytorchjobs.kubeflow.org'],
        ...['-n', NAMESPACE, '--as', 'kubemate:user:alice'],
      ]).catch(e => ({ stdout: e.stdout ?? '' }));
      return stdout.trim() === 'yes' ? true : undefined;
    },
    2000,
  );

  suffix = Math.random().toString(36).slice(2, 7);
  const form = new FormData();
  form.set('cluster', CLUSTER);
  form.set('namespace', NAMESPACE);
  form.set('name', `bench-ft-${suffix}`);
  const rows = Array.from(
    { length: 50 },
    (_, i) =>
      `${JSON.stringify({
        instruction: `Bench question ${i}?`,
        response: `Bench answer ${i}.`,
      })}\n`,
  ).join('');
  form.set('file', new Blob([rows]), 'bench.jsonl');
  const ds = await api('POST', '/datasets', alice, form);
  if (ds.status !== 201)
    fail(`POST /datasets: ${ds.status} ${JSON.stringify(ds.body)}`);
  created.datasets.push(ds.body.id);

  log(
    'launching 4 jobs through the portal, cancelling them (records and runs stay)',
  );
  for (let k = 0; k < 4; k++) {
    const job = await api('POST', '/jobs', alice, {
      cluster: CLUSTER,
      namespace: NAMESPACE,
      name: `bench-ft-${suffix}-${k}`,
      baseModel,
      datasetId: ds.body.id,
      hyperparameters: {
        rank: [8, 16, 32, 64][k],
        alpha: 32,
        learningRate: 2e-4,
        epochs: 3,
        batchSize: 8,
      },
      resources: { workers: 1, gpusPerWorker: 1 },
      queue: 'gpu',
    });
    if (job.status !== 201)
      fail(`POST /jobs: ${job.status} ${JSON.stringify(job.body)}`);
    created.jobs.push(job.body.id);
    created.runs.push(job.body.mlflowRunId);
    const cancel = await api('POST', `/jobs/${job.body.id}/cancel`, alice);
    if (cancel.status !== 200)
      fail(`cancel: ${cancel.status} ${JSON.stringify(cancel.body)}`);
  }
  log(`logging ${STEPS} steps × ${METRIC_KEYS.length} metrics to each run`);
  for (const [k, runId] of created.runs.entries())
    await logHistory(mlflowUrl, runId, k);

  const ids = created.jobs.join(',');
  const first = await api('GET', `/compare?ids=${ids}`, alice);
  if (first.status !== 200)
    fail(`GET /compare: ${first.status} ${JSON.stringify(first.body)}`);
  const points = first.body.runs.map(
    r => r.metrics?.metrics?.train_loss?.length ?? 0,
  );
  if (points.some(p => p !== STEPS))
    fail(
      `/compare returned ${points.join(
        ', ',
      )} train_loss points, expected ${STEPS}`,
    );

  const portal = { ms: [], bytes: [] };
  const straight = { ms: [], bytes: [] };
  for (let i = 0; i < WARMUP + N; i++) {
    let t = performance.now();
    const r = await api('GET', `/compare?ids=${ids}`, alice);
    if (r.status !== 200) fail(`GET /compare: ${r.status}`);
    const portalMs = performance.now() - t;
    t = performance.now();
    const b = await direct(mlflowUrl, created.runs);
    const directMs = performance.now() - t;
    if (i < WARMUP) continue;
    portal.ms.push(portalMs);
    portal.bytes.push(r.bytes);
    straight.ms.push(directMs);
    straight.bytes.push(b);
  }
  const rss = treeRssBytes(backend.pid);
  console.log(
    `\n(2) Comparing 4 runs (${STEPS} steps × ${METRIC_KEYS.length} metrics each), ${N} samples after ${WARMUP} warm-up, interleaved\n`,
  );
  console.log(
    formatTable(
      ['path', 'requests', 'p50 ms', 'p95 ms', 'bytes'],
      [
        [
          'portal GET /api/finetuning/compare (alice)',
          '1',
          pct(portal.ms, 0.5).toFixed(1),
          pct(portal.ms, 0.95).toFixed(1),
          pct(portal.bytes, 0.5),
        ],
        [
          'MLflow direct: runs/get + metrics/get-history per key, parallel',
          String(4 * (1 + METRIC_KEYS.length)),
          pct(straight.ms, 0.5).toFixed(1),
          pct(straight.ms, 0.95).toFixed(1),
          pct(straight.bytes, 0.5),
        ],
      ],
    ),
  );
  console.log(
    `\nratio portal/direct (p50): ${(
      pct(portal.ms, 0.5) / pct(straight.ms, 0.5)
    ).toFixed(2)}; backend tree RSS: ${mb(
      rss,
    )} MB. The portal's answer also carries the jobs (state, queue, spec) and the params diff.`,
  );
}

async function cleanup() {
  if (backend && created.jobs.length + created.datasets.length) {
    try {
      const alice = await signIn('alice');
      for (const id of created.jobs) await api('DELETE', `/jobs/${id}`, alice);
      for (const id of created.datasets)
        await api('DELETE', `/datasets/${id}`, alice);
    } catch (e) {
      log(`cleanup: ${e.message}`);
    }
  }
  // the runs of the bench's jobs, also of a launch the portal refused (it marks that run FAILED)
  if (suffix) {
    try {
      const url = readStackFile().finetuning.mlflow.url;
      const exp = await mlflow(
        url,
        'GET',
        `experiments/get-by-name?experiment_name=${encodeURIComponent(
          `kubemate-finetuning/${NAMESPACE}`,
        )}`,
      );
      const found = await mlflow(url, 'POST', 'runs/search', {
        experiment_ids: [exp.json.experiment.experiment_id],
        filter: `attributes.run_name LIKE 'bench-ft-${suffix}-%'`,
        max_results: 100,
      });
      const ids = new Set([
        ...created.runs.filter(Boolean),
        ...(found.json.runs ?? []).map(r => r.info.run_id),
      ]);
      for (const id of ids)
        await mlflow(url, 'POST', 'runs/delete', { run_id: id });
    } catch (e) {
      log(`cleanup: ${e.message}`);
    }
  }
  if (backend)
    await stop(backend).catch(e => log(`stopping backend: ${e.message}`));
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (logFile && !failed) rmSync(logFile, { force: true });
}

async function main() {
  console.log(
    `Kubemate Portal — fine-tuning: dataset validation, run comparison — ${new Date().toISOString()}, node ${
      process.version
    }`,
  );
  if (ONLY !== 'compare') await validationPart();
  if (ONLY !== 'validate') await comparePart();
  console.log(
    "\nReal: the validator (the backend's code), the portal, MLflow (PostgreSQL store), Kubernetes, Kueue, the Training Operator. Simulated: the metric curves (logged by the bench, tag kubemate.bench=finetuning).",
  );
}

if (process.argv[2] === '--child') {
  child(process.argv[3], process.argv[4]).catch(e => {
    console.error(e);
    process.exit(1);
  });
} else {
  main()
    .catch(e => {
      failed = true;
      console.error(`\nbench/finetuning failed: ${e.message}`);
      if (logFile) console.error(`backend log: ${logFile}`);
      process.exitCode = 1;
    })
    .finally(cleanup);
}
