#!/usr/bin/env node
/*
 * Load run: LOAD_VUS virtual users (default 50) browse entity tabs for LOAD_DURATION_S (default
 * 600) against the BUILT backend on the full dev stack, production-shaped (NODE_ENV=production,
 * the stack's PostgreSQL with its own databases kubemate_load_*, port 7060; bench/lib/reliability.mjs).
 * The VUs are shared among the demo users admin/alice/bob (tokens from /api/auth/demo/refresh,
 * refreshed every 10 min); each opens one tab (cluster ops, metrics, logs, traces, pipelines,
 * releases, inspection findings, GPU, fine-tuning, docs Q&A — the calls the frontends make, plus
 * the page's catalog entity fetch) every 2–5 s. The load tool is autocannon (one connection per VU).
 *
 * Prints and writes to e2e/artifacts/reliability/load.{json,md}: total requests, errors (non-2xx
 * by status and route), p50/p95/p99 per route (client side), the backend's RSS and event-loop lag
 * from its own GET /metrics every 10 s, and whether RSS grows after warm-up (mean of the first vs
 * the last 3 minutes after a warm-up of LOAD_WARMUP_S).
 *
 * Before the run, a preflight opens every tab of every user once: any non-2xx stops the run
 * (the load profile is meant to be error-free). Needs the dev stack up (./deploy/dev/stack.sh up).
 * Run: eval "$(./kubemate env)"; node bench/load.mjs   (LOAD_DURATION_S=60 LOAD_VUS=10 for a quick run)
 */
import { join } from 'node:path';
import {
  artifactsDir,
  BASE,
  fmt,
  log,
  mdTable,
  routeTable,
  runVirtualUsers,
  sampleBackendMetrics,
  startBackend,
  startTokens,
  tabOpening,
  tabsOf,
  USERS,
  writeArtifacts,
} from './lib/reliability.mjs';

const DURATION_S = Number(process.env.LOAD_DURATION_S ?? 600);
const VUS = Number(process.env.LOAD_VUS ?? 50);
const WARMUP_S = Number(
  process.env.LOAD_WARMUP_S ?? Math.min(120, DURATION_S / 5),
);
const WINDOW_S = Math.min(180, (DURATION_S - WARMUP_S) / 2);

/** Every tab of every user once, one call after the other: status and time of each. */
async function preflight(tokens, base) {
  const rows = [];
  for (const user of USERS) {
    for (const tab of tabsOf(user)) {
      for (const c of tabOpening(user, tab, () => 0)) {
        const t0 = performance.now();
        const res = await fetch(`${base}${c.path}`, {
          method: c.method,
          body: c.body,
          headers: {
            authorization: `Bearer ${tokens[user]}`,
            ...(c.body ? { 'content-type': 'application/json' } : {}),
          },
        });
        const text = await res.text();
        rows.push({
          user,
          tab,
          route: c.route,
          status: res.status,
          ms: performance.now() - t0,
          error: res.ok ? undefined : text.slice(0, 300),
        });
      }
    }
  }
  return rows;
}

const mean = xs => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main() {
  const logFile = join(artifactsDir, 'load-backend.log');
  log(`starting the built backend on PostgreSQL (log ${logFile})`);
  const backend = await startBackend({ logFile });
  const tokens = await startTokens();
  try {
    const pre = await preflight(tokens.tokens, BASE);
    const bad = pre.filter(r => r.status < 200 || r.status >= 300);
    for (const r of pre)
      log(
        `preflight ${r.user} ${r.tab} ${r.route}: ${r.status} ${fmt(r.ms)} ms${
          r.error ? ` ${r.error}` : ''
        }`,
      );
    if (bad.length && process.env.LOAD_IGNORE_PREFLIGHT !== '1')
      throw new Error(
        `preflight: ${bad.length} calls failed (above); the load profile must be error-free`,
      );

    log(`${VUS} virtual users for ${DURATION_S} s (warm-up ${WARMUP_S} s)`);
    const records = [];
    const metrics = sampleBackendMetrics(10_000);
    const startedAt = Date.now();
    const progress = setInterval(() => {
      const last = metrics.samples.at(-1);
      const errors = records.filter(
        r => !(r.status >= 200 && r.status < 300),
      ).length;
      log(
        `${Math.round((Date.now() - startedAt) / 1000)} s: ${
          records.length
        } requests, ${errors} errors, RSS ${fmt(last?.rssMb)} MB, lag p99 ${fmt(
          last?.lagP99Ms,
          1,
        )} ms`,
      );
    }, 30_000);
    const run = runVirtualUsers({
      vus: VUS,
      durationS: DURATION_S,
      tokens: tokens.tokens,
      record: r => records.push(r),
    });
    const result = await run.done;
    clearInterval(progress);
    metrics.stop();
    const endedAt = Date.now();

    // ------------------------------------------------------------------ report
    const routes = routeTable(records);
    const errorCount = routes.reduce((a, r) => a + r.errorCount, 0);
    const byStatus = {};
    for (const r of routes)
      for (const [s, n] of Object.entries(r.errors))
        byStatus[s] = (byStatus[s] ?? 0) + n;
    const all = routeTable(records.map(r => ({ ...r, route: 'all' })))[0];
    const tabsOpened = records.filter(r => r.route === 'catalog entity').length;
    const s = metrics.samples;
    const afterWarmup = s.filter(x => x.s >= WARMUP_S);
    const first = afterWarmup.filter(x => x.s < WARMUP_S + WINDOW_S);
    const last = s.filter(x => x.s > (endedAt - startedAt) / 1000 - WINDOW_S);
    const rssFirst = first.length ? mean(first.map(x => x.rssMb)) : undefined;
    const rssLast = last.length ? mean(last.map(x => x.rssMb)) : undefined;
    const growthPct =
      rssFirst && rssLast ? ((rssLast - rssFirst) / rssFirst) * 100 : undefined;
    const lag = {
      p50Ms: s.length
        ? [...s.map(x => x.lagP50Ms)].sort((a, b) => a - b)[
            Math.floor(s.length / 2)
          ]
        : undefined,
      p99Ms: s.length ? Math.max(...s.map(x => x.lagP99Ms)) : undefined,
      maxMs: s.length ? Math.max(...s.map(x => x.lagMaxMs)) : undefined,
    };
    const summary = {
      startedAt: new Date(startedAt).toISOString(),
      durationS: DURATION_S,
      vus: VUS,
      users: USERS,
      thinkTimeS: [2, 5],
      totalRequests: records.length,
      tabsOpened,
      requestsPerSecond: records.length / ((endedAt - startedAt) / 1000),
      errorCount,
      errorsByStatus: byStatus,
      all,
      autocannon: {
        requests: result.requests?.total,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        latencyMs: {
          p50: result.latency?.p50,
          p99: result.latency?.p99,
          max: result.latency?.max,
        },
      },
      routes,
      rss: {
        warmupS: WARMUP_S,
        windowS: WINDOW_S,
        firstWindowMeanMb: rssFirst,
        lastWindowMeanMb: rssLast,
        growthPct,
      },
      eventLoopLag: lag,
      samples: s,
      preflight: pre,
    };

    const md = [
      `# Load run — ${VUS} virtual users, ${DURATION_S} s`,
      '',
      `Started ${summary.startedAt}. The built backend (NODE_ENV=production, PostgreSQL) on the full dev stack, on this 2-core machine shared with the stack's ~50 servers. ${VUS} virtual users (autocannon connections) shared among admin, alice and bob; each opens one entity tab every 2–5 s (the tab's calls one after the other, after the page's catalog entity fetch).`,
      '',
      `**${records.length} requests** (${fmt(
        summary.requestsPerSecond,
        1,
      )}/s, ${tabsOpened} tabs opened), **${errorCount} errors**${
        errorCount
          ? ` (${Object.entries(byStatus)
              .map(([k, v]) => `${k}: ${v}`)
              .join(', ')})`
          : ''
      }; all requests p50 ${fmt(all?.p50)} ms, p95 ${fmt(
        all?.p95,
      )} ms, p99 ${fmt(all?.p99)} ms, max ${fmt(all?.max)} ms.`,
      '',
      '## Per route (client side)',
      '',
      mdTable(
        ['route', 'requests', 'errors', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms'],
        routes.map(r => [
          r.route,
          r.count,
          r.errorCount
            ? `${r.errorCount} (${Object.entries(r.errors)
                .map(([k, v]) => `${k}: ${v}`)
                .join(', ')})`
            : '0',
          fmt(r.p50),
          fmt(r.p95),
          fmt(r.p99),
          fmt(r.max),
        ]),
      ),
      '',
      '## Backend memory and event loop (its own GET /metrics every 10 s)',
      '',
      `RSS after a ${WARMUP_S} s warm-up: mean of the first ${WINDOW_S} s ${fmt(
        rssFirst,
        1,
      )} MB, of the last ${WINDOW_S} s ${fmt(rssLast, 1)} MB (${
        growthPct === undefined
          ? '–'
          : `${growthPct >= 0 ? '+' : ''}${fmt(growthPct, 1)} %`
      }). Event-loop lag (prom-client, per 10 s interval): median of the p50s ${fmt(
        lag.p50Ms,
        1,
      )} ms, highest p99 ${fmt(lag.p99Ms, 1)} ms, max ${fmt(lag.maxMs, 1)} ms.`,
      '',
      mdTable(
        [
          't s',
          'RSS MB',
          'heap used MB',
          'lag p50 ms',
          'lag p99 ms',
          'lag max ms',
        ],
        s.map(x => [
          x.s,
          fmt(x.rssMb, 1),
          fmt(x.heapMb, 1),
          fmt(x.lagP50Ms, 1),
          fmt(x.lagP99Ms, 1),
          fmt(x.lagMaxMs, 1),
        ]),
      ),
      '',
    ].join('\n');
    const files = await writeArtifacts('load', summary, md);
    console.log(`\n${md}`);
    log(`report: ${files.md} and ${files.json}`);
    if (errorCount) process.exitCode = 1;
  } finally {
    tokens.stop();
    await backend.stop();
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
