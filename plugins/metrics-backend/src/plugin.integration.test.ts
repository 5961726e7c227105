/*
 * The metrics API against the REAL servers of the dev stack: Thanos Query over two Prometheus
 * replicas with sidecars (the demo traffic generator's series, kwok's pod metrics), Alertmanager
 * (the demo rules really fire) and the kube-apiservers (the entities' pods, read through the
 * shared watch cache). Backstage side: the demo catalog entities (catalogServiceMock), mock
 * credentials, and fixed permission decisions shaped as the RBAC plugin gives them: alice
 * CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW, mallory DENY.
 */
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
import { CoreV1Api } from '@kubernetes/client-node';
import request from 'supertest';
import { metricsPlugin } from './plugin';

const ALICE = 'user:default/alice';
const ADMIN = 'user:default/admin';
const MALLORY = 'user:default/mallory';
const as = (u: string) => mockCredentials.user.header(u);

let stack: DevStack;

// on a fresh stack the demo alert needs about a minute to fire: tests poll with deadlines
jest.setTimeout(5 * 60_000);

async function backendWith(urls: { thanos: string; alertmanager: string }) {
  return startTestBackend({
    features: [
      metricsPlugin,
      catalogServiceMock.factory({
        entities: loadDemoEntities() as Entity[],
      }),
      mockServices.rootConfig.factory({
        data: {
          kubemate: {
            metrics: {
              thanosQuery: { url: urls.thanos },
              alertmanager: { url: urls.alertmanager },
            },
          },
          kubernetes: stackClustersConfig(stack),
        },
      }),
      // alice CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW, mallory DENY
      permissionsMockFactory(),
    ],
  });
}

let backend: Awaited<ReturnType<typeof startTestBackend>>;

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics'] });
  backend = await backendWith({
    thanos: stack.metrics!.thanosQuery,
    alertmanager: stack.metrics!.alertmanager,
  });
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
      'request/body/end must be after start',
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
    const down = await backendWith({
      thanos: 'http://127.0.0.1:59999',
      alertmanager: 'http://127.0.0.1:59998',
    });
    try {
      const r = await request(down.server)
        .post('/api/metrics/query')
        .set('Authorization', as(ADMIN))
        .send({ query: 'up' });
      expect(r.status).toBe(503);
      expect(r.body.error.message).toBe(
        'Thanos Query at http://127.0.0.1:59999 is unavailable: ECONNREFUSED',
      );
      const signals = await request(down.server)
        .get(
          '/api/metrics/entity/component/default/payments-api/golden-signals',
        )
        .set('Authorization', as(ADMIN));
      expect(signals.status).toBe(503);
      expect(signals.body.error.message).toBe(
        'Thanos Query at http://127.0.0.1:59999 is unavailable: ECONNREFUSED',
      );
      const alerts = await request(down.server)
        .get('/api/metrics/alerts')
        .set('Authorization', as(ADMIN));
      expect(alerts.status).toBe(503);
      expect(alerts.body.error.message).toBe(
        'Alertmanager at http://127.0.0.1:59998 is unavailable: ECONNREFUSED',
      );
    } finally {
      await down.stop();
    }
  });
});

const PAYMENTS_API = '/api/metrics/entity/component/default/payments-api';

describe('golden signals of an entity on real Thanos and Kubernetes', () => {
  it("draws payments-api's latency, traffic, errors, saturation and resources for alice", async () => {
    const body = await waitFor(
      'golden signals with data',
      async () => {
        const r = await request(backend.server)
          .get(`${PAYMENTS_API}/golden-signals`)
          .set('Authorization', as(ALICE));
        expect(r.status).toBe(200);
        // a fresh stack: wait until every line has a few samples in both namespaces
        const ready =
          r.body.signals.every(
            (s: any) =>
              s.series.length > 0 &&
              s.series.every((x: any) => x.points.length > 2),
          ) &&
          r.body.signals
            .find((s: any) => s.signal === 'errors')
            .series.map((x: any) => x.labels.namespace)
            .sort()
            .join() === 'payments-dev,payments-prod' &&
          r.body.resources.every((x: any) => x.usage.length > 0);
        return ready ? r.body : undefined;
      },
      120_000,
    );
    expect(body).toMatchObject({
      entityRef: 'component:default/payments-api',
      step: 15,
      maxSourceResolution: '0s',
      selector: 'service="payments-api"',
      scope: ['payments-*'],
    });
    const by = Object.fromEntries(body.signals.map((s: any) => [s.signal, s]));
    expect(Object.keys(by)).toEqual([
      'latency',
      'traffic',
      'errors',
      'saturation',
    ]);
    // one line per quantile and namespace; every query scoped to alice's namespaces
    expect(by.latency.series.map((s: any) => s.name).sort()).toEqual([
      'p50 payments-dev',
      'p50 payments-prod',
      'p95 payments-dev',
      'p95 payments-prod',
      'p99 payments-dev',
      'p99 payments-prod',
    ]);
    for (const s of body.signals) {
      expect(s.source).toBe('default');
      for (const q of s.queries)
        expect(q).toContain('namespace=~"payments-.*"');
    }
    // the demo's payments-dev answers ~12 % with 5xx, payments-prod ~0.4 %
    const errors = Object.fromEntries(
      by.errors.series.map((s: any) => [
        s.labels.namespace,
        s.points.at(-1)[1],
      ]),
    );
    expect(errors['payments-dev']).toBeGreaterThan(0.05);
    expect(errors['payments-prod']).toBeLessThan(0.05);
    expect(by.traffic.series.every((s: any) => s.points.length > 1)).toBe(true);

    // resources: kwok's usage series of the entity's pods against requests/limits of their specs
    const cpu = body.resources.find((r: any) => r.resource === 'cpu');
    expect(cpu.unit).toBe('cores');
    // the sums of the pod specs, as the apiserver has them
    const specs = await stack
      .kubeConfigFor('dev-cluster', 'admin')
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({
        namespace: 'payments-dev',
        labelSelector: 'backstage.io/kubernetes-id=payments-api',
      });
    // finished pods (the demo pipeline's TaskRun pods, run by the Tekton controller) hold no resources
    const containers = specs.items
      .filter(p => !['Succeeded', 'Failed'].includes(p.status?.phase ?? ''))
      .flatMap(p => p.spec?.containers ?? []);
    const milli = (q?: string) =>
      q?.endsWith('m') ? Number(q.slice(0, -1)) : Number(q ?? 0) * 1000;
    // memory quantities of the seed's pods: Mi and Gi (a GPU training Job of payments-api)
    const mebi = (q?: string) => {
      const m = /^(\d+(?:\.\d+)?)(Mi|Gi)$/.exec(q ?? '0Mi');
      if (!m) throw new Error(`unexpected memory quantity ${q}`);
      return Number(m[1]) * (m[2] === 'Gi' ? 1024 : 1);
    };
    expect(containers.length).toBeGreaterThan(0);
    expect(Math.round(cpu.requests['dev-cluster/payments-dev'] * 1000)).toBe(
      containers.reduce((n, c) => n + milli(c.resources?.requests?.cpu), 0),
    );
    expect(
      Object.keys(cpu.requests).every((k: string) => k.includes('/payments-')),
    ).toBe(true);
    expect(cpu.usage.map((s: any) => s.labels.namespace).sort()).toEqual([
      'payments-dev',
      'payments-prod',
    ]);
    const memory = body.resources.find((r: any) => r.resource === 'memory');
    expect(memory.limits['dev-cluster/payments-dev'] / 2 ** 20).toBe(
      containers.reduce((n, c) => n + mebi(c.resources?.limits?.memory), 0),
    );
  });

  it("never shows alice another namespace's signals, even of an entity she can open", async () => {
    const r = await request(backend.server)
      .get('/api/metrics/entity/component/default/risk-engine/golden-signals')
      .set('Authorization', as(ALICE));
    expect(r.status).toBe(200);
    for (const s of r.body.signals) expect(s.series).toEqual([]);
    for (const x of r.body.resources) {
      expect(x.usage).toEqual([]);
      expect(x.requests).toEqual({});
    }
    const admin = await request(backend.server)
      .get('/api/metrics/entity/component/default/risk-engine/golden-signals')
      .set('Authorization', as(ADMIN));
    expect(
      admin.body.signals.find((s: any) => s.signal === 'traffic').series.length,
    ).toBeGreaterThan(0);
  });

  it('answers a 7-day range from 5-minute blocks, and rejects bad ranges and unknown entities', async () => {
    const end = Math.floor(Date.now() / 1000);
    const week = await request(backend.server)
      .get(
        `${PAYMENTS_API}/golden-signals?start=${end - 7 * 86_400}&end=${end}`,
      )
      .set('Authorization', as(ALICE));
    expect(week.status).toBe(200);
    expect(week.body).toMatchObject({ step: 2430, maxSourceResolution: '5m' });
    const bad = await request(backend.server)
      .get(`${PAYMENTS_API}/golden-signals?start=${end}&end=${end - 60}`)
      .set('Authorization', as(ALICE));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'request/query/end must be after start',
    );
    const missing = await request(backend.server)
      .get('/api/metrics/entity/component/default/nope/golden-signals')
      .set('Authorization', as(ALICE));
    expect(missing.status).toBe(404);
    const denied = await request(backend.server)
      .get(`${PAYMENTS_API}/golden-signals`)
      .set('Authorization', as(MALLORY));
    expect(denied.status).toBe(403);
  });
});

describe('alerts and silences on the real Alertmanager', () => {
  const amUrl = () => stack.metrics!.alertmanager;
  const errorRateAlert = (alerts: any[]) =>
    alerts.find(
      a =>
        a.name === 'DemoHighErrorRate' && a.labels.namespace === 'payments-dev',
    );

  it("lists payments-api's firing demo alert for alice, only her namespaces cluster-wide", async () => {
    const alert = await waitFor(
      'DemoHighErrorRate firing for payments-dev',
      async () => {
        const r = await request(backend.server)
          .get(`${PAYMENTS_API}/alerts`)
          .set('Authorization', as(ALICE));
        expect(r.status).toBe(200);
        return errorRateAlert(r.body.alerts);
      },
      180_000,
    );
    expect(alert).toMatchObject({
      severity: 'warning',
      labels: { service: 'payments-api', namespace: 'payments-dev' },
    });
    expect(alert.summary).toMatch(
      /^payments-api in payments-dev answers .*% of requests with 5xx$/,
    );

    const all = await request(backend.server)
      .get('/api/metrics/alerts')
      .set('Authorization', as(ALICE));
    expect(all.status).toBe(200);
    expect(all.body.scope).toEqual(['payments-*']);
    for (const a of all.body.alerts)
      expect(a.labels.namespace).toMatch(/^payments-/);
    // risk-engine's alerts (if any fire) are not hers to see
    const risk = await request(backend.server)
      .get('/api/metrics/entity/component/default/risk-engine/alerts')
      .set('Authorization', as(ALICE));
    expect(risk.body.alerts).toEqual([]);
    const denied = await request(backend.server)
      .get('/api/metrics/alerts')
      .set('Authorization', as(MALLORY));
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      'You are not allowed metrics.alert.read',
    );
  });

  it('silences the alert in Alertmanager, shows it silenced, audits, and expires it again', async () => {
    await waitFor(
      'DemoHighErrorRate active',
      async () => {
        const r = await request(backend.server)
          .get(`${PAYMENTS_API}/alerts`)
          .set('Authorization', as(ALICE));
        return errorRateAlert(r.body.alerts)?.state === 'active' || undefined;
      },
      180_000,
    );
    const matchers = [
      { name: 'alertname', value: 'DemoHighErrorRate', isRegex: false },
      { name: 'namespace', value: 'payments-dev', isRegex: false },
      { name: 'service', value: 'payments-api', isRegex: false },
    ];
    const created = await request(backend.server)
      .post('/api/metrics/silences')
      .set('Authorization', as(ALICE))
      .send({
        matchers,
        comment: 'integration test: known issue',
        durationMinutes: 10,
      });
    expect(created.status).toBe(201);
    const id = created.body.id;
    try {
      expect(created.body).toMatchObject({
        createdBy: ALICE,
        comment: 'integration test: known issue',
        state: 'active',
      });
      // it is in Alertmanager itself
      const inAm = await (
        await fetch(`${amUrl()}/api/v2/silence/${id}`)
      ).json();
      expect(inAm).toMatchObject({
        createdBy: ALICE,
        status: { state: 'active' },
      });
      expect(inAm.matchers).toHaveLength(3);

      const silenced = await waitFor(
        'the alert shows as silenced',
        async () => {
          const r = await request(backend.server)
            .get(`${PAYMENTS_API}/alerts`)
            .set('Authorization', as(ALICE));
          const a = errorRateAlert(r.body.alerts);
          return a?.state === 'suppressed' ? a : undefined;
        },
        60_000,
      );
      expect(silenced.silencedBy).toContain(id);
      const list = await request(backend.server)
        .get('/api/metrics/silences')
        .set('Authorization', as(ALICE));
      expect(list.body.silences.map((x: any) => x.id)).toContain(id);

      // the same API refuses what alice may not do
      const foreign = await request(backend.server)
        .post('/api/metrics/silences')
        .set('Authorization', as(ALICE))
        .send({
          matchers: [{ name: 'namespace', value: 'risk-dev', isRegex: false }],
          comment: 'not mine',
          durationMinutes: 10,
        });
      expect(foreign.status).toBe(403);
      expect(foreign.body.error.message).toBe(
        'You may not silence alerts of namespace risk-dev (your scope: payments-*)',
      );
      const unconfined = await request(backend.server)
        .post('/api/metrics/silences')
        .set('Authorization', as(ALICE))
        .send({
          matchers: [
            { name: 'alertname', value: 'DemoHighErrorRate', isRegex: false },
          ],
          comment: 'everywhere',
          durationMinutes: 10,
        });
      expect(unconfined.status).toBe(403);
      // the validator names the first bad field: one request per field
      const valid = {
        matchers: [
          { name: 'namespace', value: 'payments-dev', isRegex: false },
        ],
        comment: 'why not',
        durationMinutes: 5,
      };
      for (const [bad, message] of [
        [
          { matchers: [] },
          'request/body/matchers must NOT have fewer than 1 items',
        ],
        [
          { comment: 'x' },
          'request/body/comment must NOT have fewer than 3 characters',
        ],
        [
          { comment: '   x   ' },
          'request/body/comment must say why (at least 3 characters)',
        ],
        [{ durationMinutes: 0 }, 'request/body/durationMinutes must be >= 1'],
      ] as const) {
        const invalid = await request(backend.server)
          .post('/api/metrics/silences')
          .set('Authorization', as(ALICE))
          .send({ ...valid, ...bad });
        expect(invalid.status).toBe(400);
        expect(invalid.body.error.message).toBe(message);
      }
      const mallory = await request(backend.server)
        .delete(`/api/metrics/silences/${id}`)
        .set('Authorization', as(MALLORY));
      expect(mallory.status).toBe(403);
    } finally {
      const expired = await request(backend.server)
        .delete(`/api/metrics/silences/${id}`)
        .set('Authorization', as(ALICE));
      expect(expired.status).toBe(204);
    }
    const inAm = await (await fetch(`${amUrl()}/api/v2/silence/${id}`)).json();
    expect(inAm.status.state).toBe('expired');
    await waitFor(
      'the alert is active again',
      async () => {
        const r = await request(backend.server)
          .get(`${PAYMENTS_API}/alerts`)
          .set('Authorization', as(ALICE));
        return errorRateAlert(r.body.alerts)?.state === 'active' || undefined;
      },
      60_000,
    );
    const again = await request(backend.server)
      .delete(`/api/metrics/silences/${id}`)
      .set('Authorization', as(ALICE));
    expect(again.status).toBe(400);
    expect(again.body.error.message).toBe(`Silence ${id} has already expired`);

    const audit = await request(backend.server)
      .get('/api/metrics/audit')
      .set('Authorization', as(ALICE));
    expect(audit.status).toBe(200);
    const mine = audit.body.items.filter((r: any) => r.name === id);
    expect(mine.map((r: any) => [r.action, r.result, r.actor])).toEqual(
      expect.arrayContaining([
        ['metrics.silence.create', 'success', ALICE],
        ['metrics.silence.expire', 'success', ALICE],
        ['metrics.silence.expire', 'failure', MALLORY],
      ]),
    );
    expect(
      audit.body.items.some(
        (r: any) =>
          r.namespace === 'risk-dev' &&
          r.actor === ALICE &&
          r.result === 'failure',
      ),
    ).toBe(true);
  });
});
