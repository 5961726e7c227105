#!/usr/bin/env node
/*
 * Logs benchmark, in one run against the local dev stack's real Loki (deploy/dev, part telemetry):
 *
 * 1. Time to first line over 1,000,000 ingested lines: the same LogQL through our logs API
 *    (POST /api/logs/query as alice — scoped, namespace matcher injected) and straight to Loki
 *    (GET /loki/api/v1/query_range with the effective query), N interleaved rounds:
 *      - newest 100 lines of the 1M-line streams,
 *      - a needle search (`|= "<token>"`, one matching line among 1M: Loki scans everything),
 *      - the volume histogram (count_over_time by level).
 * 2. The frame budget of the log list at 50,000 lines in Chromium (Debian's): the portal's Logs tab
 *    with a 50,000-line answer (the browser's request is answered by the bench), scrolled a screen
 *    per frame for 240 frames — our virtualized list vs the alternative, a plain DOM list of the
 *    same 50,000 rows built in the same page; render time and frame times (p50/p95/max, share of
 *    frames over 16.7 ms).
 *
 * Ingestion: 1,000,000 logfmt lines over 20 streams (namespace payments-dev, app bench-logs,
 * labelled kubemate_demo_data="true" as demo data), timestamps spread over the last 50 minutes,
 * pushed in batches; skipped when Loki already holds them (a run within the hour).
 *
 * Needs: ./deploy/dev/stack.sh up (kubernetes + telemetry), the built app (packages/app/dist; built
 * here when missing). Run: eval "$(./kubemate env)"; node bench/logs.mjs
 * Env: BENCH_N (10), BENCH_LINES (1000000), BENCH_SKIP_BUILD=1, KUBEMATE_CHROMIUM (/usr/bin/chromium).
 */
import { execFileSync } from 'node:child_process';
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
import { dirname, join } from 'node:path';
import { chromium } from '@playwright/test';
import {
  baseUrl,
  buildBackend,
  cli,
  configArgs,
  root,
  startBackend,
  stop,
  waitReady,
} from './backend.mjs';

const N = Number(process.env.BENCH_N ?? 10);
const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const STREAMS = 20;
const LIST_LINES = 50_000;
const FRAMES = 240;
const SKIP_BUILD = process.env.BENCH_SKIP_BUILD === '1';
const CHROMIUM = process.env.KUBEMATE_CHROMIUM ?? '/usr/bin/chromium';
const APP = 'bench-logs';

const log = m =>
  console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`);
const fail = m => {
  throw new Error(m);
};
const sleep = ms => new Promise(r => setTimeout(r, ms));
const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil(q * s.length) - 1)];
};
const f1 = x => x.toFixed(1);

const stackFile = join(root, '.kubemate/dev/stack.json');
if (!existsSync(stackFile))
  fail(`${stackFile} missing: ./deploy/dev/stack.sh up`);
const stack = JSON.parse(readFileSync(stackFile, 'utf8'));
const loki =
  stack.telemetry?.loki ??
  fail('stack.json has no telemetry: ./deploy/dev/stack.sh up');

// ------------------------------------------------------------------ ingestion
async function lokiCount(endNs) {
  const q = new URLSearchParams({
    query: `sum(count_over_time({app="${APP}"}[1h]))`,
    time: endNs,
  });
  const res = await fetch(`${loki}/loki/api/v1/query?${q}`);
  const body = await res.json();
  return Number(body.data?.result?.[0]?.value?.[1] ?? 0);
}

async function ingest() {
  const now = BigInt(Date.now()) * 1_000_000n;
  const existing = await lokiCount(now);
  const needleFile = join(root, '.kubemate/dev/telemetry/bench-needle.txt');
  if (existing >= LINES && existsSync(needleFile)) {
    log(
      `Loki already holds ${existing} ${APP} lines from a run within the hour: not ingesting again`,
    );
    return readFileSync(needleFile, 'utf8').trim();
  }
  const token = `needle-${Math.random().toString(36).slice(2, 10)}`;
  const needleAt = Math.floor(LINES * 0.37);
  const spanNs = 50n * 60n * 1_000_000_000n;
  const start = now - spanNs;
  const step = spanNs / BigInt(LINES);
  const levels = ['info', 'info', 'info', 'warn', 'error'];
  const BATCH = 20_000;
  const t0 = performance.now();
  for (let from = 0; from < LINES; from += BATCH) {
    const streams = new Map();
    for (let i = from; i < Math.min(LINES, from + BATCH); i++) {
      const s = i % STREAMS;
      const level = levels[i % levels.length];
      const key = `${s}/${level}`;
      if (!streams.has(key)) {
        streams.set(key, {
          stream: {
            namespace: 'payments-dev',
            app: APP,
            pod: `bench-pod-${s}`,
            level,
            kubemate_demo_data: 'true',
          },
          values: [],
        });
      }
      const msg = i === needleAt ? `found ${token}` : `request ${i} handled`;
      streams
        .get(key)
        .values.push([
          `${start + BigInt(i) * step}`,
          `level=${level} msg="${msg}" route=/v1/payments duration_ms=${
            i % 997
          } user=u${i % 5000}`,
        ]);
    }
    const res = await fetch(`${loki}/loki/api/v1/push`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ streams: [...streams.values()] }),
    });
    if (res.status !== 204) fail(`push: ${res.status} ${await res.text()}`);
    if ((from / BATCH) % 10 === 0) log(`  ingested ${from + BATCH} lines`);
  }
  const secs = (performance.now() - t0) / 1000;
  log(
    `ingested ${LINES} lines in ${f1(secs)} s (${Math.round(
      LINES / secs,
    )} lines/s)`,
  );
  mkdirSync(dirname(needleFile), { recursive: true });
  writeFileSync(needleFile, `${token}\n`);
  return token;
}

// ------------------------------------------------------------------ query latency
async function signIn(user) {
  for (let i = 0; i < 240; i++) {
    try {
      const res = await fetch(`${baseUrl}/api/auth/demo/refresh`, {
        headers: { 'x-kubemate-demo-user': user },
      });
      const token = res.ok
        ? (await res.json())?.backstageIdentity?.token
        : undefined;
      if (token) return token;
    } catch {
      /* not yet */
    }
    await sleep(500);
  }
  return fail(`sign-in as ${user} failed`);
}

async function ours(token, path, body) {
  const res = await fetch(`${baseUrl}/api/logs${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200)
    fail(`ours ${path}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

async function direct(params) {
  const res = await fetch(
    `${loki}/loki/api/v1/query_range?${new URLSearchParams(params)}`,
  );
  const text = await res.text();
  if (res.status !== 200) fail(`direct: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text).data;
}

const count = d =>
  d.resultType === 'streams'
    ? d.result.reduce((n, s) => n + s.values.length, 0)
    : d.result.length;

async function latency(token, needle) {
  const end = Math.floor(Date.now() / 1000);
  const start = end - 3600;
  const ns = s => `${BigInt(s) * 1_000_000_000n}`;
  const cases = [
    {
      id: 'newest 100 lines of 1M',
      path: '/query',
      body: { query: `{app="${APP}"}`, start, end, limit: 100 },
    },
    {
      id: 'needle search over 1M',
      path: '/query',
      body: { query: `{app="${APP}"} |= "${needle}"`, start, end, limit: 100 },
    },
    {
      id: 'volume by level (1M)',
      path: '/volume',
      body: { query: `{app="${APP}"}`, start, end },
    },
  ];
  for (const c of cases) {
    const first = await ours(token, c.path, c.body);
    c.effective = first.effectiveQuery;
    c.params =
      first.resultType === 'matrix'
        ? {
            query: first.effectiveQuery,
            start: ns(start),
            end: ns(end),
            step: `${first.step}s`,
          }
        : {
            query: first.effectiveQuery,
            start: ns(start),
            end: ns(end),
            limit: '100',
            direction: 'backward',
          };
    c.ours = [];
    c.direct = [];
    c.n =
      first.resultType === 'matrix' ? first.series.length : first.lines.length;
    log(`  ${c.id}: ${c.effective}`);
  }
  for (let round = 0; round < N + 2; round++) {
    for (const c of round % 2 ? [...cases].reverse() : cases) {
      let t = performance.now();
      const o = await ours(token, c.path, c.body);
      const oMs = performance.now() - t;
      t = performance.now();
      const d = await direct(c.params);
      const dMs = performance.now() - t;
      const on = o.resultType === 'matrix' ? o.series.length : o.lines.length;
      if (on !== count(d))
        fail(`${c.id}: ours ${on} vs direct ${count(d)} results`);
      if (round >= 2) {
        c.ours.push(oMs);
        c.direct.push(dMs);
      }
    }
  }
  return cases;
}

// ------------------------------------------------------------------ frame budget (Chromium)
function syntheticLines(n) {
  const base = BigInt(Date.now()) * 1_000_000n;
  const levels = ['info', 'info', 'info', 'warn', 'error'];
  return Array.from({ length: n }, (_, i) => ({
    ts: `${base - BigInt(i) * 1_000_000n}`,
    line: `level=${
      levels[i % 5]
    } msg="request ${i} handled" route=/v1/payments duration_ms=${
      i % 997
    } user=u${i % 5000}`,
    labels: {
      namespace: 'payments-dev',
      pod: `bench-pod-${i % 20}`,
      app: 'payments-api',
      level: levels[i % 5],
    },
    ...(i % 10 === 0
      ? { traceId: (i.toString(16) + '0'.repeat(32)).slice(0, 32) }
      : {}),
  }));
}

/** Installs window.__scrollFrames(el, frames): scroll a screen per frame; the frame times in ms. */
const installScroller = page =>
  page.evaluate(() => {
    window.__scrollFrames = (el, frames) =>
      new Promise(resolve => {
        const times = [];
        let last = performance.now();
        let i = 0;
        const step = () => {
          const now = performance.now();
          times.push(now - last);
          last = now;
          el.scrollTop += el.clientHeight;
          if (++i < frames) requestAnimationFrame(step);
          else resolve(times.slice(1));
        };
        requestAnimationFrame(step);
      });
  });

async function frameBudget() {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
    });
    const lines = syntheticLines(LIST_LINES);
    const answer = JSON.stringify({
      resultType: 'streams',
      lines,
      effectiveQuery:
        '{app="payments-api", namespace=~"payments-dev|payments-prod"}',
      scope: ['payments-dev', 'payments-prod'],
      limited: false,
    });
    await page.route('**/api/logs/query', route =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: answer,
      }),
    );
    await page.goto(baseUrl);
    await page.getByRole('button', { name: 'Sign in as alice' }).click();
    await page
      .getByRole('heading', { name: 'Kubemate Catalog' })
      .waitFor({ timeout: 120_000 });
    const t0 = Date.now();
    await page.goto(`${baseUrl}/catalog/default/component/payments-api/logs`);
    const list = page.getByRole('list', { name: `Log lines (${LIST_LINES})` });
    await list.waitFor({ timeout: 120_000 });
    const pageToList = Date.now() - t0;
    await installScroller(page);
    const ours = await list.evaluate(async (el, frames) => {
      const times = await window.__scrollFrames(el, frames);
      return { times, rows: el.querySelectorAll('[role=listitem]').length };
    }, FRAMES);
    // the alternative in the same page: every row in the DOM
    const plain = await page.evaluate(
      async ({ lines, frames }) => {
        const t = performance.now();
        const box = document.createElement('div');
        box.style.cssText =
          'position:fixed;left:0;top:0;width:1200px;height:520px;overflow-y:auto;font:12px monospace;background:#fff;z-index:99999';
        const frag = document.createDocumentFragment();
        for (const l of lines) {
          const row = document.createElement('div');
          row.style.cssText =
            'height:22px;line-height:22px;white-space:nowrap;display:flex;gap:8px;padding:0 8px';
          row.innerHTML = `<span>${l.ts.slice(0, 13)}</span><span>${
            l.labels.pod
          }</span><span style="overflow:hidden;text-overflow:ellipsis;flex:1"></span>`;
          row.lastChild.textContent = l.line;
          frag.appendChild(row);
        }
        box.appendChild(frag);
        document.body.appendChild(box);
        box.getBoundingClientRect(); // force layout
        await new Promise(r => requestAnimationFrame(() => r()));
        const renderMs = performance.now() - t;
        const times = await window.__scrollFrames(box, frames);
        return { renderMs, times, rows: box.children.length };
      },
      { lines, frames: FRAMES },
    );
    return { pageToList, ours, plain };
  } finally {
    await browser.close();
  }
}

// ------------------------------------------------------------------ main
let backend;
let dataDir;
let logFile;
try {
  console.log(
    `Kubemate Portal — logs: our /api/logs vs straight to Loki over ${LINES} lines; log list frame budget at ${LIST_LINES} lines in Chromium — ${new Date().toISOString()}, node ${
      process.version
    }, N=${N}`,
  );
  const needle = await ingest();

  if (!SKIP_BUILD) {
    log('building packages/backend');
    buildBackend();
  }
  if (!existsSync(join(root, 'packages/app/dist/index.html'))) {
    log('building packages/app (the portal frontend, for the browser part)');
    execFileSync(cli, ['package', 'build'], {
      cwd: join(root, 'packages/app'),
      stdio: 'ignore',
    });
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
      ]),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  backend.stdout.pipe(out);
  backend.stderr.pipe(out);
  await waitReady(backend, 300_000);
  const token = await signIn('alice');
  log('backend ready; measuring query latency');
  let cases;
  for (let i = 0; ; i++) {
    try {
      cases = await latency(token, needle);
      break;
    } catch (e) {
      if (i > 60) throw e; // the catalog and roles load after start
      await sleep(2000);
    }
  }
  log('measuring the log list in Chromium');
  const fb = await frameBudget();

  console.log(
    `\nquery latency in ms, N=${N} per path, interleaved (alice, scoped to payments-dev/payments-prod):`,
  );
  console.log(
    'query                         ours p50  ours p95  loki p50  loki p95  overhead p50      results',
  );
  for (const c of cases) {
    const op = pct(c.ours, 0.5);
    const dp = pct(c.direct, 0.5);
    console.log(
      `${c.id.padEnd(30)}${f1(op).padStart(8)}${f1(pct(c.ours, 0.95)).padStart(
        10,
      )}${f1(dp).padStart(10)}${f1(pct(c.direct, 0.95)).padStart(10)}   +${f1(
        op - dp,
      )} (×${(op / dp).toFixed(2)})`.padEnd(92) + `${c.n}`,
    );
  }
  const stats = t => ({
    p50: pct(t, 0.5),
    p95: pct(t, 0.95),
    max: Math.max(...t),
    over: (100 * t.filter(x => x > 16.7).length) / t.length,
  });
  const o = stats(fb.ours.times);
  const p = stats(fb.plain.times);
  console.log(
    `\nlog list at ${LIST_LINES} lines, Chromium (${CHROMIUM}), ${FRAMES} frames scrolling a screen per frame:`,
  );
  console.log(
    'list                         rows in DOM  render ms  frame p50  frame p95  frame max  frames > 16.7 ms',
  );
  console.log(
    `${'ours (virtualized)'.padEnd(29)}${String(fb.ours.rows).padStart(
      11,
    )}${String(fb.pageToList).padStart(11)}*${f1(o.p50).padStart(10)}${f1(
      o.p95,
    ).padStart(11)}${f1(o.max).padStart(11)}${f1(o.over).padStart(14)} %`,
  );
  console.log(
    `${'plain DOM list'.padEnd(29)}${String(fb.plain.rows).padStart(11)}${f1(
      fb.plain.renderMs,
    ).padStart(11)} ${f1(p.p50).padStart(10)}${f1(p.p95).padStart(11)}${f1(
      p.max,
    ).padStart(11)}${f1(p.over).padStart(14)} %`,
  );
  console.log(
    '* ours: from navigating to the Logs tab until the 50,000-line list is shown (page load, query answer, render)',
  );
} finally {
  if (backend) await stop(backend);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
