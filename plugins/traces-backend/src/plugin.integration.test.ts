/*
 * The traces API against the REAL Jaeger of the dev stack (stack.sh up --only telemetry), fed by
 * the demo telemetry generator (payments-api → postgres, risk-engine → redis) and by a trace this
 * test sends itself over OTLP. Backstage side: the demo catalog entities (catalogServiceMock), mock
 * credentials, and fixed permission decisions shaped as the RBAC plugin gives them: alice
 * CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW, mallory DENY.
 */
import { randomBytes } from 'node:crypto';
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
  waitFor,
} from '@kubemate/dev-stack';
import request from 'supertest';
import { tracesPlugin } from './plugin';

const ALICE = 'user:default/alice';
const ADMIN = 'user:default/admin';
const MALLORY = 'user:default/mallory';
const as = (u: string) => mockCredentials.user.header(u);

jest.setTimeout(5 * 60_000);

let stack: DevStack;

async function backendWith(jaegerUrl: string) {
  return startTestBackend({
    features: [
      tracesPlugin,
      catalogServiceMock.factory({ entities: loadDemoEntities() as Entity[] }),
      mockServices.rootConfig.factory({
        data: {
          kubemate: { traces: { jaeger: { url: jaegerUrl } } },
        },
      }),
      // DEMO_DECISIONS: alice CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW, mallory DENY
      permissionsMockFactory(),
    ],
  });
}

let backend: Awaited<ReturnType<typeof startTestBackend>>;

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'telemetry'] });
  backend = await backendWith(stack.telemetry!.jaeger);
}, 60 * 60_000);

afterAll(async () => {
  await backend?.stop();
});

const get = (user: string, path: string) =>
  request(backend.server)
    .get(`/api/traces${path}`)
    .set('Authorization', as(user));

/** A 3-span trace sent over OTLP: payments-api (payments-dev) → risk-engine (risk-dev), error in risk. */
async function sendTrace() {
  const traceId = randomBytes(16).toString('hex');
  const [root, client, server] = [0, 1, 2].map(() =>
    randomBytes(8).toString('hex'),
  );
  const t0 = BigInt(Date.now() - 1000) * 1_000_000n;
  const ms = (n: number) => `${t0 + BigInt(n) * 1_000_000n}`;
  const resource = (service: string, ns: string) => ({
    attributes: [
      { key: 'service.name', value: { stringValue: service } },
      { key: 'k8s.namespace.name', value: { stringValue: ns } },
    ],
  });
  const res = await fetch(`${stack.telemetry!.otlpHttp}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource: resource('payments-api', 'payments-dev'),
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: root,
                  name: 'POST /v1/payments',
                  kind: 2,
                  startTimeUnixNano: ms(0),
                  endTimeUnixNano: ms(100),
                  status: { code: 2, message: 'failed' },
                },
                {
                  traceId,
                  spanId: client,
                  parentSpanId: root,
                  name: 'POST risk-engine /score',
                  kind: 3,
                  startTimeUnixNano: ms(10),
                  endTimeUnixNano: ms(90),
                  attributes: [
                    { key: 'http.route', value: { stringValue: '/score' } },
                  ],
                },
              ],
            },
          ],
        },
        {
          resource: resource('risk-engine', 'risk-dev'),
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: server,
                  parentSpanId: client,
                  name: 'POST /score',
                  kind: 2,
                  startTimeUnixNano: ms(12),
                  endTimeUnixNano: ms(88),
                  attributes: [
                    { key: 'risk.secret', value: { stringValue: 'internal' } },
                  ],
                  status: { code: 2, message: 'model timeout' },
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(res.status).toBe(200);
  return { traceId, root, client, server };
}

describe('traces API on real Jaeger', () => {
  it("finds an entity's traces, with error-only and duration filters, within the user's namespaces", async () => {
    const found = await waitFor('demo traces of payments-api', async () => {
      const r = await get(
        ALICE,
        '/entity/component/default/payments-api/traces?lookback=1h&limit=50',
      );
      expect(r.status).toBe(200);
      return r.body.traces.length >= 10 ? r.body : undefined;
    });
    expect(found.scope).toEqual(['payments-*']);
    const t = found.traces[0];
    expect(t.rootService).toBe('payments-api');
    expect(t.services).toEqual(
      expect.arrayContaining(['payments-api', 'postgres']),
    );
    expect(t.spanCount).toBeGreaterThan(1);

    const errors = await waitFor('error traces', async () => {
      const r = await get(
        ALICE,
        '/entity/component/default/payments-api/traces?lookback=1h&limit=5&errorsOnly=true',
      );
      return r.body.traces.length ? r.body.traces : undefined;
    });
    for (const e of errors) expect(e.errorCount).toBeGreaterThan(0);

    const slow = await get(
      ALICE,
      '/entity/component/default/payments-api/traces?lookback=1h&limit=20&minDuration=500ms',
    );
    expect(slow.status).toBe(200);
    for (const s of slow.body.traces)
      expect(s.duration).toBeGreaterThanOrEqual(500_000);

    // risk-engine's traces are not alice's (its spans run in risk-*)
    const risk = await get(
      ALICE,
      '/entity/component/default/risk-engine/traces?lookback=1h&limit=20',
    );
    expect(risk.status).toBe(200);
    expect(risk.body.traces).toEqual([]);
    const mallory = await get(
      MALLORY,
      '/entity/component/default/payments-api/traces',
    );
    expect(mallory.status).toBe(403);
    const bad = await get(
      ALICE,
      '/entity/component/default/payments-api/traces?minDuration=fast',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^request\/query\/minDuration /);
  });

  it('returns the waterfall in order with the error span marked, the critical path, and foreign spans redacted', async () => {
    const { traceId, root, client, server } = await sendTrace();
    const admin = await waitFor('the trace', async () => {
      const r = await get(ADMIN, `/traces/${traceId}`);
      return r.status === 200 ? r.body : undefined;
    });
    expect(admin.spans.map((s: any) => [s.spanId, s.depth])).toEqual([
      [root, 0],
      [client, 1],
      [server, 2],
    ]);
    expect(admin.duration).toBe(100_000);
    expect(admin.spans.map((s: any) => s.error)).toEqual([true, false, true]);
    expect(admin.spans.every((s: any) => s.critical)).toBe(true);
    expect(admin.spans[2]).toMatchObject({
      service: 'risk-engine',
      namespace: 'risk-dev',
      operation: 'POST /score',
      offset: 12_000,
      duration: 76_000,
      redacted: false,
    });
    expect(admin.spans[2].tags['risk.secret']).toBe('internal');

    // alice sees her span, and risk-engine's only as timing
    const alice = await get(ALICE, `/traces/${traceId}`);
    expect(alice.status).toBe(200);
    expect(alice.body.spans[0]).toMatchObject({
      operation: 'POST /v1/payments',
      redacted: false,
    });
    expect(alice.body.spans[2]).toMatchObject({
      service: 'risk-engine',
      operation: '(hidden)',
      redacted: true,
      tags: {},
      duration: 76_000,
    });
    const missing = await get(ALICE, `/traces/${'0'.repeat(32)}`);
    expect(missing.status).toBe(404);
    const invalid = await get(ALICE, '/traces/not-a-trace');
    expect(invalid.status).toBe(400);
  });

  it('returns the service graph around the entity with the generated edges', async () => {
    const deps = await waitFor('the edges', async () => {
      const r = await get(
        ALICE,
        '/entity/component/default/payments-api/dependencies',
      );
      expect(r.status).toBe(200);
      const has = (p: string, c: string) =>
        r.body.edges.some((e: any) => e.parent === p && e.child === c);
      return has('payments-api', 'risk-engine') && has('risk-engine', 'redis')
        ? r.body
        : undefined;
    });
    expect(deps.edges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ parent: 'payments-api', child: 'postgres' }),
      ]),
    );
    // docs-assistant's part of the graph is not around payments-api
    expect(deps.edges.some((e: any) => e.parent === 'docs-assistant')).toBe(
      false,
    );
    const whole = await get(ALICE, '/dependencies');
    expect(whole.status).toBe(403);
    const adminWhole = await get(ADMIN, '/dependencies');
    expect(
      adminWhole.body.edges.some((e: any) => e.parent === 'docs-assistant'),
    ).toBe(true);
  });

  it('returns 503 naming Jaeger when it is down', async () => {
    const down = await backendWith('http://127.0.0.1:59996');
    try {
      const r = await request(down.server)
        .get('/api/traces/entity/component/default/payments-api/traces')
        .set('Authorization', as(ADMIN));
      expect(r.status).toBe(503);
      expect(r.body.error.message).toBe(
        'Jaeger at http://127.0.0.1:59996 is unavailable: ECONNREFUSED',
      );
    } finally {
      await down.stop();
    }
  });
});
