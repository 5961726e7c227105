/*
 * Shared by the load run (bench/load.mjs) and the fault run (deploy/reliability/faults.mjs):
 *  - the backend as production runs it (built, NODE_ENV=production, the dev stack's PostgreSQL with
 *    its own database prefix) on port 7060, in its own process group;
 *  - the demo users' tokens (/api/auth/demo/refresh), refreshed before they expire;
 *  - the entity tabs and the calls each makes (read from the frontends' API clients), per user;
 *  - virtual users on autocannon (one connection per VU, a random tab every 2–5 s), with every
 *    response recorded by route, status, latency and time;
 *  - the backend's own GET /metrics sampled (RSS, event-loop lag).
 */
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import {
  createWriteStream,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  fail,
  findKubectl,
  log,
  pct,
  poll,
  readStackFile,
  root,
  sleep,
} from '../backend.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Client } = require('pg');

export const PORT = Number(process.env.RELIABILITY_PORT ?? 7060);
export const BASE = `http://localhost:${PORT}`;
/** This run's databases on the stack's PostgreSQL (dropped when the backend stops). */
export const DB_PREFIX = `kubemate_load_${Date.now()}_`;
export const USERS = ['admin', 'alice', 'bob'];
export const artifactsDir = join(root, 'e2e/artifacts/reliability');
const state = process.env.KUBEMATE_STATE ?? join(root, '.kubemate');

// ------------------------------------------------------------------------------------ backend

/**
 * Builds (deploy/test/build-backend.sh skips an up-to-date dist) and starts the backend on PORT:
 * app-config.yaml, the stack's overlay, deploy/ha's replica overlay (PostgreSQL, shared secrets)
 * and deploy/reliability/load-app-config.yaml (its own portal instance on the clusters).
 * Output goes to `logFile`. Resolves once ready and the demo users' catalog entities are in.
 */
export async function startBackend({ logFile }) {
  execFileSync('bash', [join(root, 'deploy/test/build-backend.sh')], {
    stdio: 'ignore',
  });
  const inUse = await fetch(`${BASE}/.backstage/health/v1/liveness`).then(
    () => true,
    () => false,
  );
  if (inUse) fail(`${BASE} is already in use: stop whatever listens there`);
  const pg = readStackFile().postgres ?? fail('the stack has no PostgreSQL');
  const configs = [
    'app-config.yaml',
    join(state, 'dev/app-config.stack.yaml'),
    'deploy/ha/app-config.replica.yaml',
    'deploy/reliability/load-app-config.yaml',
  ].map(f => (f.startsWith('/') ? f : join(root, f)));
  mkdirSync(artifactsDir, { recursive: true });
  const out = [];
  const proc = spawn(
    process.execPath,
    ['dist/start-in-workspace.cjs', ...configs.flatMap(c => ['--config', c])],
    {
      cwd: join(root, 'packages/backend'),
      detached: true,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        KUBEMATE_HA_URL: BASE,
        KUBEMATE_HA_REPLICA_PORT: String(PORT),
        KUBEMATE_HA_DB_PREFIX: DB_PREFIX,
        POSTGRES_HOST: pg.host,
        POSTGRES_PORT: String(pg.port),
        POSTGRES_USER: pg.user,
        POSTGRES_PASSWORD: pg.password,
        KUBEMATE_HA_BACKEND_SECRET: 'kubemate-load-backend-secret-0001',
        KUBEMATE_HA_SESSION_SECRET: 'kubemate-load-session-secret-0001',
        KUBEMATE_AUTOMATION_TOKEN: 'kubemate-load-automation-token-0001',
      },
    },
  );
  // the whole output to the log file, the last of it in memory for a failed start
  const file = createWriteStream(logFile);
  const keep = chunk => {
    if (!file.writableEnded) file.write(chunk);
    out.push(String(chunk));
    if (out.length > 200) out.splice(0, out.length - 200);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const backend = {
    proc,
    pid: proc.pid,
    stop: async () => {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise(r => proc.once('exit', r));
      process.kill(-proc.pid, 'SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      if (proc.exitCode === null && proc.signalCode === null)
        try {
          process.kill(-proc.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      file.end();
      await cleanUp(pg).catch(e => log(`clean-up: ${e.message}`));
    },
  };
  try {
    await poll('backend readiness', 240_000, async () => {
      if (proc.exitCode !== null)
        fail(`backend exited: ${out.join('').slice(-3000)}`);
      const res = await fetch(`${BASE}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    });
    await poll('catalog ingestion', 240_000, async () => {
      const res = await fetch(
        `${BASE}/api/catalog/entities/by-name/component/default/fraud-model-lora`,
        {
          headers: {
            authorization: 'Bearer kubemate-load-automation-token-0001',
          },
        },
      );
      return res.ok ? true : undefined;
    });
  } catch (e) {
    await backend.stop();
    throw e;
  }
  return backend;
}

/**
 * Drops this run's databases (and those of runs that died before dropping theirs) and removes what
 * the portal instance kubemate-load's RBAC sync created on the clusters.
 */
async function cleanUp(pg) {
  const client = new Client({
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database: pg.database,
  });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT datname FROM pg_database WHERE datname LIKE 'kubemate\\_load\\_%'",
    );
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
  const kubeconfig = readStackFile().kubeconfig;
  for (const c of readStackFile().clusters ?? []) {
    for (const args of [
      [
        'delete',
        'rolebindings,roles,clusterrolebindings,clusterroles',
        '-A',
        '-l',
        'rbac.kubemate.io/instance=kubemate-load',
        '--ignore-not-found',
      ],
      [
        'delete',
        'namespace',
        'kubemate-load-users',
        '--ignore-not-found',
        '--wait=false',
      ],
    ])
      try {
        execFileSync(
          findKubectl(),
          ['--kubeconfig', kubeconfig, '--context', c.name, ...args],
          { stdio: 'ignore', timeout: 60_000 },
        );
      } catch {
        /* the cluster is down: left for the next run */
      }
  }
}

// ------------------------------------------------------------------------------------ tokens

/** Demo users' tokens, refreshed every 10 minutes (Backstage user tokens live an hour). */
export async function startTokens() {
  const tokens = {};
  const refresh = async user => {
    tokens[user] = await poll(`sign-in as ${user}`, 120_000, async () => {
      const res = await fetch(`${BASE}/api/auth/demo/refresh`, {
        headers: { 'x-kubemate-demo-user': user },
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json())?.backstageIdentity?.token || undefined;
    });
  };
  await Promise.all(USERS.map(refresh));
  const timer = setInterval(
    () =>
      USERS.forEach(u =>
        refresh(u).catch(e => log(`token refresh of ${u}: ${e.message}`)),
      ),
    10 * 60_000,
  );
  return { tokens, stop: () => clearInterval(timer) };
}

// ------------------------------------------------------------------------------------ tabs

/** The components each demo user browses (what their teams own; admin all of them). */
export const ENTITIES = {
  admin: ['payments-api', 'risk-engine', 'docs-assistant'],
  alice: ['payments-api'],
  bob: ['risk-engine', 'docs-assistant'],
};
/** The Fine-tuning tab is on the ML component (owned by team-payments). */
const FINETUNING_ENTITY = {
  admin: 'fraud-model-lora',
  alice: 'fraud-model-lora',
};
const NAMESPACE = {
  'risk-engine': 'risk-dev',
  'docs-assistant': 'ai-platform',
};

const get = (route, path) => ({ route, method: 'GET', path });
const post = (route, path, body) => ({
  route,
  method: 'POST',
  path,
  body: JSON.stringify(body),
});

/**
 * The calls of each entity tab on open, as the frontend makes them (plugins/<cap>/src/api/*Client.ts
 * and the tab's hooks), plus the catalog entity fetch of the entity page. `upstreams` are the
 * servers behind the tab's own calls (the fault run's "routes that use it").
 */
export const TABS = {
  'cluster-ops': {
    upstreams: ['dev-cluster', 'prod-cluster'],
    calls: e => [get('clusters workloads', `/api/clusters${e.path}/workloads`)],
  },
  metrics: {
    upstreams: ['thanos-query', 'alertmanager'],
    calls: e => {
      const end = Math.floor(Date.now() / 1000);
      return [
        get(
          'metrics golden-signals',
          `/api/metrics${e.path}/golden-signals?start=${end - 3600}&end=${end}`,
        ),
        get('metrics entity alerts', `/api/metrics${e.path}/alerts`),
      ];
    },
  },
  logs: {
    upstreams: ['loki'],
    calls: e => {
      const end = Math.floor(Date.now() / 1000);
      const ns = NAMESPACE[e.name];
      const query = `{app="${e.name}"${ns ? `, namespace="${ns}"` : ''}}`;
      const range = { start: end - 3600, end, entityRef: e.ref };
      return [
        post('logs query', '/api/logs/query', { query, ...range, limit: 2000 }),
        post('logs volume', '/api/logs/volume', { query, ...range }),
      ];
    },
  },
  traces: {
    upstreams: ['jaeger'],
    calls: e => [
      get(
        'traces search',
        `/api/traces${e.path}/traces?lookback=1h&limit=20&errorsOnly=false`,
      ),
      get('traces dependencies', `/api/traces${e.path}/dependencies`),
    ],
  },
  pipelines: {
    upstreams: ['dev-cluster', 'prod-cluster'],
    calls: e => [
      get('pipelines runs', `/api/pipelines${e.path}/runs`),
      get('pipelines pipelines', `/api/pipelines${e.path}/pipelines`),
    ],
  },
  releases: {
    // bob's roles (catalog/rbac-roles.yaml) do not grant canary.release.read
    users: ['admin', 'alice'],
    upstreams: ['dev-cluster', 'prod-cluster'],
    calls: e => [get('canary releases', `/api/canary${e.path}/releases`)],
  },
  findings: {
    upstreams: ['postgres'],
    calls: e => [
      get('inspections findings', `/api/inspections${e.path}/findings`),
    ],
  },
  gpu: {
    upstreams: ['dev-cluster', 'prod-cluster', 'thanos-query'],
    calls: e => [get('gpu entity', `/api/gpu${e.path}?minutes=60`)],
  },
  finetuning: {
    upstreams: ['dev-cluster', 'mlflow'],
    entity: user => FINETUNING_ENTITY[user],
    calls: e => [get('finetuning entity jobs', `/api/finetuning${e.path}`)],
  },
  'docs-qa': {
    upstreams: ['milvus', 'redis', 'minio', 'ollama'],
    calls: () => [
      get('rag collections', '/api/rag/collections'),
      get('rag history', '/api/rag/history?limit=50'),
      get('rag models', '/api/rag/models'),
    ],
  },
};

const entityOf = name => ({
  name,
  ref: `component:default/${name}`,
  path: `/entity/component/default/${name}`,
});

/** One tab opening of `user`: the catalog fetch of the page, then the tab's own calls. */
export function tabOpening(user, tabName, rnd = Math.random) {
  const tab = TABS[tabName];
  const names = ENTITIES[user];
  const name = tab.entity
    ? tab.entity(user)
    : names[Math.floor(rnd() * names.length)];
  if (!name) return undefined;
  const e = entityOf(name);
  return [
    get(
      'catalog entity',
      `/api/catalog/entities/by-name/component/default/${name}`,
    ),
    ...tab.calls(e),
  ].map(c => ({ ...c, tab: tabName, user }));
}

/** The tabs `user` opens (Fine-tuning where the user sees the ML component, Releases where allowed). */
export const tabsOf = user =>
  Object.keys(TABS).filter(
    t =>
      (!TABS[t].entity || TABS[t].entity(user)) &&
      (!TABS[t].users || TABS[t].users.includes(user)),
  );

// ------------------------------------------------------------------------------------ load

/**
 * Virtual users on autocannon: `vus` connections to the backend, VU i signed in as
 * USERS[i % 3]; each opens a random tab of its user (its calls one after the other on its
 * connection, like a page's loads), then thinks 2–5 s (uniform) before the next tab.
 * autocannon has no think time of its own: its setupClient hook delays the connection's next
 * request at a tab boundary. Every response (and every timeout: `timeoutS`) goes to `record`
 * as { t, route, tab, user, status, ms }. Resolves with autocannon's own result when
 * `durationS` is over (or `stop()` is called).
 */
export function runVirtualUsers({
  vus,
  durationS,
  tokens,
  record,
  timeoutS = 30,
  thinkMs = [2000, 5000],
  tabs,
}) {
  let vuIndex = 0;
  const instance = autocannon(
    {
      url: BASE,
      connections: vus,
      duration: durationS,
      timeout: timeoutS,
      pipelining: 1,
      setupClient: client => {
        const user = USERS[vuIndex++ % USERS.length];
        const userTabs = tabsOf(user).filter(t => !tabs || tabs.includes(t));
        // queue: the rest of the tab being opened; inflight: the request on the wire
        const vu = {
          queue: [],
          inflight: undefined,
          waiting: false,
          error: '',
        };
        const finish = status => {
          const c = vu.inflight;
          if (!c) return;
          vu.inflight = undefined;
          record({
            t: Date.now(),
            route: c.route,
            tab: c.tab,
            user,
            status,
            ms: performance.now() - c.sentAt,
          });
        };
        client.setRequests([
          {
            setupRequest: req => {
              if (!vu.queue.length)
                vu.queue = tabOpening(
                  user,
                  userTabs[Math.floor(Math.random() * userTabs.length)],
                );
              const c = vu.queue.shift();
              vu.inflight = { ...c, sentAt: performance.now() };
              return {
                ...req,
                method: c.method,
                path: c.path,
                body: c.body,
                headers: {
                  authorization: `Bearer ${tokens[user]}`,
                  accept: 'application/json',
                  ...(c.body ? { 'content-type': 'application/json' } : {}),
                },
              };
            },
          },
        ]);
        client.on('response', status => finish(status));
        client.on('connError', e => {
          vu.error = `conn-error ${e.code ?? e.message}`;
        });
        // autocannon sends the next request right after a response, a timeout or a reconnect;
        // this hook adds the think time (2–5 s) before the first request of the next tab, and
        // records a request that got no response (timed out or lost with its connection)
        const doRequest = client._doRequest.bind(client);
        client._doRequest = (...args) => {
          if (vu.waiting || client.destroyed) return undefined;
          if (vu.inflight && client.reqsMade > 0) {
            finish(vu.error || 'timeout');
          }
          vu.error = '';
          const send = () => {
            // the first request was built (its clock started) when the client was set up
            if (client.reqsMade === 0 && vu.inflight)
              vu.inflight.sentAt = performance.now();
            return doRequest(...args);
          };
          if (vu.queue.length) return send();
          vu.waiting = true;
          setTimeout(() => {
            vu.waiting = false;
            if (!client.destroyed) send();
          }, thinkMs[0] + Math.random() * (thinkMs[1] - thinkMs[0]));
          return undefined;
        };
      },
    },
    () => {},
  );
  return {
    done: new Promise((resolve, reject) => {
      instance.on('done', resolve);
      instance.on('error', reject);
    }),
    stop: () => instance.stop(),
  };
}

// ------------------------------------------------------------------------------------ metrics

/** Samples the backend's GET /metrics every `everyMs`: RSS, heap, event-loop lag (prom-client). */
export function sampleBackendMetrics(everyMs = 10_000) {
  const samples = [];
  const t0 = Date.now();
  const take = async () => {
    try {
      const text = await (await fetch(`${BASE}/metrics`)).text();
      const value = name => {
        const m = text.match(
          new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm'),
        );
        return m ? Number(m[1]) : undefined;
      };
      samples.push({
        t: Date.now(),
        s: Math.round((Date.now() - t0) / 1000),
        rssMb: value('process_resident_memory_bytes') / 1048576,
        heapMb: value('nodejs_heap_size_used_bytes') / 1048576,
        lagP50Ms: value('nodejs_eventloop_lag_p50_seconds') * 1000,
        lagP99Ms: value('nodejs_eventloop_lag_p99_seconds') * 1000,
        lagMaxMs: value('nodejs_eventloop_lag_max_seconds') * 1000,
      });
    } catch (e) {
      log(`metrics sample failed: ${e.message}`);
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return { samples, stop: () => clearInterval(timer) };
}

// ------------------------------------------------------------------------------------ stats

export const fmt = (n, d = 0) =>
  n === undefined || Number.isNaN(n) ? '–' : n.toFixed(d);

/** Per route: count, errors (non-2xx by status), p50/p95/p99/max ms. */
export function routeTable(records) {
  const by = new Map();
  for (const r of records) {
    if (!by.has(r.route)) by.set(r.route, []);
    by.get(r.route).push(r);
  }
  return [...by.entries()]
    .map(([route, rs]) => {
      const ms = rs.map(r => r.ms);
      const errors = {};
      for (const r of rs)
        if (
          !(typeof r.status === 'number' && r.status >= 200 && r.status < 300)
        )
          errors[r.status] = (errors[r.status] ?? 0) + 1;
      return {
        route,
        count: rs.length,
        errors,
        errorCount: Object.values(errors).reduce((a, b) => a + b, 0),
        p50: pct(ms, 0.5),
        p95: pct(ms, 0.95),
        p99: pct(ms, 0.99),
        max: Math.max(...ms),
      };
    })
    .sort((a, b) => a.route.localeCompare(b.route));
}

export const mdTable = (head, rows) =>
  [
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${r.join(' | ')} |`),
  ].join('\n');

export async function writeArtifacts(name, json, md) {
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(
    join(artifactsDir, `${name}.json`),
    `${JSON.stringify(json, null, 2)}\n`,
  );
  // formatted as the repository's Prettier would: the measured report is committed in bench/reports/
  const prettier = require('prettier');
  writeFileSync(
    join(artifactsDir, `${name}.md`),
    await prettier.format(md, { parser: 'markdown' }),
  );
  return {
    json: join(artifactsDir, `${name}.json`),
    md: join(artifactsDir, `${name}.md`),
  };
}

export { log, pct, sleep, readFileSync };
