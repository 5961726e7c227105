/*
 * The metrics API against the REAL Thanos Query of the dev stack (two Prometheus replicas with
 * sidecars, the demo traffic generator's series). Backstage side: mock credentials, and fixed
 * permission decisions shaped as the RBAC plugin gives them: alice CONDITIONAL IS_IN_NAMESPACE
 * [payments-*], admin ALLOW, mallory DENY.
 */
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { requireStack, waitFor } from '@kubemate/dev-stack';
import request from 'supertest';
import { metricsPlugin } from './plugin';

const ALICE = 'user:default/alice';
const ADMIN = 'user:default/admin';
const MALLORY = 'user:default/mallory';
const as = (u: string) => mockCredentials.user.header(u);

const decisions: Record<string, any> = {
  [ALICE]: {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'clusters',
    resourceType: 'clusters-object',
    conditions: {
      rule: 'IS_IN_NAMESPACE',
      resourceType: 'clusters-object',
      params: { namespaces: ['payments-*'] },
    },
  },
  [ADMIN]: { result: AuthorizeResult.ALLOW },
  [MALLORY]: { result: AuthorizeResult.DENY },
};

function permissionsFactory() {
  return createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () =>
      ({
        async authorize() {
          throw new Error('not used');
        },
        async authorizeConditional(reqs: any[], opts: any) {
          return reqs.map(
            () => decisions[opts.credentials.principal.userEntityRef],
          );
        },
      } as any),
  });
}

async function backendWith(url: string) {
  return startTestBackend({
    features: [
      metricsPlugin,
      mockServices.rootConfig.factory({
        data: { kubemate: { metrics: { thanosQuery: { url } } } },
      }),
      permissionsFactory(),
    ],
  });
}

let backend: Awaited<ReturnType<typeof startTestBackend>>;
let thanosUrl: string;

beforeAll(async () => {
  const stack = await requireStack({ only: ['kubernetes', 'metrics'] });
  thanosUrl = stack.metrics!.thanosQuery;
  backend = await backendWith(thanosUrl);
}, 60 * 60_000);

afterAll(async () => {
  await backend?.stop();
});

const BY_NS = 'sum by (namespace) (rate(http_server_requests_total[1m]))';
const namespacesIn = (body: any) =>
  [...new Set(body.result.map((r: any) => r.metric.namespace))].sort();

describe('metrics API on real Thanos', () => {
  it("scopes alice's queries to payments-*; the admin sees every namespace", async () => {
    const admin = await waitFor(
      'demo traffic of every namespace',
      async () => {
        const r = await request(backend.server)
          .post('/api/metrics/query')
          .set('Authorization', as(ADMIN))
          .send({ query: BY_NS });
        return r.status === 200 && r.body.result.length >= 5 ? r : undefined;
      },
      120_000,
    );
    expect(admin.body.scope).toBe('all');
    expect(namespacesIn(admin.body)).toEqual(
      expect.arrayContaining([
        'payments-dev',
        'risk-dev',
        'risk-prod',
        'ai-platform',
      ]),
    );

    const alice = await request(backend.server)
      .post('/api/metrics/query')
      .set('Authorization', as(ALICE))
      .send({ query: BY_NS });
    expect(alice.status).toBe(200);
    expect(alice.body.scope).toEqual(['payments-*']);
    expect(alice.body.effectiveQuery).toContain('namespace=~"payments-.*"');
    expect(namespacesIn(alice.body)).toEqual(['payments-dev', 'payments-prod']);
  });

  it("refuses alice's explicit risk-* query with 403, and mallory altogether", async () => {
    const risk = await request(backend.server)
      .post('/api/metrics/query')
      .set('Authorization', as(ALICE))
      .send({ query: 'http_server_requests_in_flight{namespace="risk-dev"}' });
    expect(risk.status).toBe(403);
    expect(risk.body.error.message).toBe(
      'You may not read metrics of namespace risk-dev (your scope: payments-*)',
    );
    const mallory = await request(backend.server)
      .post('/api/metrics/query')
      .set('Authorization', as(MALLORY))
      .send({ query: 'up' });
    expect(mallory.status).toBe(403);
    expect(mallory.body.error.message).toBe(
      'You are not allowed metrics.query.run',
    );
  });

  it("answers malformed PromQL and bad parameters with 400 and Thanos's own message", async () => {
    const bad = await request(backend.server)
      .post('/api/metrics/query')
      .set('Authorization', as(ALICE))
      .send({ query: 'sum(rate(http_server_requests_total[1m])' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /^Thanos Query rejected the query: .*parse error/,
    );
    const range = await request(backend.server)
      .post('/api/metrics/query_range')
      .set('Authorization', as(ALICE))
      .send({ query: 'up', start: 200, end: 100 });
    expect(range.status).toBe(400);
    expect(range.body.error.message).toBe(
      'Invalid request: end: end must be after start',
    );
  });

  it('picks step and Thanos downsampling from the range and deduplicates', async () => {
    const end = Math.floor(Date.now() / 1000);
    const hour = await request(backend.server)
      .post('/api/metrics/query_range')
      .set('Authorization', as(ALICE))
      .send({ query: BY_NS, start: end - 3600, end });
    expect(hour.status).toBe(200);
    expect(hour.body).toMatchObject({
      step: 15,
      maxSourceResolution: '0s',
      dedup: true,
    });
    expect(hour.body.resultType).toBe('matrix');
    expect(namespacesIn(hour.body)).toEqual(['payments-dev', 'payments-prod']);

    const week = await request(backend.server)
      .post('/api/metrics/query_range')
      .set('Authorization', as(ALICE))
      .send({ query: BY_NS, start: end - 7 * 86_400, end });
    expect(week.status).toBe(200);
    expect(week.body).toMatchObject({ step: 2430, maxSourceResolution: '5m' });

    // without dedup both replicas' series come back
    const series = 'http_server_requests_in_flight{namespace="payments-dev"}';
    const raw = await request(backend.server)
      .post('/api/metrics/query')
      .set('Authorization', as(ALICE))
      .send({ query: series, dedup: false });
    const deduped = await request(backend.server)
      .post('/api/metrics/query')
      .set('Authorization', as(ALICE))
      .send({ query: series });
    expect(raw.body.result.length).toBe(2 * deduped.body.result.length);
  });

  it('returns 503 naming Thanos Query when it is down', async () => {
    const down = await backendWith('http://127.0.0.1:59999');
    try {
      const r = await request(down.server)
        .post('/api/metrics/query')
        .set('Authorization', as(ADMIN))
        .send({ query: 'up' });
      expect(r.status).toBe(503);
      expect(r.body.error.message).toBe(
        'Thanos Query at http://127.0.0.1:59999 is unavailable: ECONNREFUSED',
      );
    } finally {
      await down.stop();
    }
  });
});
