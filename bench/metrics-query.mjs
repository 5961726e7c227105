#!/usr/bin/env node
/*
 * PromQL through Kubemate's metrics plugin vs straight to Thanos Query, for the same effective
 * queries, in the same run, against the local dev stack (deploy/dev: two Prometheus replicas
 * behind Thanos Query, demo traffic metrics):
 *   ours:   POST /api/metrics/query, POST /api/metrics/query_range and
 *           GET /api/metrics/entity/component/default/payments-api/golden-signals,
 *           as alice (scoped: a namespace matcher is injected) and as admin (all namespaces)
 *   direct: POST <thanosQuery>/api/v1/query | query_range with the query our API reported as
 *           `effectiveQuery` for that user and the step / max_source_resolution / dedup it used;
 *           for the entity endpoint, all of its range queries (the golden signals' and the
 *           entity pods' CPU and memory) in parallel
 * Prints p50/p95 of each per user and the overhead ours − direct in ms and as a ratio.
 *
 * Steps: build and start the backend (port 7037, fresh SQLite data dir, the stack's app config,
 * demo catalog and roles); sign in as each user (demo provider); ask our API once per query and
 * user for the effective query; then 3 warm-up + N rounds, each sending every query on every path
 * in a rotating order; stop the backend.
 *
 * Needs the dev stack (Kubernetes + metrics): ./deploy/dev/stack.sh up. Run: eval "$(./kubemate
 * env)"; node bench/metrics-query.mjs — or ./kubemate bench metrics.
 * Env: BENCH_N (30), BENCH_WARMUP (3), BENCH_USERS (alice,admin), BENCH_SKIP_BUILD=1 (use the
 * existing packages/backend/dist).
 */
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  baseUrl,
  buildBackend,
  configArgs,
  fail,
  log,
  mb,
  pct,
  poll,
  root,
  secs,
  signIn,
  startBackend,
  stop,
  treeRssBytes,
  waitReady,
} from './backend.mjs';

const N = Number(process.env.BENCH_N ?? 30);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const USERS = (process.env.BENCH_USERS ?? 'alice,admin')
  .split(',')
  .map(u => u.trim())
  .filter(Boolean);

const ENTITY = {
  kind: 'component',
  namespace: 'default',
  name: 'payments-api',
};
const HOUR = 3600;
const DAY = 86_400;
const CASES = [
  {
    id: 'instant',
    label: 'instant: traffic by namespace',
    kind: 'query',
    query: 'sum by (namespace) (rate(http_server_requests_total[1m]))',
    body: end => ({ time: end }),
  },
  {
    id: 'range-1h',
    label: 'range 1 h: p95 latency by namespace',
    kind: 'query_range',
    query:
      'histogram_quantile(0.95, sum by (namespace, le) (rate(http_server_request_duration_seconds_bucket[1m])))',
    body: end => ({ start: end - HOUR, end }),
  },
  {
    id: 'range-7d',
    label: 'range 7 d: traffic by namespace',
    kind: 'query_range',
    query: 'sum by (namespace) (rate(http_server_requests_total[1h]))',
    body: end => ({ start: end - 7 * DAY, end }),
  },
  {
    id: 'golden',
    label: 'entity golden signals (1 h)',
    kind: 'golden',
  },
];

const stateDir = join(
  process.env.KUBEMATE_STATE ?? join(root, '.kubemate'),
  'dev',
);
const stackFile = join(stateDir, 'stack.json');

// ------------------------------------------------------------------ HTTP
/** Fetches and parses JSON; anything but 200 fails with the body. */
async function getJson(name, url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== 200)
    fail(`${name}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

let sentToOurs = 0; // every request to /api/metrics, to check the backend's own /metrics against
const ours = (token, path, body) => {
  sentToOurs++;
  return getJson(`ours ${path}`, `${baseUrl}/api/metrics${path}`, {
    method: body ? 'POST' : 'GET',
    headers: {
      authorization: `Bearer ${token}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
};

/** Straight to Thanos Query, as the plugin's ThanosClient sends it (form-encoded POST). */
async function thanos(thanosUrl, path, params) {
  const json = await getJson(`direct ${path}`, `${thanosUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(
      Object.fromEntries(
        Object.entries(params).map(([k, v]) => [k, String(v)]),
      ),
    ).toString(),
  });
  if (json.status !== 'success')
    fail(`direct ${path}: ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}

// ------------------------------------------------------------------ the paths
/**
 * Asks our API once and returns the two paths of one query for one user: `ours` (the API call)
 * and `direct` (the same effective query(ies) to Thanos Query), with the series count of each.
 */
async function preparePaths(c, user, token, end, thanosUrl) {
  if (c.kind !== 'golden') {
    const body = { query: c.query, ...c.body(end) };
    const first = await ours(token, `/${c.kind}`, body);
    const params = {
      query: first.effectiveQuery,
      dedup: first.dedup,
      ...(c.kind === 'query'
        ? { time: body.time }
        : {
            start: body.start,
            end: body.end,
            step: first.step,
            max_source_resolution: first.maxSourceResolution,
          }),
    };
    return {
      effective: [first.effectiveQuery],
      info:
        c.kind === 'query_range'
          ? `step ${first.step} s, resolution ${first.maxSourceResolution}`
          : '',
      ours: async () => (await ours(token, `/${c.kind}`, body)).result.length,
      direct: async () =>
        (await thanos(thanosUrl, `/api/v1/${c.kind}`, params)).result.length,
    };
  }

  // the entity endpoint: every query it runs, as it reports them (already scoped): the signal
  // queries and the CPU / memory usage queries over the entity's pods
  const range = { start: end - HOUR, end };
  const path = `/entity/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}/golden-signals?start=${range.start}&end=${range.end}`;
  const first = await ours(token, path);
  for (const s of first.signals)
    if (s.error) fail(`golden signals ${s.signal}: ${s.error}`);
  const effective = [
    ...first.signals.flatMap(s => s.queries),
    ...first.resources.flatMap(r => (r.query ? [r.query] : [])),
  ];
  const params = {
    ...range,
    step: first.step,
    dedup: true,
    max_source_resolution: first.maxSourceResolution,
  };
  const count = json =>
    json.signals.reduce((n, s) => n + s.series.length, 0) +
    json.resources.reduce((n, r) => n + r.usage.length, 0);
  return {
    effective,
    info: `${effective.length} range queries, step ${first.step} s`,
    ours: async () => count(await ours(token, path)),
    direct: async () =>
      (
        await Promise.all(
          effective.map(query =>
            thanos(thanosUrl, '/api/v1/query_range', { ...params, query }),
          ),
        )
      ).reduce((n, d) => n + d.result.length, 0),
  };
}

// ------------------------------------------------------------------ summary
/** The goal of issue 21: our API within +3 ms p50 of Thanos Query for the same query. */
const GOAL_MS = 3;

/**
 * e2e/artifacts/bench/metrics.json (the bench summary `./kubemate bench` prints): per query and
 * user, ours p50 vs direct p50; met when ours − direct ≤ GOAL_MS. Also printed as a table.
 */
function writeSummary(targets) {
  const comparisons = [];
  for (const c of CASES) {
    for (const u of USERS) {
      const o = targets.find(t => t.c === c && t.u === u && t.kind === 'ours');
      const d = targets.find(
        t => t.c === c && t.u === u && t.kind === 'direct',
      );
      const [o50, d50] = [pct(o.ms, 0.5), pct(d.ms, 0.5)];
      comparisons.push({
        name: `PromQL ${c.id} as ${u}: /api/metrics vs Thanos Query`,
        ours: { label: 'Kubemate /api/metrics', value: +o50.toFixed(2) },
        other: { label: 'Thanos Query direct', value: +d50.toFixed(2) },
        unit: 'ms p50',
        ratio: +(o50 / d50).toFixed(3),
        overheadMs: +(o50 - d50).toFixed(2),
        goal: `≤ +${GOAL_MS} ms p50`,
        met: o50 - d50 <= GOAL_MS,
      });
    }
  }
  const dir = join(root, 'e2e/artifacts/bench');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'metrics.json'),
    `${JSON.stringify(
      { bench: 'metrics', at: new Date().toISOString(), comparisons },
      null,
      2,
    )}\n`,
  );
  console.log(
    `\nsummary (e2e/artifacts/bench/metrics.json), goal ours − direct ≤ +${GOAL_MS} ms p50:`,
  );
  for (const x of comparisons)
    console.log(
      `  ${x.name.padEnd(62)} ours ${x.ours.value
        .toFixed(1)
        .padStart(7)}  direct ${x.other.value.toFixed(1).padStart(7)}  ${
        x.overheadMs >= 0 ? '+' : ''
      }${x.overheadMs.toFixed(1)} ms  ×${x.ratio.toFixed(2)}  ${
        x.met ? 'met' : 'NOT met'
      }`,
    );
}

// ------------------------------------------------------------------ main
let backend;
let dataDir;
let logFile;
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    if (backend) {
      log('stopping the backend');
      await stop(backend).catch(e => log(`stopping backend: ${e.message}`));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
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
  console.log(
    `Kubemate Portal — PromQL through /api/metrics vs straight to Thanos Query — ${new Date().toISOString()}, node ${
      process.version
    }, N=${N} (+${WARMUP} warm-up) per query, path and user (${USERS.join(
      ', ',
    )})`,
  );
  if (!existsSync(stackFile))
    fail(
      `${stackFile} missing: start the dev stack (./deploy/dev/stack.sh up)`,
    );
  const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
  const thanosUrl = stack.metrics?.thanosQuery;
  if (!thanosUrl)
    fail(
      `${stackFile} has no metrics: ./deploy/dev/stack.sh up (with the metrics part)`,
    );
  try {
    await thanos(thanosUrl, '/api/v1/query', { query: 'vector(1)' });
  } catch (e) {
    fail(
      `Thanos Query at ${thanosUrl} does not answer (${e.message}): ./deploy/dev/stack.sh up`,
    );
  }

  // 1. backend
  let t0 = performance.now();
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
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  log(`backend starting (pid ${backend.pid}, log ${logFile})`);
  await waitReady(backend, 300_000);
  const tokens = {};
  for (const u of USERS) tokens[u] = await signIn(u);
  // the catalog and the roles load after start: wait until the entity endpoint answers each user
  const end = Math.floor(Date.now() / 1000 / 15) * 15;
  const paths = new Map(); // `${case}/${user}` → prepared paths
  for (const u of USERS) {
    for (const c of CASES) {
      const p = await poll(`${c.id} as ${u}`, 180_000, () =>
        preparePaths(c, u, tokens[u], end, thanosUrl),
      );
      paths.set(`${c.id}/${u}`, p);
    }
  }
  const startMs = performance.now() - t0;
  log(`backend ready, signed in, catalog and roles loaded: ${secs(startMs)}`);

  console.log(
    `\nThanos Query ${thanosUrl}; every query at end=${new Date(
      end * 1000,
    ).toISOString()} (fixed for the run)`,
  );
  for (const c of CASES) {
    console.log(
      `\n${c.label}${
        c.query
          ? `: ${c.query}`
          : ` (${ENTITY.kind}:${ENTITY.namespace}/${ENTITY.name})`
      }`,
    );
    for (const u of USERS) {
      const p = paths.get(`${c.id}/${u}`);
      console.log(`  ${u}: ${p.info ? `${p.info}; ` : ''}effective:`);
      for (const q of p.effective)
        console.log(`    ${q.length > 160 ? `${q.slice(0, 157)}...` : q}`);
    }
  }

  // 2. measure: every round sends every query on every path, in a rotating order
  t0 = performance.now();
  const targets = [];
  for (const c of CASES)
    for (const u of USERS)
      for (const kind of ['ours', 'direct'])
        targets.push({
          c,
          u,
          kind,
          run: paths.get(`${c.id}/${u}`)[kind],
          ms: [],
          series: undefined,
        });
  for (let i = 0; i < WARMUP + N; i++) {
    const shift = i % targets.length;
    const order = [...targets.slice(shift), ...targets.slice(0, shift)];
    for (const t of order) {
      const s = performance.now();
      const series = await t.run();
      const ms = performance.now() - s;
      if (t.series !== undefined && t.series !== series)
        log(
          `  note: ${t.c.id} ${t.u} ${t.kind}: ${series} series (was ${t.series})`,
        );
      t.series = series;
      if (i >= WARMUP) t.ms.push(ms);
    }
    if ((i + 1) % 10 === 0) log(`  ${i + 1}/${WARMUP + N} rounds`);
  }
  const measureMs = performance.now() - t0;
  const rss = treeRssBytes(backend.pid);

  // 3. report
  const f = x => x.toFixed(1);
  const signed = x => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
  console.log(
    `\nlatency in ms, N=${N} per row and path, interleaved, after ${WARMUP} warm-up rounds; overhead = ours − direct (ratio ours/direct):`,
  );
  const header =
    'query'.padEnd(38) +
    'user'.padEnd(7) +
    'ours p50'.padStart(9) +
    'ours p95'.padStart(9) +
    'direct p50'.padStart(11) +
    'direct p95'.padStart(11) +
    '   overhead p50'.padEnd(22) +
    'overhead p95'.padEnd(20) +
    'series';
  console.log(header);
  console.log('-'.repeat(header.length + 6));
  for (const c of CASES) {
    for (const u of USERS) {
      const o = targets.find(t => t.c === c && t.u === u && t.kind === 'ours');
      const d = targets.find(
        t => t.c === c && t.u === u && t.kind === 'direct',
      );
      const [o50, o95, d50, d95] = [
        pct(o.ms, 0.5),
        pct(o.ms, 0.95),
        pct(d.ms, 0.5),
        pct(d.ms, 0.95),
      ];
      console.log(
        c.label.padEnd(38) +
          u.padEnd(7) +
          f(o50).padStart(9) +
          f(o95).padStart(9) +
          f(d50).padStart(11) +
          f(d95).padStart(11) +
          `   ${signed(o50 - d50)} (×${(o50 / d50).toFixed(2)})`.padEnd(22) +
          `${signed(o95 - d95)} (×${(o95 / d95).toFixed(2)})`.padEnd(20) +
          (o.series === d.series
            ? `${o.series}`
            : `${o.series} ours / ${d.series} direct`),
      );
    }
  }
  const all = targets.map(t => [t.kind, Math.min(...t.ms), Math.max(...t.ms)]);
  const range = kind => {
    const xs = all.filter(([k]) => k === kind);
    return `${f(Math.min(...xs.map(x => x[1])))}–${f(
      Math.max(...xs.map(x => x[2])),
    )} ms`;
  };
  console.log(
    `min–max over all rows: ours ${range('ours')}, direct ${range('direct')}`,
  );

  // the backend's own request metrics (GET /metrics, prom-client) count what the bench sent, plus
  // the calls other plugins make to the metrics plugin (e.g. the RBAC plugin's permission catalogue
  // reading /.well-known/backstage/permissions/metadata)
  try {
    const text = await (await fetch(`${baseUrl}/metrics`)).text();
    const series = [
      ...text.matchAll(
        /^http_server_requests_total\{([^}]*route="\/api\/metrics"[^}]*)\} (\d+)/gm,
      ),
    ].map(m => {
      const l = Object.fromEntries(
        [...m[1].matchAll(/(\w+)="([^"]*)"/g)].map(x => [x[1], x[2]]),
      );
      return `${l.method} ${l.code}: ${m[2]}`;
    });
    console.log(
      `backend's own /metrics, http_server_requests_total{route="/api/metrics"}: ${series.join(
        ', ',
      )}; the bench sent ${sentToOurs} (POST query/query_range, GET golden-signals; the rest are other plugins' calls)`,
    );
  } catch (e) {
    console.log(`backend's own /metrics: not available (${e.message})`);
  }
  console.log(`backend RSS (process tree) after the run: ${mb(rss)} MB`);
  console.log(
    `time: backend build ${secs(buildMs)}, start+sign-in+catalog+roles ${secs(
      startMs,
    )}, measuring ${secs(measureMs)}`,
  );
  writeSummary(targets);
}

const tStart = performance.now();
let code = 0;
try {
  await main();
} catch (e) {
  console.error(`\nFAILED: ${e.stack ?? e}`);
  code = 1;
}
await cleanup();
if (code === 0 && logFile) rmSync(logFile, { force: true }); // kept for diagnosis on failure
log(`total ${secs(performance.now() - tStart)}`);
process.exit(code);
