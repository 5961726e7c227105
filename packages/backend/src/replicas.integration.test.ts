/*
 * Integration test: two REAL backend processes (built for production, deploy/test/build-backend.sh)
 * on the dev stack's REAL PostgreSQL (a fresh database prefix per run, dropped afterwards) behind a
 * REAL HAProxy with the launcher's configuration (deploy/ha/haproxy.cfg, deploy/ha/start.sh's
 * replica overlay deploy/ha/app-config.replica.yaml), on the stack's clusters and Loki. It shows:
 *  - either replica serves any request, with tokens minted by the other;
 *  - a live tail streams end to end through the balancer;
 *  - a scaffolder task created through the balancer is claimed and run by exactly one replica;
 *  - scheduled tasks (the RBAC sync every 10 s, inspections every minute) run once per interval
 *    across both replicas, not once per replica;
 *  - writes through one replica (a role, its audit record, a fine-tuning dataset upload when the
 *    finetuning part runs) are read through the other;
 *  - SIGKILL of one replica under a write + read load through the balancer: no acknowledged write
 *    is lost, the other replica keeps serving, and the killed one rejoins rotation once restarted.
 * The numbers of the kill (requests, errors, what the failed writes did) are printed.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { DevStack, repoRoot, requireStack, waitFor } from '@kubemate/dev-stack';
import {
  BuiltBackend,
  STARTUP_TIMEOUT_MS,
  assertPortFree,
  backendApi,
  buildBackend,
  dropDatabases,
  signIn,
  startBuiltBackend,
  stopBackend,
} from './__testUtils__/builtBackend';
import {
  Haproxy,
  haproxyBinary,
  startHaproxy,
  stopHaproxy,
} from './__testUtils__/haproxy';
import { cleanUpRbacInstance } from './__testUtils__/rbacInstance';

jest.setTimeout(10 * 60_000);

const LB_PORT = 7040;
const PORTS = [7041, 7042] as const;
/** What browsers see (app and backend baseUrl of both replicas). */
const PUBLIC_URL = `http://localhost:${LB_PORT}`;
const REPLICA = PORTS.map(p => `http://localhost:${p}`);
const prefix = `kubemate_hatest_${Date.now()}_`;
const INSTANCE = 'kubemate-hatest';
const SA_NAMESPACE = 'kubemate-hatest-users';
const RBAC_INTERVAL_S = 10;
const INSPECTIONS_INTERVAL_S = 60;
const secret = () => randomBytes(24).toString('base64url');
const SECRETS = {
  KUBEMATE_HA_BACKEND_SECRET: secret(),
  KUBEMATE_HA_SESSION_SECRET: secret(),
  KUBEMATE_AUTOMATION_TOKEN: `kubemate-hatest-${secret()}`,
};

let stack: DevStack;
let lb: Haproxy | undefined;
const replicas: Array<BuiltBackend | undefined> = [undefined, undefined];
let readyAt = '';
let admin = '';
let alice = '';

function startReplica(i: 0 | 1): Promise<BuiltBackend> {
  const pg = stack.postgres!;
  return startBuiltBackend({
    baseUrl: REPLICA[i],
    configs: [
      resolve(repoRoot, 'app-config.yaml'),
      stack.appConfigFile,
      resolve(repoRoot, 'deploy/ha/app-config.replica.yaml'),
      resolve(repoRoot, 'deploy/test/app-config.ha-test.yaml'),
    ],
    env: {
      NODE_ENV: 'production',
      KUBEMATE_HA_URL: PUBLIC_URL,
      KUBEMATE_HA_REPLICA_PORT: String(PORTS[i]),
      KUBEMATE_HA_DB_PREFIX: prefix,
      POSTGRES_HOST: pg.host,
      POSTGRES_PORT: String(pg.port),
      POSTGRES_USER: pg.user,
      POSTGRES_PASSWORD: pg.password,
      ...SECRETS,
    },
  });
}

/** A query on one plugin database of this run. */
async function pluginDb<T>(
  plugin: string,
  fn: (c: Client) => Promise<T>,
): Promise<T> {
  const pg = stack.postgres!;
  const client = new Client({
    host: pg.host,
    port: pg.port,
    user: pg.user,
    password: pg.password,
    database: `${prefix}${plugin}`,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const lbApi = () => backendApi(lb!.url);
const replicaApi = (i: 0 | 1) => backendApi(REPLICA[i]);
const outputOf = (i: 0 | 1) => replicas[i]!.output.join('');

/** Start times (ms) of runs, and the shortest gap between two consecutive ones (s). */
function gaps(starts: number[]) {
  const sorted = [...starts].sort((a, b) => a - b);
  const g = sorted.slice(1).map((t, k) => (t - sorted[k]) / 1000);
  return {
    count: sorted.length,
    minGapSeconds: g.length ? Math.min(...g) : Infinity,
  };
}

beforeAll(async () => {
  if (!haproxyBinary()) {
    throw new Error(
      'haproxy is not installed: ./kubemate test installs it (ensure_test_tools), or apt-get install haproxy',
    );
  }
  // Loki (part telemetry) is used when it runs: ./kubemate test brings up the whole stack
  stack = await requireStack({ only: ['postgres', 'kubernetes'] });
  await Promise.all([PUBLIC_URL, ...REPLICA].map(u => assertPortFree(u)));
  buildBackend();
  await cleanUpRbacInstance(stack, INSTANCE, SA_NAMESPACE);
  // One after the other: the first creates the databases. (Both at once on empty databases, on
  // this loaded 2-core machine, did not get ready within the startup timeout: not shown here.)
  replicas[0] = await startReplica(0);
  replicas[1] = await startReplica(1);
  readyAt = new Date().toISOString();
  lb = await startHaproxy({
    port: LB_PORT,
    replicas: [`127.0.0.1:${PORTS[0]}`, `127.0.0.1:${PORTS[1]}`],
  });
  // the demo users sign in once the catalog (ingesting into the empty database) has them
  await waitFor(
    'catalog ingestion of the demo users',
    async () =>
      (
        await lbApi()(
          'GET',
          '/api/catalog/entities/by-name/user/default/alice',
          SECRETS.KUBEMATE_AUTOMATION_TOKEN,
        )
      ).status === 200 || undefined,
    STARTUP_TIMEOUT_MS,
  );
  admin = await signIn(lb.url, 'admin');
  alice = await signIn(lb.url, 'alice');
});

afterAll(async () => {
  await stopHaproxy(lb);
  await Promise.all(replicas.map(r => stopBackend(r)));
  if (!stack?.postgres) return;
  await dropDatabases(stack, prefix);
  await cleanUpRbacInstance(stack, INSTANCE, SA_NAMESPACE);
});

describe('two backend replicas on PostgreSQL behind HAProxy', () => {
  it('serves through the balancer from both replicas; a token minted by one is accepted by the other', async () => {
    // round robin: consecutive requests alternate once both passed haproxy's readiness checks
    const seen = new Set<string>();
    await waitFor(
      'answers from both replicas',
      async () => {
        const res = await fetch(
          `${lb!.url}/api/catalog/entities/by-name/user/default/admin`,
          { headers: { authorization: `Bearer ${admin}` } },
        );
        expect(res.status).toBe(200);
        seen.add(res.headers.get('x-kubemate-replica') ?? '');
        return seen.size === 2 || undefined;
      },
      20_000,
      100,
    );
    expect([...seen].sort()).toEqual(['replica1', 'replica2']);
    // a user token and the automation token work on each replica directly
    for (const i of [0, 1] as const) {
      expect(
        (await replicaApi(i)('GET', '/api/rbac/roles', admin)).status,
      ).toBe(200);
      expect(
        (
          await replicaApi(i)(
            'GET',
            '/api/catalog/entities/by-name/component/default/payments-api',
            SECRETS.KUBEMATE_AUTOMATION_TOKEN,
          )
        ).status,
      ).toBe(200);
    }
  });

  it('streams a live tail end to end through the balancer', async () => {
    if (!stack.telemetry) {
      // eslint-disable-next-line no-console
      console.warn(
        'live tail through the balancer not checked: the telemetry part (Loki) is not running (stack.sh up --only telemetry)',
      );
      return;
    }
    const app = `ha-tail-${randomBytes(4).toString('hex')}`;
    const marker = `through-haproxy-${randomBytes(4).toString('hex')}`;
    const controller = new AbortController();
    const res = await fetch(
      `${lb!.url}/api/logs/tail?${new URLSearchParams({
        query: `{app="${app}"}`,
      })}`,
      {
        headers: { authorization: `Bearer ${alice}` },
        signal: controller.signal,
      },
    );
    expect([
      res.status,
      res.headers.get('content-type'),
      res.status === 200 ? '' : await res.text(),
    ]).toEqual([200, expect.stringMatching(/application\/x-ndjson/), '']);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    /** Reads the stream until `needle` has arrived (the read itself waits for the next chunk). */
    const readUntil = async (needle: string) => {
      const deadline = Date.now() + 30_000;
      while (!text.includes(needle)) {
        if (Date.now() > deadline) {
          throw new Error(`no "${needle}" within 30 s: ${text}`);
        }
        const { value, done } = await reader.read();
        if (done) throw new Error(`the tail ended: ${text}`);
        text += decoder.decode(value, { stream: true });
      }
    };
    try {
      // lines pushed to Loki after the tail started arrive one after the other
      for (const n of [1, 2, 3]) {
        const push = await fetch(`${stack.telemetry!.loki}/loki/api/v1/push`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            streams: [
              {
                stream: { namespace: 'payments-dev', app, level: 'info' },
                values: [
                  [`${BigInt(Date.now()) * 1_000_000n}`, `${marker} line ${n}`],
                ],
              },
            ],
          }),
        });
        expect(push.status).toBe(204);
        await readUntil(`${marker} line ${n}`);
      }
    } finally {
      controller.abort();
    }
    const lines = text
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l))
      .flatMap((e: any) => (e.type === 'lines' ? e.lines : []))
      .map((l: any) => l.line)
      .filter((l: string) => l.includes(marker));
    expect(lines).toEqual([
      `${marker} line 1`,
      `${marker} line 2`,
      `${marker} line 3`,
    ]);
  });

  it('runs a scaffolder task created through the balancer on exactly one replica', async () => {
    const marker = `m${randomBytes(6).toString('hex')}`;
    const api = lbApi();
    await waitFor(
      'the test template in the catalog',
      async () =>
        (
          await api(
            'GET',
            '/api/catalog/entities/by-name/template/default/replicas-check',
            admin,
          )
        ).status === 200 || undefined,
      120_000,
    );
    const created = await api('POST', '/api/scaffolder/v2/tasks', admin, {
      templateRef: 'template:default/replicas-check',
      values: { marker },
    });
    expect([created.status, created.body]).toEqual([
      201,
      { id: expect.any(String) },
    ]);
    const id = created.body.id;
    const task = await waitFor(
      `scaffolder task ${id}`,
      async () => {
        // read through the balancer: either replica answers about the task
        const t = await api('GET', `/api/scaffolder/v2/tasks/${id}`, admin);
        return ['completed', 'failed', 'cancelled'].includes(t.body.status)
          ? t.body
          : undefined;
      },
      120_000,
    );
    expect(task.status).toBe('completed');
    // its events (from the database) hold each step's message once (debug:log also logs its
    // input as JSON: those lines end in `}`)
    const events = await api(
      'GET',
      `/api/scaffolder/v2/tasks/${id}/events`,
      admin,
    );
    const logs = (events.body as any[])
      .filter(e => e.type === 'log')
      .map(e => e.body.message as string)
      .filter(m => m.includes(marker) && !m.trimEnd().endsWith('}'));
    expect(logs).toEqual([
      expect.stringMatching(new RegExp(`replicas-check ${marker} start$`)),
      expect.stringMatching(new RegExp(`replicas-check ${marker} end$`)),
    ]);
    // one replica's process ran the steps (the step logs go to its own log too), not the other's
    const ranOn = ([0, 1] as const).filter(i =>
      outputOf(i).includes(`replicas-check ${marker} start`),
    );
    expect(ranOn).toHaveLength(1);
    const [worker] = ranOn;
    const other = (1 - worker) as 0 | 1;
    expect(outputOf(worker)).toContain(`replicas-check ${marker} end`);
    expect(outputOf(other)).not.toContain(marker);
    // the row was claimed once: one task, completed, in the shared database
    const rows = await pluginDb('scaffolder', c =>
      c.query('SELECT status FROM tasks WHERE id = $1', [id]),
    );
    expect(rows.rows).toEqual([{ status: 'completed' }]);
  });

  it('runs scheduled tasks once per interval across the replicas', async () => {
    // observe 10 RBAC intervals (and at least one inspections interval) since both were ready
    const windowEnd = Date.parse(readyAt) + 100_000;
    await waitFor(
      'the observation window',
      async () => Date.now() >= windowEnd || undefined,
      200_000,
      1_000,
    );
    const since = Date.parse(readyAt);
    const rbacStarts = await pluginDb('rbac', c =>
      c.query(
        'SELECT started_at FROM kubemate_rbac_sync_runs ORDER BY started_at',
      ),
    );
    const rbac = gaps(
      rbacStarts.rows
        .map(r => Date.parse(r.started_at))
        .filter(t => t >= since && t <= windowEnd),
    );
    const inspStarts = await pluginDb('inspections', c =>
      c.query(
        `SELECT started_ms FROM inspections_runs WHERE trigger = 'schedule' ORDER BY started_ms`,
      ),
    );
    const inspections = gaps(
      inspStarts.rows
        .map(r => Number(r.started_ms))
        .filter(t => t >= since && t <= windowEnd),
    );
    const windowSeconds = (windowEnd - since) / 1000;
    // eslint-disable-next-line no-console
    console.log(
      `scheduled runs in ${windowSeconds} s across 2 replicas: RBAC sync ${
        rbac.count
      } (interval ${RBAC_INTERVAL_S} s, shortest gap ${rbac.minGapSeconds.toFixed(
        1,
      )} s), inspections ${
        inspections.count
      } (interval ${INSPECTIONS_INTERVAL_S} s, shortest gap ${inspections.minGapSeconds.toFixed(
        1,
      )} s)`,
    );
    // at most one per interval (a run per replica would be twice as many, some ~0 s apart)...
    expect(rbac.count).toBeLessThanOrEqual(
      Math.floor(windowSeconds / RBAC_INTERVAL_S) + 1,
    );
    // (a run starts when a replica's scheduler polls, up to 5 s after it is due, and the next is
    // due one interval after the previous was due: two starts are at least interval - 5 s apart)
    expect(rbac.minGapSeconds).toBeGreaterThan(RBAC_INTERVAL_S - 5.5);
    expect(inspections.count).toBeLessThanOrEqual(
      Math.floor(windowSeconds / INSPECTIONS_INTERVAL_S) + 1,
    );
    expect(inspections.minGapSeconds).toBeGreaterThan(
      INSPECTIONS_INTERVAL_S * 0.8,
    );
    // ...and they do run
    expect(rbac.count).toBeGreaterThanOrEqual(3);
    expect(inspections.count).toBeGreaterThanOrEqual(1);
    // the RBAC sync status is the same on both replicas, whichever ran the last run
    const [s1, s2] = await Promise.all(
      ([0, 1] as const).map(i => replicaApi(i)('GET', '/api/rbac/sync', admin)),
    );
    expect(s1.status).toBe(200);
    expect(s1.body.lastRun).toBeDefined();
    expect(s2.body.lastRun).toEqual(s1.body.lastRun);
  });

  it('sees writes made through one replica from the other (role, audit, upload)', async () => {
    const name = `ha-write-${randomBytes(3).toString('hex')}`;
    const created = await replicaApi(0)('POST', '/api/rbac/roles', admin, {
      name,
      scope: { type: 'namespaces', namespaces: ['payments-*'] },
      permissions: ['clusters.pod.logs'],
      members: [],
    });
    expect(created.status).toBe(201);
    const read = await replicaApi(1)('GET', `/api/rbac/roles/${name}`, admin);
    expect([read.status, read.body.name]).toEqual([200, name]);
    const audit = await replicaApi(1)(
      'GET',
      `/api/rbac/audit?role=${name}`,
      admin,
    );
    expect(audit.status).toBe(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({ role: name, action: 'role.create' }),
    ]);
    // changed through replica 2, the change is what replica 1 reads
    const updated = await replicaApi(1)(
      'PUT',
      `/api/rbac/roles/${name}`,
      admin,
      {
        name,
        scope: { type: 'namespaces', namespaces: ['payments-*'] },
        permissions: ['clusters.pod.logs', 'clusters.workload.scale'],
        members: [],
      },
    );
    expect(updated.status).toBe(200);
    expect(
      (await replicaApi(0)('GET', `/api/rbac/roles/${name}`, admin)).body
        .permissions,
    ).toEqual(['clusters.pod.logs', 'clusters.workload.scale']);

    if (!stack.finetuning) {
      // eslint-disable-next-line no-console
      console.warn(
        'upload across replicas not checked: the finetuning part (MinIO) is not running (stack.sh up --only finetuning)',
      );
      return;
    }
    const dataset = `ha-${randomBytes(3).toString('hex')}`;
    const form = new FormData();
    form.set('cluster', 'dev-cluster');
    form.set('namespace', 'payments-dev');
    form.set('name', dataset);
    form.set(
      'file',
      new Blob(
        [
          `${JSON.stringify({
            instruction: 'ping',
            response: 'pong',
          })}\n${JSON.stringify({
            instruction: 'two',
            response: 'replicas',
          })}\n`,
        ],
        { type: 'application/jsonl' },
      ),
      'ha.jsonl',
    );
    const up = await fetch(`${REPLICA[0]}/api/finetuning/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice}` },
      body: form,
    });
    const upBody = await up.json();
    expect([up.status, upBody.name]).toEqual([201, dataset]);
    const listed = await replicaApi(1)(
      'GET',
      '/api/finetuning/datasets?cluster=dev-cluster&namespace=payments-dev',
      alice,
    );
    expect(listed.body.items.map((d: any) => d.name)).toContain(dataset);
    await replicaApi(1)(
      'DELETE',
      `/api/finetuning/datasets/${upBody.id}`,
      alice,
    );
  });

  it('loses no acknowledged write when a replica is killed under traffic; the other keeps serving; the killed one rejoins', async () => {
    const run = randomBytes(3).toString('hex');
    type Outcome = {
      kind: 'write' | 'read';
      name?: string;
      status: number; // 0: the client saw a network error
      replica: string;
      at: number;
      error?: string;
    };
    const outcomes: Outcome[] = [];
    let stop = false;
    let seq = 0;
    const client = async (worker: number) => {
      while (!stop) {
        const write = seq % 2 === 0;
        seq++;
        const name = `ha-kill-${run}-${worker}-${seq}`;
        const at = Date.now();
        try {
          const res = await fetch(
            `${lb!.url}/api/rbac/roles`,
            write
              ? {
                  method: 'POST',
                  headers: {
                    authorization: `Bearer ${admin}`,
                    'content-type': 'application/json',
                  },
                  body: JSON.stringify({
                    name,
                    scope: { type: 'namespaces', namespaces: ['payments-*'] },
                    permissions: ['clusters.pod.logs'],
                    members: [],
                  }),
                }
              : { headers: { authorization: `Bearer ${admin}` } },
          );
          await res.arrayBuffer();
          outcomes.push({
            kind: write ? 'write' : 'read',
            name: write ? name : undefined,
            status: res.status,
            replica: res.headers.get('x-kubemate-replica') ?? '',
            at,
          });
        } catch (e: any) {
          outcomes.push({
            kind: write ? 'write' : 'read',
            name: write ? name : undefined,
            status: 0,
            replica: '',
            at,
            error: String(e?.cause?.code ?? e?.message ?? e),
          });
        }
      }
    };
    const workers = [0, 1, 2, 3].map(client);
    // traffic on both replicas first
    await waitFor(
      'traffic on both replicas',
      async () =>
        (outcomes.some(o => o.replica === 'replica1' && o.status < 400) &&
          outcomes.some(o => o.replica === 'replica2' && o.status < 400) &&
          outcomes.length >= 40) ||
        undefined,
      60_000,
    );
    const killedAt = Date.now();
    replicas[0]!.proc.kill('SIGKILL');
    // keep the load on until replica 2 alone has answered plenty
    await waitFor(
      'replica 2 serving alone',
      async () =>
        outcomes.filter(
          o =>
            o.at > killedAt + 3_000 &&
            o.replica === 'replica2' &&
            o.status < 400,
        ).length >= 40 || undefined,
      90_000,
    );
    stop = true;
    await Promise.all(workers);
    const duringKill = outcomes.filter(o => o.at >= killedAt);
    const errors = duringKill.filter(o => o.status === 0 || o.status >= 500);
    const acknowledged = outcomes.filter(
      o => o.kind === 'write' && o.status === 201,
    );
    const failedWrites = outcomes.filter(
      o => o.kind === 'write' && o.status !== 201,
    );

    // what replica 2 (direct, not through the balancer) has: every acknowledged write
    const roles = await replicaApi(1)('GET', '/api/rbac/roles', admin);
    expect(roles.status).toBe(200);
    const stored = new Set<string>(roles.body.items.map((r: any) => r.name));
    const lost = acknowledged.filter(o => !stored.has(o.name!));
    const failedApplied = failedWrites.filter(o => stored.has(o.name!));
    // eslint-disable-next-line no-console
    console.log(
      [
        `kill test: ${outcomes.length} requests through haproxy (${
          outcomes.filter(o => o.kind === 'write').length
        } writes, ${outcomes.filter(o => o.kind === 'read').length} reads), ${
          acknowledged.length
        } writes acknowledged`,
        `after the SIGKILL: ${duringKill.length} requests, ${
          duringKill.filter(o => o.status > 0 && o.status < 400).length
        } served, ${errors.length} errors seen by clients (${
          errors
            .map(e =>
              e.status ? `${e.kind} ${e.status}` : `${e.kind} ${e.error}`,
            )
            .join(', ') || 'none'
        })`,
        `failed writes: ${failedWrites.length} (${
          failedApplied.length
        } applied nonetheless, ${
          failedWrites.length - failedApplied.length
        } not applied); acknowledged and lost: ${lost.length}`,
      ].join('\n'),
    );
    expect(lost.map(o => o.name)).toEqual([]);
    expect(acknowledged.length).toBeGreaterThan(20);
    // replica 2 kept serving: everything it answered after the kill settled was a success
    const settled = outcomes.filter(o => o.at > killedAt + 3_000);
    expect(settled.filter(o => o.status === 0 || o.status >= 500)).toEqual([]);
    expect(new Set(settled.map(o => o.replica))).toEqual(new Set(['replica2']));
    // reads are retried on the other replica by haproxy: none failed, even during the kill
    expect(
      duringKill.filter(
        o => o.kind === 'read' && (o.status === 0 || o.status >= 500),
      ),
    ).toEqual([]);

    // restarted, replica 1 rejoins rotation (haproxy's readiness check) with no reconfiguration
    replicas[0] = await startReplica(0);
    await waitFor(
      'replica 1 back in rotation',
      async () => {
        const res = await fetch(`${lb!.url}/api/rbac/roles`, {
          headers: { authorization: `Bearer ${admin}` },
        });
        await res.arrayBuffer();
        return (
          (res.status === 200 &&
            res.headers.get('x-kubemate-replica') === 'replica1') ||
          undefined
        );
      },
      60_000,
    );
    // and it sees what was written while it was down
    const back = await replicaApi(0)('GET', '/api/rbac/roles', admin);
    const names = new Set<string>(back.body.items.map((r: any) => r.name));
    expect(acknowledged.filter(o => !names.has(o.name!))).toEqual([]);
  });
});
