/*
 * DefaultTracesService against a fake Jaeger (no stack), the catalog mock with inline entities and
 * the test kit's permissions (alice CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW,
 * mallory DENY).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testPermissions } from '@kubemate/dev-stack';
import { JaegerApi, JaegerDependency, JaegerTrace } from '../JaegerClient';
import { paymentsTrace, proc, span } from '../testTraces';
import { DefaultTracesService } from './DefaultTracesService';

const alice = mockCredentials.user('user:default/alice');
const admin = mockCredentials.user('user:default/admin');
const mallory = mockCredentials.user('user:default/mallory');

const entity = (name: string, annotations: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

const entities = [
  entity('payments-api', { 'backstage.io/kubernetes-id': 'payments-api' }),
  entity('risk-engine', { 'kubemate.io/traces-service': 'risk-engine' }),
  entity('docs', {}),
];

/** A risk-engine trace that never touches payments-*. */
function riskTrace(traceID: string): JaegerTrace {
  return {
    traceID,
    processes: { p: proc('risk-engine', 'risk-dev') },
    spans: [span(traceID, 'r', 'p', { start: 5_000_000, duration: 10 })],
  };
}

class FakeJaeger implements JaegerApi {
  readonly searches: Array<Record<string, string>> = [];
  traces: Record<string, JaegerTrace[]> = {};
  edges: JaegerDependency[] = [];
  lookbacks: number[] = [];

  async search(params: Record<string, string>) {
    this.searches.push(params);
    return this.traces[params.service] ?? [];
  }
  async trace(traceId: string) {
    const t = Object.values(this.traces)
      .flat()
      .find(x => x.traceID === traceId);
    if (!t) throw Object.assign(new Error('nope'), { name: 'NotFoundError' });
    return t;
  }
  async services() {
    return Object.keys(this.traces);
  }
  async operations() {
    return [];
  }
  async dependencies(_endTs: number, lookbackMs: number) {
    this.lookbacks.push(lookbackMs);
    return this.edges;
  }
}

function setup() {
  const jaeger = new FakeJaeger();
  const older = paymentsTrace('b'.repeat(32));
  older.spans = older.spans.map(s => ({
    ...s,
    startTime: s.startTime - 500_000,
  }));
  jaeger.traces = {
    'payments-api': [older, paymentsTrace('a'.repeat(32))],
    'risk-engine': [riskTrace('c'.repeat(32)), paymentsTrace('a'.repeat(32))],
  };
  jaeger.edges = [
    { parent: 'gateway', child: 'payments-api', callCount: 3 },
    { parent: 'payments-api', child: 'risk-engine', callCount: 2 },
    { parent: 'risk-engine', child: 'redis', callCount: 9 },
    { parent: 'redis', child: 'disk', callCount: 1 },
    { parent: 'batch', child: 'postgres', callCount: 4 },
  ];
  const service = new DefaultTracesService({
    jaeger,
    permissions: testPermissions() as any,
    catalog: catalogServiceMock({ entities }),
  });
  return { service, jaeger };
}

describe('DefaultTracesService', () => {
  it("searches the entity's services in Jaeger and returns its traces newest first", async () => {
    const { service, jaeger } = setup();
    const r = await service.search(alice, 'component:default/payments-api', {
      lookback: '1h',
      limit: 20,
      operation: 'GET /pay',
      tags: { error: 'true' },
      minDuration: '10ms',
    });
    expect(jaeger.searches).toEqual([
      {
        service: 'payments-api',
        lookback: '1h',
        limit: '20',
        operation: 'GET /pay',
        tags: '{"error":"true"}',
        minDuration: '10ms',
      },
    ]);
    expect(r.scope).toEqual(['payments-*']);
    expect(r.traces.map(t => t.traceId)).toEqual([
      'a'.repeat(32),
      'b'.repeat(32),
    ]);
  });

  it("keeps only traces whose entity spans ran in alice's namespaces", async () => {
    const { service } = setup();
    // risk-engine's spans are in risk-dev: alice sees none of its traces, the admin sees both
    const alices = await service.search(
      alice,
      'component:default/risk-engine',
      {
        lookback: '1h',
        limit: 20,
      },
    );
    expect(alices.traces).toEqual([]);
    const admins = await service.search(
      admin,
      'component:default/risk-engine',
      {
        lookback: '1h',
        limit: 20,
      },
    );
    expect(admins.scope).toBe('all');
    expect(admins.traces.map(t => t.traceId).sort()).toEqual([
      'a'.repeat(32),
      'c'.repeat(32),
    ]);
  });

  it('filters error traces itself, asking Jaeger for more', async () => {
    const { service, jaeger } = setup();
    const r = await service.search(admin, 'component:default/risk-engine', {
      lookback: '2h',
      limit: 1,
      errorsOnly: true,
    });
    expect(jaeger.searches[0].limit).toBe('500');
    expect(r.traces.map(t => t.traceId)).toEqual(['a'.repeat(32)]);
  });

  it('denies mallory (403) and refuses an entity without a tracing service (400)', async () => {
    const { service, jaeger } = setup();
    await expect(
      service.search(mallory, 'component:default/payments-api', {
        lookback: '1h',
        limit: 20,
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'You are not allowed traces.entity.read',
    });
    await expect(
      service.search(admin, 'component:default/docs', {
        lookback: '1h',
        limit: 20,
      }),
    ).rejects.toMatchObject({ name: 'InputError' });
    await expect(
      service.search(admin, 'component:default/nope', {
        lookback: '1h',
        limit: 20,
      }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    expect(jaeger.searches).toEqual([]);
  });

  it('returns a waterfall with foreign spans redacted, and 403 for a trace with none in scope', async () => {
    const { service } = setup();
    const w = await service.trace(alice, 'a'.repeat(32));
    expect(w.spans.map(s => [s.spanId, s.redacted])).toEqual([
      ['root', false],
      ['cache', false],
      ['client', false],
      ['server', true],
    ]);
    await expect(service.trace(alice, 'c'.repeat(32))).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: `Trace ${'c'.repeat(
        32,
      )} has no span in a namespace you may read`,
    });
    await expect(service.trace(mallory, 'a'.repeat(32))).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it("answers the graph around the entity's services without unrelated edges; the whole graph only unscoped", async () => {
    const { service, jaeger } = setup();
    const near = await service.dependencies(alice, {
      entityRef: 'component:default/payments-api',
      lookbackMs: 60_000,
    });
    expect(jaeger.lookbacks).toEqual([60_000]);
    expect(near.edges.map(e => `${e.parent}>${e.child}`)).toEqual([
      'gateway>payments-api',
      'payments-api>risk-engine',
      'risk-engine>redis',
      'redis>disk',
    ]);
    await expect(
      service.dependencies(alice, { lookbackMs: 60_000 }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(
      (await service.dependencies(admin, { lookbackMs: 60_000 })).edges,
    ).toHaveLength(5);
  });

  it('is unavailable without a Jaeger URL', async () => {
    const service = new DefaultTracesService({
      permissions: testPermissions() as any,
      catalog: catalogServiceMock({ entities }),
    });
    await expect(service.trace(admin, 'a'.repeat(32))).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'Traces are not configured: set kubemate.traces.jaeger.url',
    });
  });
});
