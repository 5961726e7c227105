#!/usr/bin/env node
/*
 * Faults under load: with a background load (FAULT_VUS virtual users, default 10, the tabs of
 * bench/load.mjs) on the built backend (production-shaped, port 7060, PostgreSQL; see
 * bench/lib/reliability.mjs), stops each upstream of the dev stack in turn and brings it back:
 *   kill: SIGKILL of the recorded process (.kubemate/dev/run/<name>.pid), then
 *         `bash deploy/dev/stack.sh up --only <part>` (starts what is missing, waits until ready);
 *   hang: SIGSTOP for the same time, then SIGCONT (what request timeouts are for).
 * For each fault it measures, from probes of every tab's calls (as admin, each route in its own
 * loop, 1 s apart, client timeout 120 s) and the background load:
 *   - time from the fault to the first answer naming the upstream (a 503 whose message names it;
 *     for the RAG status a 200 reporting it unavailable) and the routes that did;
 *   - the longest request on those routes during the fault (nothing may hang);
 *   - the other routes' errors during the fault (they must keep working);
 *   - time from the server being back (up returned / SIGCONT) to those routes answering 2xx
 *     again, without restarting the portal;
 *   - writes: all along, alice saves a user setting (PUT /api/user-settings/...) every 2 s and
 *     admin adds a member to a database role (PUT /api/rbac/roles/load-writes/members) every 5 s;
 *     every acknowledged write is checked to be there after each fault (0 lost);
 *   - the UI: Chromium (Debian's, through Playwright) signed in as admin opens the affected tab
 *     during the fault and waits for the error panel naming the upstream (FAULT_UI=0: skip).
 * Everything is restarted and checked with `stack.sh status` at the end, also on failure.
 * Writes e2e/artifacts/reliability/faults.{json,md}.
 *
 * Env: FAULTS (comma list of fault ids, default all: see TARGETS), FAULT_HOLD_S (20), FAULT_HANG_S (30), FAULT_VUS (10),
 * FAULT_UI (1). Run: eval "$(./kubemate env)"; node deploy/reliability/faults.mjs
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import {
  artifactsDir,
  BASE,
  fmt,
  log,
  mdTable,
  runVirtualUsers,
  sleep,
  startBackend,
  startTokens,
  TABS,
  tabOpening,
} from '../../bench/lib/reliability.mjs';
import { root } from '../../bench/backend.mjs';
import { writeArtifacts } from '../../bench/lib/reliability.mjs';

const HOLD_S = Number(process.env.FAULT_HOLD_S ?? 20);
/** A hang is held longer, past the upstream timeouts (15 s: its time to the first 503 is the timeout). */
const HANG_S = Number(process.env.FAULT_HANG_S ?? 30);
const VUS = Number(process.env.FAULT_VUS ?? 10);
const UI = process.env.FAULT_UI !== '0';
const RECOVERY_TIMEOUT_S = 180;
const PROBE_TIMEOUT_MS = 120_000;
const state = process.env.KUBEMATE_STATE ?? join(root, '.kubemate');
const runDir = join(state, 'dev/run');

/**
 * The upstreams, in the order they are faulted. `proc`: the process name of `stack.sh status`;
 * `names`: how the portal's errors name it; `part`: what `stack.sh up --only` restarts; `port`:
 * where it listens; `tab`: the entity tab the UI check opens during the fault.
 */
const TARGETS = [
  {
    id: 'loki',
    proc: 'loki',
    names: /Loki/,
    part: 'telemetry',
    port: 3100,
    tab: 'logs',
  },
  {
    id: 'loki-hang',
    proc: 'loki',
    names: /Loki/,
    part: 'telemetry',
    port: 3100,
    tab: 'logs',
    hang: true,
  },
  {
    id: 'thanos-query',
    proc: 'thanos-query',
    names: /Thanos Query/,
    part: 'metrics',
    port: 10904,
    tab: 'metrics',
  },
  {
    id: 'thanos-query-hang',
    proc: 'thanos-query',
    names: /Thanos Query/,
    part: 'metrics',
    port: 10904,
    tab: 'metrics',
    hang: true,
  },
  {
    id: 'alertmanager',
    proc: 'alertmanager',
    names: /Alertmanager/,
    part: 'metrics',
    port: 9093,
    tab: 'metrics',
  },
  {
    id: 'jaeger',
    proc: 'jaeger',
    names: /Jaeger/,
    part: 'telemetry',
    port: 16686,
    tab: 'traces',
  },
  {
    id: 'dev-cluster-apiserver',
    proc: 'dev-cluster-apiserver',
    names: /dev-cluster/,
    ui: /dev-cluster could not be read|Kubernetes cluster dev-cluster/,
    part: 'kubernetes',
    port: 6443,
    tab: 'cluster-ops',
  },
  {
    id: 'dev-cluster-apiserver-hang',
    proc: 'dev-cluster-apiserver',
    names: /dev-cluster/,
    ui: /dev-cluster could not be read|Kubernetes cluster dev-cluster/,
    part: 'kubernetes',
    port: 6443,
    tab: 'cluster-ops',
    hang: true,
  },
  {
    id: 'prod-cluster-apiserver',
    proc: 'prod-cluster-apiserver',
    names: /prod-cluster/,
    ui: /prod-cluster could not be read|Kubernetes cluster prod-cluster/,
    part: 'kubernetes',
    port: 6444,
    tab: 'cluster-ops',
  },
  {
    id: 'postgres',
    proc: 'postgres',
    names: /PostgreSQL/,
    // the app's session refresh needs the database too: the page says it is not signed in
    ui: /PostgreSQL|not appear to be signed in/,
    part: 'postgres',
    port: 5433,
    tab: 'findings',
  },
  {
    id: 'redis',
    proc: 'redis',
    names: /Redis/,
    part: 'rag',
    port: 6380,
    tab: 'docs-qa',
  },
  {
    id: 'minio',
    proc: 'minio',
    names: /MinIO/,
    part: 'rag',
    port: 9400,
    tab: 'docs-qa',
  },
  {
    id: 'milvus',
    proc: 'milvus',
    names: /Milvus/,
    part: 'rag',
    port: 19530,
    tab: 'docs-qa',
  },
  {
    id: 'ollama',
    proc: 'ollama',
    names: /Ollama/,
    part: 'rag',
    port: 11434,
    tab: 'docs-qa',
  },
  {
    id: 'mlflow',
    proc: 'mlflow',
    names: /MLflow/,
    part: 'finetuning',
    port: 9330,
    tab: 'finetuning',
  },
  {
    id: 'git-server',
    proc: 'git-server',
    names: /Git|git-server|8929/,
    part: 'git',
    port: 8929,
    tab: 'pipelines',
    // no entity tab reads the Git host (templates and pipeline runs clone from it)
    noUi: true,
  },
];

/** Every tab's calls as admin, plus the RAG status (it reports each RAG upstream's health). */
function probeCalls() {
  const seen = new Map();
  for (const tab of Object.keys(TABS))
    for (const c of tabOpening('admin', tab, () => 0))
      if (!seen.has(c.route))
        seen.set(c.route, {
          ...c,
          fresh: () =>
            tabOpening('admin', tab, () => 0).find(x => x.route === c.route),
        });
  seen.set('rag status', {
    route: 'rag status',
    method: 'GET',
    path: '/api/rag/status',
    tab: 'docs-qa',
    fresh: () => ({
      route: 'rag status',
      method: 'GET',
      path: '/api/rag/status',
    }),
  });
  seen.set('finetuning datasets', {
    route: 'finetuning datasets',
    method: 'GET',
    path: '/api/finetuning/datasets',
    tab: 'finetuning',
    fresh: () => ({
      route: 'finetuning datasets',
      method: 'GET',
      path: '/api/finetuning/datasets',
    }),
  });
  return [...seen.values()];
}

// ------------------------------------------------------------------------------------ stack

const pidOf = proc =>
  Number(readFileSync(join(runDir, `${proc}.pid`), 'utf8').trim());

/**
 * What to signal: the recorded process's whole process group when it leads one (stack.sh starts
 * each server with setsid; MLflow's uvicorn worker, for one, outlives a parent killed alone and
 * keeps the port), else the process.
 */
function signalTarget(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
  return pgrp === pid ? -pid : pid;
}

function stackUp(part) {
  return new Promise(resolve => {
    const t0 = Date.now();
    execFile(
      'bash',
      [join(root, 'deploy/dev/stack.sh'), 'up', '--only', part],
      { maxBuffer: 64 << 20 },
      (err, stdout, stderr) =>
        resolve({
          ok: !err,
          ms: Date.now() - t0,
          tail: `${stdout}${stderr}`.split('\n').slice(-8).join('\n'),
        }),
    );
  });
}

const portOpen = port =>
  new Promise(resolve => {
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(1000);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.once('timeout', () => {
      s.destroy();
      resolve(false);
    });
  });

// ------------------------------------------------------------------------------------ probes

/** Each route in its own loop, one request at a time, 1 s apart: every answer recorded. */
function startProbes(tokens, records) {
  let stopped = false;
  const loops = probeCalls().map(async p => {
    while (!stopped) {
      const c = p.fresh();
      const sent = Date.now();
      let status;
      let text = '';
      try {
        const res = await fetch(`${BASE}${c.path}`, {
          method: c.method,
          body: c.body,
          headers: {
            authorization: `Bearer ${tokens.admin}`,
            ...(c.body ? { 'content-type': 'application/json' } : {}),
          },
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        });
        status = res.status;
        text = await res.text();
      } catch (e) {
        status =
          e.name === 'TimeoutError'
            ? 'timeout'
            : `fetch-error ${e.cause?.code ?? e.message}`;
      }
      const good = typeof status === 'number' && status >= 200 && status < 300;
      records.push({
        failed: good ? failedParts(text) : undefined,
        route: p.route,
        sent,
        done: Date.now(),
        ms: Date.now() - sent,
        status,
        text: text.slice(0, 2000),
      });
      await sleep(1000);
    }
  });
  return async () => {
    stopped = true;
    await Promise.all(loops);
  };
}

/**
 * The failed parts of a 2xx answer, as text: multi-cluster answers carry a per-cluster `error`,
 * the RAG status an upstream with `ok: false`, lists an `error` next to what could be read.
 */
function failedParts(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return '';
  }
  const parts = [];
  const walk = (v, depth) => {
    if (!v || typeof v !== 'object' || depth > 6) return;
    if (
      !Array.isArray(v) &&
      ((typeof v.error === 'string' && v.error) || v.ok === false)
    )
      parts.push(JSON.stringify(v).slice(0, 500));
    for (const x of Object.values(v)) walk(x, depth + 1);
  };
  walk(body, 0);
  return parts.join('\n');
}

/** Does this answer say the upstream is down? A non-2xx naming it, or a failed part naming it. */
function namesUpstream(r, target) {
  if (typeof r.status !== 'number') return false;
  if (r.status < 200 || r.status >= 300) return target.names.test(r.text);
  return target.names.test(r.failed ?? '');
}
const ok = r =>
  typeof r.status === 'number' && r.status >= 200 && r.status < 300;

// ------------------------------------------------------------------------------------ writes

/** alice's user setting every 2 s, a member added to admin's role every 5 s; acknowledged ones kept. */
async function startWriter(tokens) {
  const acked = { settings: [], members: [] };
  const attempts = { settings: 0, members: 0 };
  const api = async (method, path, user, body) => {
    const res = await fetch(`${BASE}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${tokens[user]}`,
        'content-type': 'application/json',
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    return { status: res.status, body: await res.text() };
  };
  const role = {
    name: 'load-writes',
    title: 'Load run writes',
    scope: { type: 'namespaces', namespaces: ['kubemate-load-writes'] },
    permissions: ['clusters.pod.logs'],
    members: [],
  };
  const created = await api('POST', '/api/rbac/roles', 'admin', role);
  if (
    created.status !== 201 &&
    created.status !== 200 &&
    created.status !== 409
  )
    throw new Error(
      `creating role load-writes: ${created.status} ${created.body}`,
    );
  let stopped = false;
  let n = 0;
  const settingsLoop = (async () => {
    while (!stopped) {
      const key = `fault-write-${++n}`;
      attempts.settings++;
      try {
        const r = await api(
          'PUT',
          `/api/user-settings/buckets/kubemate-load/keys/${key}`,
          'alice',
          { value: { n } },
        );
        if (r.status === 200) acked.settings.push({ key, n, t: Date.now() });
      } catch {
        /* not acknowledged */
      }
      await sleep(2000);
    }
  })();
  let m = 0;
  const membersLoop = (async () => {
    while (!stopped) {
      const ref = `user:default/load-writer-${++m}`;
      attempts.members++;
      try {
        const members = [...acked.members.map(x => x.ref), ref];
        const r = await api(
          'PUT',
          '/api/rbac/roles/load-writes/members',
          'admin',
          { members },
        );
        if (r.status === 200) acked.members.push({ ref, t: Date.now() });
      } catch {
        /* not acknowledged */
      }
      await sleep(5000);
    }
  })();
  /** Reads every acknowledged write back: the ones missing. */
  const verify = async () => {
    const missing = [];
    const role = await api('GET', '/api/rbac/roles/load-writes', 'admin');
    if (role.status !== 200)
      throw new Error(`reading role load-writes: ${role.status} ${role.body}`);
    const members = new Set(JSON.parse(role.body).members);
    for (const x of acked.members) if (!members.has(x.ref)) missing.push(x.ref);
    // every acknowledged setting, 10 reads at a time
    const settings = [...acked.settings];
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        for (let x = settings.shift(); x; x = settings.shift()) {
          const r = await api(
            'GET',
            `/api/user-settings/buckets/kubemate-load/keys/${x.key}`,
            'alice',
          );
          if (r.status !== 200 || JSON.parse(r.body).value?.n !== x.n)
            missing.push(`setting ${x.key} (${r.status})`);
        }
      }),
    );
    return {
      acknowledged: acked.settings.length + acked.members.length,
      attempts: attempts.settings + attempts.members,
      missing,
    };
  };
  return {
    verify,
    stop: async () => {
      stopped = true;
      await Promise.all([settingsLoop, membersLoop]);
      await api('DELETE', '/api/rbac/roles/load-writes', 'admin').catch(
        () => undefined,
      );
    },
  };
}

// ------------------------------------------------------------------------------------ UI

async function startBrowser() {
  const { chromium } = await import('@playwright/test');
  const browser = await chromium.launch({
    executablePath: process.env.KUBEMATE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const page = await browser.newPage({ baseURL: BASE });
  await page.goto('/');
  await page.getByRole('button', { name: 'Sign in as admin' }).click();
  await page
    .getByRole('heading', { name: 'Kubemate Catalog' })
    .waitFor({ timeout: 60_000 });
  return { browser, page };
}

const TAB_URL = {
  logs: '/catalog/default/component/payments-api/logs',
  metrics: '/catalog/default/component/payments-api/metrics',
  traces: '/catalog/default/component/payments-api/traces',
  'cluster-ops': '/catalog/default/component/payments-api/cluster-ops',
  findings: '/catalog/default/component/payments-api',
  'docs-qa': '/catalog/default/component/payments-api/docs-qa',
  finetuning: '/catalog/default/component/fraud-model-lora/finetuning',
  pipelines: '/catalog/default/component/payments-api/pipelines',
};

/** Opens the tab and waits (60 s) for text naming the upstream; a screenshot either way. */
async function uiCheck(ui, target) {
  const shot = join(artifactsDir, `fault-${target.id}.png`);
  const t0 = Date.now();
  try {
    await ui.page.goto(TAB_URL[target.tab], { timeout: 60_000 });
    await ui.page
      .getByText(target.ui ?? target.names)
      .first()
      .waitFor({ timeout: 30_000 });
    const text = (
      await ui.page
        .getByText(target.ui ?? target.names)
        .first()
        .innerText()
    ).slice(0, 300);
    await ui.page.screenshot({ path: shot });
    return { shown: true, ms: Date.now() - t0, text, screenshot: shot };
  } catch (e) {
    await ui.page.screenshot({ path: shot }).catch(() => undefined);
    return {
      shown: false,
      ms: Date.now() - t0,
      error: e.message.split('\n')[0],
      screenshot: shot,
    };
  }
}

// ------------------------------------------------------------------------------------ one fault

async function runFault(target, ctx) {
  const { probes, load } = ctx;
  log(
    `--- ${target.id}: ${target.hang ? 'SIGSTOP' : 'SIGKILL'} ${target.proc}`,
  );
  const pid = signalTarget(pidOf(target.proc));
  const t0 = Date.now();
  process.kill(pid, target.hang ? 'SIGSTOP' : 'SIGKILL');
  const ui =
    ctx.ui && !target.noUi
      ? uiCheck(ctx.ui, target)
      : Promise.resolve(undefined);
  await sleep((target.hang ? HANG_S : HOLD_S) * 1000);
  const uiResult = await ui;
  const restartAt = Date.now();
  let restart;
  let portAt;
  if (target.hang) {
    process.kill(pid, 'SIGCONT');
    restart = { ok: true, ms: 0, how: 'SIGCONT' };
  } else {
    let watching = true;
    const portWatch = (async () => {
      while (watching && !portAt) {
        if (await portOpen(target.port)) portAt = Date.now();
        else await sleep(200);
      }
    })();
    restart = {
      ...(await stackUp(target.part)),
      how: `stack.sh up --only ${target.part}`,
    };
    watching = false;
    await portWatch;
    if (!restart.ok)
      log(`stack.sh up --only ${target.part} failed:\n${restart.tail}`);
  }
  const backAt = Date.now();
  log(
    `${target.id}: back after ${fmt((backAt - restartAt) / 1000, 1)} s (${
      restart.how
    })`,
  );

  // the answers while it was down: requests that ended after the fault and were sent before it
  // was back (read once they have ended: a request may hang through the fault)
  const during = () => probes.filter(r => r.done > t0 && r.sent < restartAt);
  const tabRoutes = tabOpening('admin', target.tab, () => 0)
    .map(c => c.route)
    .filter(r => r !== 'catalog entity');
  // the routes that named it, and its tab's own calls (which should)
  const affectedNow = () =>
    [
      ...new Set([
        ...tabRoutes,
        ...during()
          .filter(r => namesUpstream(r, target))
          .map(r => r.route),
      ]),
    ].sort();
  // recovery: every affected route answers 2xx three times in a row; the time is that of the
  // first of them (a request that hung through the fault and then succeeded counts from its end)
  const recoveredRouteAt = route => {
    const after = probes.filter(r => r.route === route && r.done > t0);
    const lastBad = after.findLastIndex(
      r => !ok(r) || namesUpstream(r, target),
    );
    const good = after.slice(lastBad + 1).filter(r => r.sent >= restartAt);
    if (good.length < 3) return undefined;
    return Math.max(good[0].done, lastBad >= 0 ? after[lastBad].done : 0);
  };
  const deadline = backAt + RECOVERY_TIMEOUT_S * 1000;
  let recoveredAt;
  while (Date.now() < deadline) {
    const times = affectedNow().map(recoveredRouteAt);
    if (times.every(t => t !== undefined)) {
      recoveredAt = Math.max(...times);
      break;
    }
    await sleep(500);
  }
  const naming = during()
    .filter(r => namesUpstream(r, target))
    .sort((a, b) => a.done - b.done);
  const named = [...new Set(naming.map(r => r.route))].sort();
  const affected = affectedNow();
  // the longest request on the affected routes sent while it was down (probes and load)
  const sentDuring = r => r.t - r.ms >= t0 && r.t - r.ms < restartAt;
  const onAffected = [...during(), ...load.filter(sentDuring)].filter(r =>
    affected.includes(r.route),
  );
  const maxLatencyMs = onAffected.length
    ? Math.max(...onAffected.map(r => r.ms))
    : undefined;
  // the other routes while it was down and coming back: the background load's requests
  const others = load.filter(
    r => r.t - r.ms >= t0 && r.t < backAt && !affected.includes(r.route),
  );
  const otherErrors = others.filter(r => !ok(r));
  const writes = await ctx.writer.verify();
  // "back": its port open again (kill; `up` returns later, after its readiness checks) or SIGCONT
  const serverBackAt = portAt ?? backAt;
  const result = {
    id: target.id,
    proc: target.proc,
    fault: target.hang
      ? 'hang (SIGSTOP/SIGCONT)'
      : 'kill (SIGKILL, stack.sh up)',
    heldS: (restartAt - t0) / 1000,
    namedBy: named,
    affectedRoutes: affected,
    timeToFirstErrorS: naming.length ? (naming[0].done - t0) / 1000 : undefined,
    firstError: naming[0]?.text.slice(0, 400),
    firstErrorStatus: naming[0]?.status,
    maxLatencyMs,
    otherRequests: others.length,
    otherErrors: otherErrors.length,
    otherErrorSamples: otherErrors
      .slice(0, 5)
      .map(r => `${r.route} ${r.status}`),
    restart,
    restartS: (backAt - restartAt) / 1000,
    portOpenS: portAt ? (portAt - restartAt) / 1000 : undefined,
    recovered: recoveredAt !== undefined,
    recoveryS:
      recoveredAt === undefined
        ? undefined
        : Math.max(0, recoveredAt - serverBackAt) / 1000,
    writesAcknowledged: writes.acknowledged,
    writesAttempted: writes.attempts,
    writesLost: writes.missing.length,
    lostSamples: writes.missing.slice(0, 5),
    ui: uiResult,
    // what the affected routes answered from the fault until recovered (for reading the table)
    probes: probes
      .filter(
        r =>
          affected.includes(r.route) &&
          r.sent >= t0 &&
          r.sent < (recoveredAt ?? Date.now()),
      )
      .map(r => ({
        route: r.route,
        sentS: (r.sent - t0) / 1000,
        ms: r.ms,
        status: r.status,
        names: namesUpstream(r, target),
        text: ok(r)
          ? r.failed?.slice(0, 200) || undefined
          : r.text.slice(0, 200),
      })),
  };
  log(
    `${target.id}: first error ${fmt(result.timeToFirstErrorS, 1)} s on ${
      named.join(', ') || 'no route'
    }; max latency ${fmt(maxLatencyMs)} ms; others ${otherErrors.length}/${
      others.length
    } errors; up took ${fmt(result.restartS, 1)} s, recovered ${fmt(
      result.recoveryS,
      1,
    )} s after the server was back; writes ${
      writes.acknowledged
    } acknowledged, ${writes.missing.length} lost${
      uiResult
        ? `; UI ${
            uiResult.shown ? 'shows it' : `did not show it (${uiResult.error})`
          }`
        : ''
    }`,
  );
  await sleep(5000); // settle before the next fault
  return result;
}

// ------------------------------------------------------------------------------------ main

function stackStatus() {
  return new Promise(resolve =>
    execFile(
      'bash',
      [join(root, 'deploy/dev/stack.sh'), 'status', '--quiet'],
      err => resolve(!err),
    ),
  );
}

async function main() {
  const only = process.env.FAULTS?.split(',').filter(Boolean);
  const targets = only ? TARGETS.filter(t => only.includes(t.id)) : TARGETS;
  if (!targets.length)
    throw new Error(`FAULTS: none of ${TARGETS.map(t => t.id).join(', ')}`);
  mkdirSync(artifactsDir, { recursive: true });
  const backend = await startBackend({
    logFile: join(artifactsDir, 'faults-backend.log'),
  });
  const tokens = await startTokens();
  const probes = [];
  const load = [];
  let stopProbes;
  let run;
  let writer;
  let ui;
  const results = [];
  const startedAt = new Date().toISOString();
  try {
    writer = await startWriter(tokens.tokens);
    run = runVirtualUsers({
      vus: VUS,
      durationS: 24 * 3600,
      tokens: tokens.tokens,
      record: r => load.push(r),
      timeoutS: 120,
    });
    stopProbes = startProbes(tokens.tokens, probes);
    if (UI) ui = await startBrowser();
    await sleep(15_000); // baseline
    const baselineErrors = probes.filter(r => !ok(r));
    for (const r of baselineErrors)
      log(
        `baseline probe error: ${r.route} ${r.status} ${r.text.slice(0, 300)}`,
      );
    for (const target of targets) {
      try {
        results.push(await runFault(target, { probes, load, writer, ui }));
      } catch (e) {
        log(`${target.id}: ${e.stack}`);
        results.push({ id: target.id, error: e.message });
        try {
          process.kill(signalTarget(pidOf(target.proc)), 'SIGCONT');
        } catch {
          /* not stopped */
        }
        await stackUp(target.part);
      }
    }
  } finally {
    await stopProbes?.();
    run?.stop();
    const finalWrites = await writer
      ?.verify()
      .catch(e => ({ error: e.message }));
    await writer?.stop().catch(() => undefined);
    await ui?.browser.close().catch(() => undefined);
    tokens.stop();
    await backend.stop();
    // every upstream running again
    if (!(await stackStatus())) {
      log('bringing the stack back: stack.sh up');
      await new Promise(r =>
        execFile(
          'bash',
          [join(root, 'deploy/dev/stack.sh'), 'up'],
          { maxBuffer: 64 << 20 },
          r,
        ),
      );
    }
    const allUp = await stackStatus();
    log(
      `stack.sh status: ${
        allUp
          ? 'every server running and ready'
          : 'NOT all ready (bash deploy/dev/stack.sh status)'
      }`,
    );
    await report({ startedAt, results, finalWrites, allUp, load });
  }
}

async function report({ startedAt, results, finalWrites, allUp, load }) {
  const rows = results.map(r =>
    r.error
      ? [r.id, `failed: ${r.error}`, '', '', '', '', '', '', '']
      : [
          r.id,
          r.fault,
          r.namedBy.join(', ') ||
            `– (none named it; tab: ${r.affectedRoutes.join(', ')})`,
          r.timeToFirstErrorS === undefined
            ? '–'
            : `${fmt(r.timeToFirstErrorS, 1)} s`,
          r.maxLatencyMs === undefined ? '–' : `${fmt(r.maxLatencyMs)} ms`,
          `${r.otherErrors} / ${r.otherRequests}`,
          r.portOpenS !== undefined
            ? `${fmt(r.portOpenS, 1)} s (${fmt(r.restartS, 1)} s)`
            : 'SIGCONT',
          r.recovered ? `${fmt(r.recoveryS, 1)} s` : 'NOT within 180 s',
          `${r.writesAcknowledged} / ${r.writesLost}`,
          r.ui
            ? r.ui.shown
              ? `error panel (${fmt(r.ui.ms / 1000, 1)} s)`
              : `not shown: ${r.ui.error}`
            : '–',
        ],
  );
  const md = [
    `# Faults under load`,
    '',
    `Started ${startedAt}. The built backend (NODE_ENV=production, PostgreSQL) on the full dev stack with ${VUS} virtual users browsing every tab in the background; each upstream stopped (kill: SIGKILL, ${HOLD_S} s, then \`stack.sh up --only <part>\`; hang: SIGSTOP, ${HANG_S} s, then SIGCONT), the portal never restarted. Probes: every tab's calls as admin, each route once a second. Writes all along: alice's user settings every 2 s, members of admin's database role every 5 s, every acknowledged one read back after each fault.`,
    '',
    mdTable(
      [
        'fault',
        'how',
        'routes that named it',
        'time to first error',
        'max latency during fault',
        "other routes' errors",
        'server back: port open (stack.sh up returned)',
        'routes 2xx again after the server is back',
        'writes acknowledged / lost',
        'UI',
      ],
      rows,
    ),
    '',
    `Load requests in total: ${load.length}. Writes at the end: ${
      finalWrites?.error
        ? `check failed: ${finalWrites.error}`
        : `${finalWrites?.acknowledged} acknowledged of ${finalWrites?.attempts} attempted, ${finalWrites?.missing?.length} lost`
    }. Every upstream running again at the end: ${allUp ? 'yes' : 'NO'}.`,
    '',
    '## First error per fault',
    '',
    ...results
      .filter(r => !r.error)
      .map(
        r =>
          `- **${r.id}** (${r.firstErrorStatus ?? '–'}): ${
            r.firstError
              ? `\`${r.firstError
                  .replace(/`/g, "'")
                  .replace(/\s+/g, ' ')
                  .slice(0, 300)}\``
              : '–'
          }${
            r.otherErrorSamples.length
              ? `; other routes' errors: ${r.otherErrorSamples.join(', ')}`
              : ''
          }`,
      ),
    '',
  ].join('\n');
  const files = await writeArtifacts(
    'faults',
    {
      startedAt,
      holdS: HOLD_S,
      vus: VUS,
      results,
      finalWrites,
      allUp,
      loadRequests: load.length,
    },
    md,
  );
  console.log(`\n${md}`);
  log(`report: ${files.md} and ${files.json}`);
  if (results.some(r => r.error || !r.recovered || r.writesLost) || !allUp)
    process.exitCode = 1;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
