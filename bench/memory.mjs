#!/usr/bin/env node
/*
 * Backend memory: Kubemate's built backend vs a stock Backstage backend of the same version with
 * the same upstream plugins and none of Kubemate's (bench/stock-backend), side by side in one run.
 *
 * Both are built here from this lockfile (ours: deploy/test/build-backend.sh; stock:
 * `backstage-cli package build` in bench/stock-backend) and run the same way: the same Node, the
 * same flags (`--expose-gc --require bench/memory-probe.cjs`), the Backstage CLI's TypeScript hook
 * (packages/backend/dist/start-in-workspace.cjs, bench/stock-backend/start.cjs), a fresh SQLite
 * directory each, and the same configuration: app-config.yaml, the dev stack's
 * .kubemate/dev/app-config.stack.yaml (clusters for the kubernetes plugin on both sides, and
 * Kubemate's upstreams) and bench/app-config.memory-bench.yaml (one unrestricted static token).
 * Ours on BENCH_PORT (default 7081), stock on BENCH_STOCK_PORT (default 7082).
 *
 * Each run starts both at the same time, waits until both are ready and have the demo catalog,
 * then:
 *   1. idle: BENCH_IDLE_SECONDS (120) after readiness, samples the RSS of each process tree every
 *      second for BENCH_SAMPLE_SECONDS (20) and takes the median; then the V8 heap used after a
 *      full GC (bench/memory-probe.cjs, on SIGUSR2);
 *   2. load: BENCH_LOAD_SECONDS (60) of a fixed request mix on both at once, BENCH_CONCURRENCY (4)
 *      loops each: on both, catalog entity reads and the kubernetes plugin's endpoints
 *      (`/api/catalog/entities/by-name/…`, `/api/catalog/entities?filter=kind=component`,
 *      `POST /api/kubernetes/services/payments-api`, `GET /api/kubernetes/clusters`) with the static
 *      token; on ours also alice's entity tabs (bench/lib/reliability.mjs: the calls the frontends
 *      make — clusters, metrics, logs, traces, pipelines, releases, findings, GPU, fine-tuning,
 *      docs Q&A). The stock backend has none of those endpoints: the asymmetry is the point;
 *   3. after: 10 s settle, RSS median over BENCH_SAMPLE_SECONDS, heap used after a GC.
 * BENCH_RUNS (3) runs; medians of the runs. Prints both sides, delta % and the goal
 * (ours ≤ stock + 15 % idle), and writes e2e/artifacts/bench/memory.json.
 * With BENCH_MODULES=1 it also prints the packages ours loads that stock does not (module count,
 * source size, who required them: the probe's last report of the last run).
 *
 * Each backend's output goes to e2e/artifacts/bench/memory-<ours|stock>.log.
 * Needs the dev stack: ./deploy/dev/stack.sh up. Run: ./kubemate bench memory
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildBackend,
  cli,
  configArgs,
  fail,
  log,
  mb,
  poll,
  root,
  sleep,
  stop,
  treeRssBytes,
} from './backend.mjs';
import { tabOpening, tabsOf } from './lib/reliability.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const IDLE_S = Number(process.env.BENCH_IDLE_SECONDS ?? 120);
const SAMPLE_S = Number(process.env.BENCH_SAMPLE_SECONDS ?? 20);
const LOAD_S = Number(process.env.BENCH_LOAD_SECONDS ?? 60);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const GOAL_PCT = 15;
const TOKEN =
  process.env.KUBEMATE_MEMORY_BENCH_TOKEN ?? 'kubemate-memory-bench-token-0001';
const ENTITY = 'payments-api';
const state = process.env.KUBEMATE_STATE ?? join(root, '.kubemate');
const stackConfig = join(state, 'dev', 'app-config.stack.yaml');
const probe = join(root, 'bench/memory-probe.cjs');
const stockDir = join(root, 'bench/stock-backend');
const artifactsDir = join(root, 'e2e/artifacts/bench');

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const SIDES = [
  {
    key: 'ours',
    label: 'Kubemate backend (built)',
    port: Number(process.env.BENCH_PORT ?? 7081),
    cwd: join(root, 'packages/backend'),
    entry: 'dist/start-in-workspace.cjs',
  },
  {
    key: 'stock',
    label: 'stock Backstage backend (same plugins, none of ours)',
    port: Number(process.env.BENCH_STOCK_PORT ?? 7082),
    cwd: stockDir,
    entry: 'start.cjs',
  },
];

function build() {
  log(
    'building ours (deploy/test/build-backend.sh) and stock (bench/stock-backend)',
  );
  buildBackend();
  execFileSync(cli, ['package', 'build'], { cwd: stockDir, stdio: 'ignore' });
}

/** Starts one side in its own process group; resolves when ready and the catalog has ENTITY. */
async function start(side, run, started) {
  const base = `http://localhost:${side.port}`;
  const inUse = await fetch(`${base}/.backstage/health/v1/liveness`).then(
    () => true,
    () => false,
  );
  if (inUse) fail(`${base} is already in use: stop whatever listens there`);
  const data = mkdtempSync(join(tmpdir(), `kubemate-memory-${side.key}-`));
  const probeFile = join(data, 'probe.json');
  const logFile = join(artifactsDir, `memory-${side.key}.log`);
  const out = createWriteStream(logFile, { flags: run ? 'a' : 'w' });
  const proc = spawn(
    process.execPath,
    [
      '--expose-gc',
      '--require',
      probe,
      side.entry,
      ...configArgs([
        'app-config.yaml',
        stackConfig,
        'bench/app-config.memory-bench.yaml',
      ]),
    ],
    {
      cwd: side.cwd,
      detached: true,
      env: {
        ...process.env,
        KUBEMATE_DATA_DIR: data,
        KUBEMATE_MEMORY_BENCH_TOKEN: TOKEN,
        BENCH_PROBE_FILE: probeFile,
        APP_CONFIG_backend_listen_port: String(side.port),
        APP_CONFIG_backend_baseUrl: JSON.stringify(base),
        APP_CONFIG_app_baseUrl: JSON.stringify(base),
        APP_CONFIG_backend_cors_origin: JSON.stringify(base),
      },
    },
  );
  proc.stdout.pipe(out);
  proc.stderr.pipe(out);
  const b = { side, base, proc, data, probeFile, logFile };
  started.push(b);
  await poll(`${side.key} ready`, 300_000, async () => {
    if (proc.exitCode !== null)
      fail(`${side.key} exited with ${proc.exitCode} (log ${logFile})`);
    const res = await fetch(`${base}/.backstage/health/v1/readiness`);
    return res.ok ? true : undefined;
  });
  b.readyAt = Date.now();
  b.entity = await poll(`${side.key} catalog`, 300_000, async () => {
    const res = await fetch(
      `${base}/api/catalog/entities/by-name/component/default/${ENTITY}`,
      { headers: { authorization: `Bearer ${TOKEN}` } },
    );
    return res.ok ? res.json() : undefined;
  });
  return b;
}

/** Asks the probe for a report (full GC first) and reads it. */
async function heapReport(b) {
  rmSync(b.probeFile, { force: true });
  process.kill(b.proc.pid, 'SIGUSR2');
  return poll(`${b.side.key} heap report`, 60_000, () =>
    existsSync(b.probeFile)
      ? JSON.parse(readFileSync(b.probeFile, 'utf8'))
      : undefined,
  );
}

/** RSS of each process tree every second for SAMPLE_S: the medians, in bytes. */
async function sampleRss(backends) {
  const samples = backends.map(() => []);
  for (let i = 0; i < SAMPLE_S; i++) {
    backends.forEach((b, j) => samples[j].push(treeRssBytes(b.proc.pid)));
    await sleep(1000);
  }
  return samples.map(median);
}

async function measure(backends) {
  const rss = await sampleRss(backends);
  const reports = [];
  for (const b of backends) reports.push(await heapReport(b));
  return backends.map((b, i) => ({
    rss: rss[i],
    heapUsed: reports[i].memoryUsage.heapUsed,
    report: reports[i],
  }));
}

// ------------------------------------------------------------------ the request mix

async function call(base, token, c, counts) {
  let status = 0;
  try {
    const res = await fetch(`${base}${c.path}`, {
      method: c.method ?? 'GET',
      body: c.body,
      headers: {
        authorization: `Bearer ${token}`,
        ...(c.body ? { 'content-type': 'application/json' } : {}),
      },
      signal: AbortSignal.timeout(30_000),
    });
    await res.arrayBuffer();
    status = res.status;
  } catch {
    status = 'error';
  }
  const key = `${c.route} ${status}`;
  counts[key] = (counts[key] ?? 0) + 1;
}

function commonCalls(b) {
  return [
    {
      route: 'catalog entity',
      path: `/api/catalog/entities/by-name/component/default/${ENTITY}`,
    },
    {
      route: 'catalog components',
      path: '/api/catalog/entities?filter=kind=component',
    },
    {
      route: 'kubernetes services',
      method: 'POST',
      path: `/api/kubernetes/services/${ENTITY}`,
      body: JSON.stringify({ entity: b.entity }),
    },
    { route: 'kubernetes clusters', path: '/api/kubernetes/clusters' },
  ];
}

async function signInAlice(base) {
  return poll('sign-in as alice', 120_000, async () => {
    const res = await fetch(`${base}/api/auth/demo/refresh`, {
      headers: { 'x-kubemate-demo-user': 'alice' },
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return (await res.json())?.backstageIdentity?.token || undefined;
  });
}

/** LOAD_S of the mix on every backend at once; per backend: requests by route and status. */
async function load(backends) {
  const deadline = Date.now() + LOAD_S * 1000;
  const alice =
    backends.find(b => b.side.key === 'ours') &&
    (await signInAlice(backends.find(b => b.side.key === 'ours').base));
  const tabs = tabsOf('alice');
  return Promise.all(
    backends.map(async b => {
      const counts = {};
      const loops = Array.from({ length: CONCURRENCY }, async (_, i) => {
        let n = i;
        while (Date.now() < deadline) {
          for (const c of commonCalls(b)) await call(b.base, TOKEN, c, counts);
          if (b.side.key === 'ours') {
            const tab = tabs[n++ % tabs.length];
            for (const c of tabOpening('alice', tab, () => 0) ?? [])
              await call(b.base, alice, c, counts);
          }
        }
      });
      await Promise.all(loops);
      return counts;
    }),
  );
}

// ------------------------------------------------------------------ isolated require costs

/** Heavy dependencies of Kubemate's plugins (and, for scale, some both sides load). */
const HEAVY = [
  ['@zilliz/milvus2-sdk-node', 'plugins/rag-backend'],
  ['minio', 'plugins/rag-backend'],
  ['ioredis', 'plugins/rag-backend'],
  ['pdf-parse', 'plugins/rag-backend'],
  ['ollama', 'plugins/rag-backend'],
  ['pdfkit', 'plugins/inspections-backend'],
  ['undici', 'plugins/kubemate-node'],
  ['prom-client', 'plugins/gpu-backend'],
  ['@kubernetes/client-node', 'plugins/kubemate-node'],
  ['isomorphic-git', 'packages/backend'],
];

/**
 * What requiring each module costs on its own: a fresh `node --expose-gc` in the package that
 * depends on it, RSS / heap used / external after a full GC, minus the same before the require.
 * The costs overlap (shared dependencies), so they do not add up.
 */
function isolatedCosts() {
  const code = `const m=()=>{gc();gc();return process.memoryUsage()};const b=m();const n=Object.keys(require.cache).length;require(process.argv[1]);const a=m();console.log(JSON.stringify({rss:a.rss-b.rss,heap:a.heapUsed-b.heapUsed,ext:a.external-b.external,modules:Object.keys(require.cache).length-n}))`;
  return HEAVY.map(([name, dir]) => {
    try {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '-e', code, name],
        { cwd: join(root, dir), encoding: 'utf8' },
      );
      return { name, ...JSON.parse(out.trim().split('\n').pop()) };
    } catch (e) {
      return { name, error: String(e.message).split('\n')[0] };
    }
  });
}

// ------------------------------------------------------------------ main

async function main() {
  if (!existsSync(stackConfig))
    fail(
      `${stackConfig} missing: start the dev stack (./deploy/dev/stack.sh up)`,
    );
  console.log(
    `Kubemate Portal — backend memory: ours vs stock Backstage — ${new Date().toISOString()}, node ${
      process.version
    }, ${RUNS} runs, idle ${IDLE_S} s, RSS median of ${SAMPLE_S} s, load ${LOAD_S} s × ${CONCURRENCY} loops`,
  );
  mkdirSync(artifactsDir, { recursive: true });
  if (process.env.BENCH_SKIP_BUILD !== '1') build();

  const results = { ours: [], stock: [] };
  let lastReports;
  for (let run = 0; run < RUNS; run++) {
    // alternate which one is spawned first
    const order = run % 2 ? [...SIDES].reverse() : SIDES;
    log(
      `run ${run + 1}/${RUNS}: starting ${order.map(s => s.key).join(' and ')}`,
    );
    const started = [];
    try {
      const backends = await Promise.all(
        order.map(s => start(s, run, started)),
      );
      const readyAt = Math.max(...backends.map(b => b.readyAt));
      const wait = readyAt + IDLE_S * 1000 - Date.now();
      log(`both ready; idle ${Math.max(0, Math.round(wait / 1000))} s`);
      if (wait > 0) await sleep(wait);
      const idle = await measure(backends);
      log(
        `idle: ${backends
          .map(
            (b, i) =>
              `${b.side.key} ${mb(idle[i].rss)} MB RSS, heap ${mb(
                idle[i].heapUsed,
              )} MB`,
          )
          .join('; ')}`,
      );
      log(`load ${LOAD_S} s`);
      const counts = await load(backends);
      await sleep(10_000);
      const after = await measure(backends);
      backends.forEach((b, i) => {
        const total = Object.values(counts[i]).reduce((a, x) => a + x, 0);
        const failed = Object.entries(counts[i])
          .filter(([k]) => !/ 2\d\d$/.test(k))
          .map(([k, n]) => `${k}: ${n}`);
        log(
          `after: ${b.side.key} ${mb(after[i].rss)} MB RSS, heap ${mb(
            after[i].heapUsed,
          )} MB; ${total} requests${
            failed.length ? `, non-2xx: ${failed.join(', ')}` : ''
          }`,
        );
        results[b.side.key].push({
          idleRss: idle[i].rss,
          idleHeap: idle[i].heapUsed,
          afterRss: after[i].rss,
          afterHeap: after[i].heapUsed,
          // diagnostics: V8's committed heap and the memory outside it, after the GC
          afterHeapTotal: after[i].report.memoryUsage.heapTotal,
          afterExternal: after[i].report.memoryUsage.external,
          afterArrayBuffers: after[i].report.memoryUsage.arrayBuffers,
          requests: total,
          failed: Object.fromEntries(
            Object.entries(counts[i]).filter(([k]) => !/ 2\d\d$/.test(k)),
          ),
        });
      });
      lastReports = Object.fromEntries(
        backends.map((b, i) => [b.side.key, idle[i].report]),
      );
    } finally {
      for (const b of started) {
        await stop(b.proc);
        rmSync(b.data, { recursive: true, force: true });
      }
    }
  }

  // ---------------------------------------------------------------- report
  const m = (side, k) => median(results[side].map(r => r[k]));
  const rows = [
    ['idle RSS', 'idleRss', `≤ +${GOAL_PCT} %`],
    ['idle V8 heap used', 'idleHeap'],
    ['RSS after the request mix', 'afterRss'],
    ['V8 heap used after the request mix', 'afterHeap'],
  ].map(([name, k, goal]) => {
    const ours = m('ours', k);
    const stock = m('stock', k);
    const ratio = ours / stock;
    return {
      name: `backend ${name}`,
      ours: { label: 'Kubemate backend (built)', value: Number(mb(ours)) },
      other: {
        label: 'stock Backstage backend (same version and upstream plugins)',
        value: Number(mb(stock)),
      },
      unit: 'MB',
      ratio: Number(ratio.toFixed(3)),
      goal: goal ?? 'informational',
      met: goal ? ratio <= 1 + GOAL_PCT / 100 : null,
    };
  });

  console.log(
    `\nmedians of ${RUNS} runs (per run: ${Object.entries(results)
      .map(([k, rs]) => `${k} ${rs.map(r => mb(r.idleRss)).join('/')}`)
      .join(', ')} MB idle RSS; requests in the mix: ${Object.entries(results)
      .map(([k, rs]) => `${k} ${rs.map(r => r.requests).join('/')}`)
      .join(', ')})`,
  );
  console.log(
    `${'measure'.padEnd(44)}${'ours MB'.padStart(10)}${'stock MB'.padStart(
      10,
    )}${'delta %'.padStart(9)}${'ratio'.padStart(7)}  goal`,
  );
  for (const r of rows)
    console.log(
      `${r.name.padEnd(44)}${r.ours.value
        .toFixed(1)
        .padStart(10)}${r.other.value.toFixed(1).padStart(10)}${`${(
        (r.ratio - 1) *
        100
      ).toFixed(1)}`.padStart(9)}${r.ratio.toFixed(2).padStart(7)}  ${r.goal}${
        r.met === null ? '' : r.met ? ' — met' : ' — NOT met'
      }`,
    );

  if (process.env.BENCH_MODULES === '1' && lastReports) {
    const o = lastReports.ours.modules;
    const s = lastReports.stock.modules;
    const extra = Object.entries(o)
      .filter(([k, v]) => v.modules > (s[k]?.modules ?? 0))
      .sort((a, b) => b[1].bytes - a[1].bytes)
      .slice(0, 30);
    console.log(
      '\npackages ours loads beyond stock (CommonJS modules; last run, idle):',
    );
    for (const [k, v] of extra)
      console.log(
        `${k.padEnd(50)}${String(v.modules - (s[k]?.modules ?? 0)).padStart(
          6,
        )} modules ${mb(v.bytes).padStart(
          7,
        )} MB  required by ${v.requiredBy.join(', ')}`,
      );
  }

  const isolated = isolatedCosts();
  console.log(
    '\nrequiring each heavy dependency on its own (fresh node, after a full GC; overlapping):',
  );
  console.log(
    `${'module'.padEnd(28)}${'RSS MB'.padStart(8)}${'heap MB'.padStart(
      9,
    )}${'ext MB'.padStart(8)}${'CJS modules'.padStart(13)}`,
  );
  for (const c of isolated)
    console.log(
      c.error
        ? `${c.name.padEnd(28)} ${c.error}`
        : `${c.name.padEnd(28)}${mb(c.rss).padStart(8)}${mb(c.heap).padStart(
            9,
          )}${mb(c.ext).padStart(8)}${String(c.modules).padStart(13)}`,
    );

  writeFileSync(
    join(artifactsDir, 'memory.json'),
    `${JSON.stringify(
      {
        bench: 'memory',
        at: new Date().toISOString(),
        runs: results,
        isolated,
        comparisons: rows,
      },
      null,
      2,
    )}\n`,
  );
  console.log(`\nwrote ${join(artifactsDir, 'memory.json')}`);
}

main().catch(e => {
  console.error(e);
  process.exitCode = 1;
});
