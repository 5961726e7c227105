/*
 * DefaultLogsService against small fakes (no stack): a Loki that records the queries it is sent,
 * a cluster registry and watch cache holding a few pods, the catalog mock with inline entities, and
 * the test kit's permissions (alice CONDITIONAL IS_IN_NAMESPACE [payments-*], admin ALLOW,
 * mallory DENY).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import { testPermissions } from '@kubemate/dev-stack';
import type { TailEvent } from '@kubemate/plugin-logs-common';
import { LokiApi, LokiQueryData, LokiStream } from '../LokiClient';
import { DefaultLogsService } from './DefaultLogsService';
import { TAIL_LIMITS, toLines, toNanos } from '.';

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
  // found through its pods: in payments-dev (dev cluster) and payments-prod (prod cluster)
  entity('payments-api', { 'backstage.io/kubernetes-id': 'payments-api' }),
  // declared namespace
  entity('risk-engine', { 'backstage.io/kubernetes-namespace': 'risk-dev' }),
];

const pods: Record<string, Array<{ namespace: string; app: string }>> = {
  dev: [
    { namespace: 'payments-dev', app: 'payments-api' },
    { namespace: 'risk-dev', app: 'risk-engine' },
  ],
  prod: [{ namespace: 'payments-prod', app: 'payments-api' }],
};

const clusters = {
  listClusters: () =>
    Object.keys(pods).map(name => ({
      name,
      url: `https://${name}`,
      skipTLSVerify: false,
    })),
} as Partial<ClusterRegistryService> as ClusterRegistryService;

const cache: ResourceCacheService = {
  async list(cluster, _kind, options) {
    return (pods[cluster] ?? [])
      .filter(
        p =>
          !options?.labels ||
          options.labels['backstage.io/kubernetes-id'] === p.app,
      )
      .map(p => ({
        metadata: {
          namespace: p.namespace,
          labels: { 'backstage.io/kubernetes-id': p.app },
        },
      })) as any;
  },
  async stop() {},
};

/** A Loki answering every query with `data`, recording what it was asked. */
class FakeLoki implements LokiApi {
  readonly queries: Array<Parameters<LokiApi['queryRange']>[0]> = [];
  readonly tails: Array<{
    params: Parameters<LokiApi['tail']>[0];
    handlers: Parameters<LokiApi['tail']>[1];
    closed: boolean;
  }> = [];
  data: LokiQueryData = { resultType: 'streams', result: [] };

  async queryRange(params: Parameters<LokiApi['queryRange']>[0]) {
    this.queries.push(params);
    return this.data;
  }

  tail(
    params: Parameters<LokiApi['tail']>[0],
    handlers: Parameters<LokiApi['tail']>[1],
  ) {
    const t = { params, handlers, closed: false };
    this.tails.push(t);
    return {
      opened: Promise.resolve(),
      close: () => {
        t.closed = true;
      },
    };
  }
}

const stream = (
  labels: Record<string, string>,
  values: Array<[string, string]>,
): LokiStream => ({ stream: labels, values });

function setup(loki: FakeLoki | undefined = new FakeLoki()) {
  const service = new DefaultLogsService({
    loki,
    permissions: testPermissions() as any,
    catalog: catalogServiceMock({ entities }),
    clusters,
    cache,
  });
  return { service, loki: loki! };
}

const range = { start: 1_700_000_000, end: 1_700_003_600 };

describe('DefaultLogsService', () => {
  it("confines alice's query to payments-* and sends Loki only that", async () => {
    const { service, loki } = setup();
    loki.data = {
      resultType: 'streams',
      result: [
        stream({ namespace: 'payments-dev', app: 'a' }, [
          ['1000', 'older'],
          ['3000', 'newest trace_id=0123456789abcdef0123456789abcdef'],
        ]),
        stream({ namespace: 'payments-prod', app: 'a' }, [['2000', 'middle']]),
      ],
    };
    const r = await service.query(alice, {
      query: '{app="a"}',
      ...range,
      limit: 2,
      direction: 'backward',
    });
    expect(loki.queries).toEqual([
      {
        query: '{app="a", namespace=~"payments-.*"}',
        start: toNanos(range.start),
        end: toNanos(range.end),
        limit: 2,
        direction: 'backward',
      },
    ]);
    expect(r).toEqual({
      resultType: 'streams',
      lines: [
        {
          ts: '3000',
          line: 'newest trace_id=0123456789abcdef0123456789abcdef',
          labels: { namespace: 'payments-dev', app: 'a' },
          traceId: '0123456789abcdef0123456789abcdef',
        },
        {
          ts: '2000',
          line: 'middle',
          labels: { namespace: 'payments-prod', app: 'a' },
        },
      ],
      effectiveQuery: '{app="a", namespace=~"payments-.*"}',
      scope: ['payments-*'],
      limited: true,
    });
  });

  it('refuses a namespace outside the scope without asking Loki', async () => {
    const { service, loki } = setup();
    await expect(
      service.query(alice, {
        query: '{namespace="risk-dev"}',
        ...range,
        limit: 10,
        direction: 'forward',
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(loki.queries).toEqual([]);
  });

  it('denies mallory (403) before anything is sent to Loki', async () => {
    const { service, loki } = setup();
    await expect(
      service.query(mallory, {
        query: '{app="x"}',
        ...range,
        limit: 10,
        direction: 'forward',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'You are not allowed logs.entity.read',
    });
    expect(loki.queries).toEqual([]);
  });

  it("narrows an entity query to the entity's namespaces within the user's scope", async () => {
    const { service } = setup();
    expect(
      await service.scopeOf(alice, 'component:default/payments-api'),
    ).toEqual({
      type: 'namespaces',
      namespaces: ['payments-dev', 'payments-prod'],
    });
    expect(
      await service.scopeOf(admin, 'component:default/risk-engine'),
    ).toEqual({ type: 'namespaces', namespaces: ['risk-dev'] });
    expect(await service.scopeOf(admin)).toEqual({ type: 'all' });
    await expect(
      service.scopeOf(alice, 'component:default/risk-engine'),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'component:default/risk-engine runs in no namespace whose logs you may read',
    });
    await expect(
      service.scopeOf(alice, 'component:default/nope'),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  // fuzz finding: a malformed entityRef (e.g. "j\u000e") reached the catalog client, whose
  // plain Error made every logs route answer 500
  it('refuses a malformed entity ref as a 400 naming it', async () => {
    const { service, loki } = setup();
    for (const ref of ['j\u000e', '0'.repeat(100), ':/']) {
      await expect(service.scopeOf(admin, ref)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(/^entityRef: Entity reference /),
      });
    }
    expect(loki.queries).toEqual([]);
  });

  it('counts the volume per level with a step of a 60th of the range', async () => {
    const { service, loki } = setup();
    loki.data = {
      resultType: 'matrix',
      result: [
        {
          metric: { level: 'error' },
          values: [
            [1_700_000_060, '2'],
            [1_700_000_120, '5'],
          ],
        },
      ],
    };
    const r = await service.volume(alice, {
      query: '{app="payments-api"}',
      ...range,
      entityRef: 'component:default/payments-api',
    });
    expect(loki.queries[0]).toMatchObject({
      query:
        'sum by (level) (count_over_time({app="payments-api", namespace=~"payments-dev|payments-prod"} [60s]))',
      step: 60,
    });
    expect(r).toEqual({
      resultType: 'matrix',
      series: [
        {
          labels: { level: 'error' },
          points: [
            [1_700_000_060, 2],
            [1_700_000_120, 5],
          ],
        },
      ],
      effectiveQuery: loki.queries[0].query,
      scope: ['payments-dev', 'payments-prod'],
      step: 60,
    });
    await expect(
      service.volume(alice, { query: 'rate({app="x"}[1m])', ...range }),
    ).rejects.toMatchObject({ name: 'InputError' });
  });

  it("reads a line's context in its own stream, scoped", async () => {
    const { service, loki } = setup();
    loki.data = {
      resultType: 'streams',
      result: [stream({ namespace: 'payments-dev' }, [['5', 'x']])],
    };
    const r = await service.context(alice, {
      labels: { namespace: 'payments-dev', app: 'a' },
      ts: '1000000000000000000',
      before: 3,
      after: 2,
    });
    expect(loki.queries.map(q => [q.limit, q.direction])).toEqual([
      [3, 'backward'],
      [2, 'forward'],
    ]);
    expect(loki.queries[0].query).toBe(
      '{namespace="payments-dev", app="a", namespace=~"payments-.*"}',
    );
    expect(r.before).toHaveLength(1);
    await expect(
      service.context(alice, {
        labels: { namespace: 'risk-dev' },
        ts: '1',
        before: 1,
        after: 1,
      }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  // fuzz finding: admin's (unscoped) tail of a malformed query opened Loki's WebSocket, whose
  // refused handshake answered 503 "Loki is unavailable" instead of Loki's 400
  it("refuses an unscoped tail of a malformed query with Loki's 400, before opening a tail", async () => {
    const loki = new FakeLoki();
    loki.queryRange = async params => {
      loki.queries.push(params);
      throw new InputError(
        'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER',
      );
    };
    const { service } = setup(loki);
    const io = { send: () => true, onDrain: () => {} };
    await expect(
      service.tail(admin, { query: '\u0081é' }, io),
    ).rejects.toMatchObject({
      name: 'InputError',
      message:
        'parse error at line 1, col 1: syntax error: unexpected IDENTIFIER',
    });
    expect(loki.queries.map(q => q.query)).toEqual(['\u0081é']);
    expect(loki.tails).toEqual([]);
  });

  it('relays a tail, reports drops when the consumer lags, and stops', async () => {
    const { service, loki } = setup();
    const events: TailEvent[] = [];
    let drain = () => {};
    let accept = true;
    const session = await service.tail(
      alice,
      { query: '{app="a"}' },
      {
        send: e => {
          events.push(e);
          return accept;
        },
        onDrain: cb => {
          drain = cb;
        },
      },
    );
    expect(loki.tails[0].params.query).toBe(
      '{app="a", namespace=~"payments-.*"}',
    );
    const { onStreams } = loki.tails[0].handlers;
    onStreams([stream({ app: 'a' }, [['1', 'one']])], 0);
    expect(events).toEqual([
      {
        type: 'lines',
        lines: [{ ts: '1', line: 'one', labels: { app: 'a' } }],
      },
    ]);
    // the consumer stops accepting: lines buffer up to the bound, the rest are dropped
    accept = false;
    onStreams([stream({ app: 'a' }, [['2', 'two']])], 0);
    const many = Array.from(
      { length: TAIL_LIMITS.maxBuffered + 5 },
      (_, i) => [`${100 + i}`, 'x'] as [string, string],
    );
    onStreams([stream({ app: 'a' }, many)], 3);
    accept = true;
    drain();
    const dropped = events.filter(e => e.type === 'dropped');
    expect(dropped).toEqual([{ type: 'dropped', count: 8 }]);
    session.stop();
    await session.done;
    expect(events[events.length - 1]).toEqual({
      type: 'end',
      reason: 'stopped by the client',
    });
    expect(loki.tails[0].closed).toBe(true);
  });

  it('is unavailable without a Loki URL', async () => {
    const service = new DefaultLogsService({
      permissions: testPermissions() as any,
      catalog: catalogServiceMock({ entities }),
      clusters,
      cache,
    });
    await expect(
      service.query(admin, {
        query: '{app="x"}',
        ...range,
        limit: 1,
        direction: 'forward',
      }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'Logs are not configured: set kubemate.logs.loki.url',
    });
  });
});

describe('toLines / toNanos', () => {
  it('reads trace ids and converts unix seconds or milliseconds', () => {
    expect(
      toLines([stream({ a: 'b' }, [['7', '{"traceId":"00112233aabbccdd"}']])]),
    ).toEqual([
      {
        ts: '7',
        line: '{"traceId":"00112233aabbccdd"}',
        labels: { a: 'b' },
        traceId: '00112233aabbccdd',
      },
    ]);
    expect(toNanos(1_700_000_000)).toBe('1700000000000000000');
    expect(toNanos(1_700_000_000_123)).toBe('1700000000123000000');
  });
});

describe('DefaultLogsService while a cluster is unreachable', () => {
  // Found by the fault run (deploy/reliability/faults.mjs): with a cluster's apiserver down, the
  // watch cache answers a 503 for it; the Logs tab only needs which namespaces the entity runs in,
  // which the last known pods tell (its logs are in Loki), so it asks for them.
  it("finds the entity's namespaces from the last known pods", async () => {
    const service = new DefaultLogsService({
      loki: new FakeLoki(),
      permissions: testPermissions() as any,
      catalog: catalogServiceMock({ entities }),
      clusters,
      cache: {
        async list(cluster, kind, options) {
          if (cluster === 'dev' && !options?.allowStale)
            throw new ServiceUnavailableError(
              'Kubernetes cluster dev: the watch of pods failed',
            );
          return cache.list(cluster, kind, options);
        },
        async stop() {},
      },
    });
    expect(
      await service.scopeOf(alice, 'component:default/payments-api'),
    ).toEqual({
      type: 'namespaces',
      namespaces: ['payments-dev', 'payments-prod'],
    });
  });
});
