/*
 * The metrics service without the stack: fakes of Thanos Query, Alertmanager, the cluster registry,
 * the shared cache and the audit log; the test kit's permission decisions (alice CONDITIONAL
 * IS_IN_NAMESPACE [payments-*], admin ALLOW, mallory DENY).
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, ServiceUnavailableError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testPermissions } from '@kubemate/dev-stack';
import type { AuditRecord } from '@kubemate/plugin-kubemate-common';
import type {
  ClusterAuditService,
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import type { AmAlert, AmSilence } from '../AlertmanagerClient';
import { DefaultMetricsService } from './DefaultMetricsService';
import { AlertmanagerApi, ThanosQueryApi } from './types';

const alice = mockCredentials.user('user:default/alice');
const admin = mockCredentials.user('user:default/admin');
const mallory = mockCredentials.user('user:default/mallory');

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: {
      'backstage.io/kubernetes-id': 'payments-api',
      'backstage.io/kubernetes-namespace': 'payments-dev',
    },
  },
};

const alert = (
  name: string,
  labels: Record<string, string>,
  state: AmAlert['status']['state'] = 'active',
): AmAlert => ({
  fingerprint: name,
  labels: { alertname: name, ...labels },
  annotations: {},
  startsAt: '2026-01-01T00:00:00Z',
  endsAt: '2026-01-01T01:00:00Z',
  status: { state, silencedBy: [], inhibitedBy: [] },
});

const silence = (id: string, namespace?: string): AmSilence => ({
  id,
  matchers: [
    { name: 'alertname', value: 'X', isRegex: false },
    ...(namespace
      ? [{ name: 'namespace', value: namespace, isRegex: false }]
      : []),
  ],
  startsAt: `2026-01-0${id.length}T00:00:00Z`,
  endsAt: '2026-02-01T00:00:00Z',
  createdBy: 'someone',
  comment: 'why',
  status: { state: 'active' },
});

function setup(
  opts: { thanos?: boolean | ThanosQueryApi; alertmanager?: boolean } = {},
) {
  const queries: Array<{ path: string; params: Record<string, string> }> = [];
  const thanos: ThanosQueryApi = {
    async query(path, params) {
      queries.push({ path, params });
      return { resultType: 'vector', result: [] };
    },
  };
  const created: unknown[] = [];
  const alertmanager: AlertmanagerApi = {
    async alerts() {
      return [
        alert('Info', { namespace: 'payments-dev', severity: 'info' }),
        alert('Risky', { namespace: 'risk-prod', severity: 'critical' }),
        alert('Silenced', { namespace: 'payments-prod' }, 'suppressed'),
        alert('Critical', { namespace: 'payments-prod', severity: 'critical' }),
        alert('ClusterWide', { severity: 'critical' }),
        alert('OnPod', { namespace: 'payments-dev', pod: 'payments-api-1' }),
        alert('ByService', {
          namespace: 'payments-dev',
          service: 'payments-api',
        }),
      ];
    },
    async silences() {
      return [
        silence('a', 'payments-dev'),
        silence('bb', 'risk-prod'),
        silence('ccc'),
      ];
    },
    async silence(id) {
      return silence(id, 'payments-dev');
    },
    async createSilence(s) {
      created.push(s);
      return 'new-id';
    },
    async expireSilence() {},
  };
  const records: AuditRecord[] = [];
  const audit: ClusterAuditService = {
    async record(entry) {
      records.push({ id: records.length + 1, createdAt: 'now', ...entry });
    },
    async query() {
      return [...records].reverse();
    },
  };
  const clusters = {
    listClusters: () => [{ name: 'dev' }],
  } as unknown as ClusterRegistryService;
  const cache = {
    async list() {
      return [
        {
          metadata: {
            name: 'payments-api-1',
            namespace: 'payments-dev',
            labels: { 'backstage.io/kubernetes-id': 'payments-api' },
          },
          status: { phase: 'Running' },
        },
      ];
    },
  } as unknown as ResourceCacheService;
  const thanosOf = (t: true | ThanosQueryApi | undefined) =>
    typeof t === 'object' ? t : thanos;
  const service = new DefaultMetricsService({
    thanos: opts.thanos === false ? undefined : thanosOf(opts.thanos),
    alertmanager: opts.alertmanager === false ? undefined : alertmanager,
    permissions: testPermissions() as any,
    catalog: catalogServiceMock({ entities: [entity] }),
    clusters,
    cache,
    audit,
  });
  return { service, queries, created, records };
}

describe('DefaultMetricsService', () => {
  it("rewrites alice's PromQL to her namespaces; the admin's stays as written", async () => {
    const { service, queries } = setup();
    const r = await service.query(alice, { query: 'up', time: 100 });
    expect(r).toMatchObject({
      effectiveQuery: 'up{namespace=~"payments-.*"}',
      scope: ['payments-*'],
      dedup: true,
    });
    expect(queries).toEqual([
      {
        path: '/api/v1/query',
        params: {
          query: 'up{namespace=~"payments-.*"}',
          dedup: 'true',
          time: '100',
        },
      },
    ]);
    const all = await service.query(admin, { query: 'up', dedup: false });
    expect(all).toMatchObject({
      effectiveQuery: 'up',
      scope: 'all',
      dedup: false,
    });
  });

  it('picks step and downsampling of a range query', async () => {
    const { service, queries } = setup();
    const r = await service.queryRange(alice, {
      query: 'up',
      start: 0,
      end: 3600,
    });
    expect(r.step).toBeGreaterThan(0);
    expect(r.maxSourceResolution).toBe('0s');
    expect(queries[0].path).toBe('/api/v1/query_range');
    expect(queries[0].params).toMatchObject({ start: '0', end: '3600' });
  });

  it('refuses mallory without asking Thanos, and answers 503 when Thanos is not configured', async () => {
    const { service, queries } = setup();
    await expect(service.query(mallory, { query: 'up' })).rejects.toThrow(
      NotAllowedError,
    );
    expect(queries).toEqual([]);
    await expect(
      setup({ thanos: false }).service.query(admin, { query: 'up' }),
    ).rejects.toThrow(ServiceUnavailableError);
  });

  it('shows alice the alerts of her namespaces only, active and severe first', async () => {
    const { service } = setup();
    const mine = await service.alerts(alice);
    expect(mine.scope).toEqual(['payments-*']);
    expect(mine.alerts.map(a => a.name)).toEqual([
      'Critical',
      'Info',
      'OnPod',
      'ByService',
      'Silenced',
    ]);
    const every = await service.alerts(admin);
    expect(every.alerts.map(a => a.name)).toEqual([
      'Risky',
      'Critical',
      'ClusterWide',
      'Info',
      'OnPod',
      'ByService',
      'Silenced',
    ]);
    await expect(service.alerts(mallory)).rejects.toThrow(NotAllowedError);
  });

  it("lists an entity's alerts by its service label and its pods", async () => {
    const { service } = setup();
    const r = await service.entityAlerts(
      alice,
      'component:default/payments-api',
    );
    expect(r.alerts.map(a => a.name).sort()).toEqual(['ByService', 'OnPod']);
  });

  it('shows the silences confined to a namespace of the scope', async () => {
    const { service } = setup();
    expect((await service.silences(alice)).map(s => s.id)).toEqual(['a']);
    expect((await service.silences(admin)).map(s => s.id)).toEqual([
      'ccc',
      'bb',
      'a',
    ]);
  });

  it('refuses a silence outside the scope, audits the refusal and creates nothing', async () => {
    const { service, created, records } = setup();
    const body = {
      matchers: [{ name: 'namespace', value: 'risk-prod', isRegex: false }],
      comment: 'maintenance',
      durationMinutes: 10,
    };
    await expect(service.createSilence(alice, body)).rejects.toThrow(
      'You may not silence alerts of namespace risk-prod (your scope: payments-*)',
    );
    await expect(service.createSilence(mallory, body)).rejects.toThrow(
      NotAllowedError,
    );
    expect(created).toEqual([]);
    expect(
      records.map(r => [r.actor, r.action, r.result, r.namespace]),
    ).toEqual([
      ['user:default/alice', 'metrics.silence.create', 'failure', 'risk-prod'],
      [
        'user:default/mallory',
        'metrics.silence.create',
        'failure',
        'risk-prod',
      ],
    ]);
  });

  it('creates a silence in the scope and audits it', async () => {
    const { service, created, records } = setup();
    const s = await service.createSilence(alice, {
      matchers: [{ name: 'namespace', value: 'payments-dev', isRegex: false }],
      comment: 'maintenance',
      durationMinutes: 10,
    });
    expect(s.id).toBe('new-id');
    expect(created).toEqual([
      expect.objectContaining({
        createdBy: 'user:default/alice',
        comment: 'maintenance',
        matchers: [
          {
            name: 'namespace',
            value: 'payments-dev',
            isRegex: false,
            isEqual: true,
          },
        ],
      }),
    ]);
    expect(records).toEqual([
      expect.objectContaining({
        action: 'metrics.silence.create',
        result: 'success',
        name: 'new-id',
        message: 'namespace="payments-dev" for 10 min: maintenance',
      }),
    ]);
    expect((await service.audit(alice)).map(r => r.name)).toEqual(['new-id']);
    expect(await service.audit(admin)).toHaveLength(1);
  });
});

describe('golden signals when Thanos Query is unreachable', () => {
  // Found by the fault run (deploy/reliability/faults.mjs): with Thanos Query hung, the golden
  // signals waited for the signal queries' timeout and then again for the CPU/memory queries'
  // (60 s in all) before the 503. Once every signal failed as unavailable, it answers the 503 and
  // asks Thanos nothing more.
  it('answers the 503 after the signal queries, without the resource queries', async () => {
    const asked: string[] = [];
    const { service } = setup({
      thanos: {
        async query(_path, params) {
          asked.push(params.query);
          throw new ServiceUnavailableError(
            'Thanos Query at http://127.0.0.1:1 is unavailable: timeout',
          );
        },
      },
    });
    await expect(
      service.goldenSignals(admin, 'component:default/payments-api', {
        start: 1_000,
        end: 4_600,
      }),
    ).rejects.toThrow(ServiceUnavailableError);
    expect(asked.length).toBeGreaterThan(0);
    expect(asked.some(q => /container_(cpu|memory)/.test(q))).toBe(false);
  });
});
