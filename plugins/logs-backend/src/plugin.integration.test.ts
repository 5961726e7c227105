/*
 * The logs API against the REAL Loki of the dev stack (stack.sh up --only kubernetes,telemetry),
 * fed by the demo telemetry generator and by lines this test pushes itself; the entities' pods come
 * from the real apiservers through the shared watch cache. Backstage side: the demo catalog
 * entities (catalogServiceMock), mock credentials, and fixed permission decisions shaped as the
 * RBAC plugin gives them: alice CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW,
 * mallory DENY.
 */
import { randomBytes } from 'node:crypto';
import { AddressInfo } from 'node:net';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  DevStack,
  loadDemoEntities,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  waitFor,
} from '@kubemate/dev-stack';
import request from 'supertest';
import { logsPlugin } from './plugin';

const ALICE = 'user:default/alice';
const ADMIN = 'user:default/admin';
const MALLORY = 'user:default/mallory';
const as = (u: string) => mockCredentials.user.header(u);
const PAYMENTS_API = 'component:default/payments-api';

jest.setTimeout(5 * 60_000);

let stack: DevStack;

async function backendWith(lokiUrl: string) {
  return startTestBackend({
    features: [
      logsPlugin,
      catalogServiceMock.factory({ entities: loadDemoEntities() as Entity[] }),
      mockServices.rootConfig.factory({
        data: {
          kubemate: { logs: { loki: { url: lokiUrl } } },
          kubernetes: stackClustersConfig(stack),
        },
      }),
      // DEMO_DECISIONS: alice CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW, mallory DENY
      permissionsMockFactory(),
    ],
  });
}

let backend: Awaited<ReturnType<typeof startTestBackend>>;
let loki: string;

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'telemetry'] });
  loki = stack.telemetry!.loki;
  backend = await backendWith(loki);
}, 60 * 60_000);

afterAll(async () => {
  await backend?.stop();
});

/** Pushes lines (oldest first) into one stream of Loki; returns their timestamps (ns). */
async function push(stream: Record<string, string>, lines: string[]) {
  const base = BigInt(Date.now()) * 1_000_000n;
  const values = lines.map((l, i) => [`${base + BigInt(i) * 1000n}`, l]);
  const res = await fetch(`${loki}/loki/api/v1/push`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ streams: [{ stream, values }] }),
  });
  expect(res.status).toBe(204);
  return values.map(v => v[0]);
}

const query = (user: string, body: object) =>
  request(backend.server)
    .post('/api/logs/query')
    .set('Authorization', as(user))
    .send(body);

describe('logs API on real Loki', () => {
  it("scopes an entity query to the entity's namespaces, whatever selector is typed", async () => {
    const body = await waitFor('demo logs of payments-api', async () => {
      const r = await query(ALICE, {
        query: '{app=~".+"}',
        entityRef: PAYMENTS_API,
        limit: 500,
      });
      expect(r.status).toBe(200);
      const ns = new Set(r.body.lines.map((l: any) => l.labels.namespace));
      return ns.has('payments-dev') && ns.has('payments-prod')
        ? r.body
        : undefined;
    });
    expect(body.scope).toEqual(['payments-dev', 'payments-prod']);
    expect(body.effectiveQuery).toBe(
      '{app=~".+", namespace=~"payments-dev|payments-prod"}',
    );
    for (const l of body.lines) {
      expect(['payments-dev', 'payments-prod']).toContain(l.labels.namespace);
    }
    // lines of traced requests carry their trace id
    expect(
      body.lines.some((l: any) => /^[0-9a-f]{32}$/.test(l.traceId ?? '')),
    ).toBe(true);

    // an explicit foreign namespace is refused, for the entity and for alice herself
    const foreign = await query(ALICE, {
      query: '{namespace="risk-dev"}',
      entityRef: PAYMENTS_API,
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.message).toBe(
      'You may not read logs of namespace risk-dev (your scope: payments-dev, payments-prod)',
    );
    // the admin reading risk-engine's logs never gets payments' streams, even when asking
    const admin = await query(ADMIN, {
      query: '{app="payments-api"}',
      entityRef: 'component:default/risk-engine',
    });
    expect(admin.status).toBe(200);
    expect(admin.body.scope).toEqual(['risk-dev']);
    expect(admin.body.lines).toEqual([]);
    // alice and an entity outside her namespaces
    const risk = await query(ALICE, {
      query: '{app="risk-engine"}',
      entityRef: 'component:default/risk-engine',
    });
    expect(risk.status).toBe(403);
    expect(risk.body.error.message).toBe(
      'component:default/risk-engine runs in no namespace whose logs you may read',
    );
    const mallory = await query(MALLORY, { query: '{app="x"}' });
    expect(mallory.status).toBe(403);
    expect(mallory.body.error.message).toBe(
      'You are not allowed logs.entity.read',
    );
  });

  it('answers metric queries and the volume histogram with series by level', async () => {
    const volume = await waitFor('a volume with error and info', async () => {
      const r = await request(backend.server)
        .post('/api/logs/volume')
        .set('Authorization', as(ALICE))
        .send({ query: '{app="payments-api"}', entityRef: PAYMENTS_API });
      expect(r.status).toBe(200);
      const levels = r.body.series.map((s: any) => s.labels.level).sort();
      return levels.includes('error') && levels.includes('info')
        ? r.body
        : undefined;
    });
    expect(volume.resultType).toBe('matrix');
    expect(volume.step).toBe(60);
    expect(volume.effectiveQuery).toBe(
      'sum by (level) (count_over_time({app="payments-api", namespace=~"payments-dev|payments-prod"} [60s]))',
    );
    expect(volume.series[0].points.length).toBeGreaterThan(0);

    const rate = await query(ALICE, {
      query: 'sum by (namespace) (rate({app="payments-api"} |= "error" [1m]))',
    });
    expect(rate.status).toBe(200);
    expect(rate.body.resultType).toBe('matrix');
    for (const s of rate.body.series)
      expect(s.labels.namespace).toMatch(/^payments-/);
  });

  it("answers malformed LogQL and bad parameters with 400 and Loki's own message", async () => {
    const bad = await query(ALICE, { query: '{app="payments-api"' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^Loki rejected the query: .*parse error/,
    );
    const range = await query(ALICE, {
      query: '{app="x"}',
      start: 200,
      end: 100,
    });
    expect(range.status).toBe(400);
    expect(range.body.error.message).toBe(
      'request/body/end must be after start',
    );
    const limit = await query(ALICE, { query: '{app="x"}', limit: 0 });
    expect(limit.status).toBe(400);
    expect(limit.body.error.message).toMatch(/^request\/body\/limit /);
  });

  it('returns the lines around a line of its stream (context)', async () => {
    const app = `ctx-${randomBytes(4).toString('hex')}`;
    const stream = { namespace: 'payments-dev', app, level: 'info' };
    const ts = await push(
      stream,
      ['one', 'two', 'three', 'four', 'five'].map(w => `line ${w}`),
    );
    const ctx = await waitFor('the context', async () => {
      const r = await request(backend.server)
        .get('/api/logs/context')
        .query({
          labels: JSON.stringify(stream),
          ts: ts[2],
          before: 2,
          after: 2,
        })
        .set('Authorization', as(ALICE));
      expect(r.status).toBe(200);
      return r.body.after.length === 2 ? r.body : undefined;
    });
    expect(ctx.before.map((l: any) => l.line)).toEqual([
      'line one',
      'line two',
    ]);
    expect(ctx.after.map((l: any) => l.line)).toEqual([
      'line four',
      'line five',
    ]);
    const foreign = await request(backend.server)
      .get('/api/logs/context')
      .query({
        labels: JSON.stringify({ ...stream, namespace: 'risk-dev' }),
        ts: ts[2],
      })
      .set('Authorization', as(ALICE));
    expect(foreign.status).toBe(403);
  });

  it('live tail delivers a line pushed after the tail started', async () => {
    const app = `tail-${randomBytes(4).toString('hex')}`;
    const { port } = backend.server.address() as AddressInfo;
    const controller = new AbortController();
    const res = await fetch(
      `http://127.0.0.1:${port}/api/logs/tail?${new URLSearchParams({
        query: `{app="${app}"}`,
      })}`,
      { headers: { Authorization: as(ALICE) }, signal: controller.signal },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/x-ndjson/);
    const reader = res.body!.getReader();
    const marker = `tailed-${randomBytes(4).toString('hex')}`;
    const started = Date.now();
    await push({ namespace: 'payments-dev', app, level: 'info' }, [
      `hello ${marker}`,
    ]);
    let text = '';
    let received: any;
    try {
      while (!received) {
        if (Date.now() - started > 30_000)
          throw new Error(`no tailed line within 30 s: ${text}`);
        const { value, done } = await reader.read();
        if (done) throw new Error(`the tail ended: ${text}`);
        text += new TextDecoder().decode(value);
        received = text
          .split('\n')
          .filter(Boolean)
          .map(l => JSON.parse(l))
          .flatMap((e: any) => (e.type === 'lines' ? e.lines : []))
          .find((l: any) => l.line.includes(marker));
      }
    } finally {
      controller.abort();
    }
    expect(received.labels).toMatchObject({ app, namespace: 'payments-dev' });
    // a foreign namespace cannot be tailed
    const foreign = await request(backend.server)
      .get('/api/logs/tail')
      .query({ query: '{namespace="risk-dev"}' })
      .set('Authorization', as(ALICE));
    expect(foreign.status).toBe(403);
  });

  it('downloads the lines of a query as text', async () => {
    const app = `dl-${randomBytes(4).toString('hex')}`;
    await push({ namespace: 'payments-prod', app, level: 'warn' }, [
      'first',
      'second',
    ]);
    const r = await waitFor('the download', async () => {
      const d = await request(backend.server)
        .get('/api/logs/download')
        .query({ query: `{app="${app}"}` })
        .set('Authorization', as(ALICE));
      expect(d.status).toBe(200);
      return d.text.includes('second') ? d : undefined;
    });
    expect(r.headers['content-disposition']).toBe(
      'attachment; filename="logs.txt"',
    );
    const lines = r.text.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\d{4}-\d\d-\d\dT.*Z \{.*app="dl-[0-9a-f]+".*\} first$/,
    );
  });

  it('returns 503 naming Loki when it is down', async () => {
    const down = await backendWith('http://127.0.0.1:59997');
    try {
      const r = await request(down.server)
        .post('/api/logs/query')
        .set('Authorization', as(ADMIN))
        .send({ query: '{app="x"}' });
      expect(r.status).toBe(503);
      expect(r.body.error.message).toBe(
        'Loki at http://127.0.0.1:59997 is unavailable: ECONNREFUSED',
      );
    } finally {
      await down.stop();
    }
  });
});
