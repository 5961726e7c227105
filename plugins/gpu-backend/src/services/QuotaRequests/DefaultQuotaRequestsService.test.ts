/*
 * Quota requests on SQLite (the plugin database of the tests) with a fake cluster reader: the
 * validation beyond the schema (400 naming the field), the permission checks (bob may not approve,
 * only the requester cancels; denials audited), decisions on a request that is no longer pending
 * (409), and the expiry sweep's atomic claim (two replicas never claim the same request). Applying
 * to a real ClusterQueue is covered by plugin.integration.test.ts on the real Kueue.
 */
import { mockCredentials, TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { testPermissions, inNamespacesDecision } from '@kubemate/dev-stack';
import { ClusterQueueObject, LocalQueueObject } from '../../lib/kueue';
import { GpuClusterReader } from '../ClusterReader';
import { DatabaseQuotaRequestStore } from './DatabaseQuotaRequestStore';
import { DefaultQuotaRequestsService } from './DefaultQuotaRequestsService';
import { StoredQuotaRequest } from './types';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const ADMIN = 'user:default/admin';
const user = (ref: string) => mockCredentials.user(ref);

const cq: ClusterQueueObject = {
  metadata: {
    name: 'team-payments',
    annotations: { 'kubemate.io/team': 'group:default/team-payments' },
  },
  spec: {
    resourceGroups: [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [
          {
            name: 'a100',
            resources: [{ name: 'nvidia.com/gpu', nominalQuota: '2' }],
          },
        ],
      },
    ],
  },
};
const lq: LocalQueueObject = {
  metadata: { name: 'gpu', namespace: 'payments-dev' },
  spec: { clusterQueue: 'team-payments' },
};

const reader: Partial<GpuClusterReader> = {
  localQueues: async () => [lq],
  clusterQueue: async (_c, name) =>
    name === cq.metadata.name ? cq : undefined,
  gpuResourceQuotas: async () => [],
};

async function setUp() {
  const knex = await databases.init('SQLITE_3');
  const store = new DatabaseQuotaRequestStore({
    getClient: async () => knex,
  } as any);
  const audit = { record: jest.fn(async () => {}), query: jest.fn() };
  const service = new DefaultQuotaRequestsService({
    permissions: testPermissions((u, req) => {
      if (u === ADMIN) return { result: AuthorizeResult.ALLOW };
      if (req.permission.name === 'gpu.request.approve') {
        return { result: AuthorizeResult.DENY };
      }
      if (u === ALICE) return inNamespacesDecision(['payments-*']);
      if (u === BOB) return inNamespacesDecision(['risk-*', 'payments-dev']);
      return { result: AuthorizeResult.DENY };
    }) as any,
    clusters: {
      listClusters: () => [{ name: 'dev-cluster' } as any],
      getCluster: () => ({ name: 'dev-cluster' } as any),
      portalClients: () => {
        throw new Error('no Kubernetes in this test');
      },
      clientsAs: () => {
        throw new Error('no Kubernetes in this test');
      },
    },
    identity: {} as any,
    audit,
    logger: { warn: jest.fn(), error: jest.fn() } as any,
    reader: reader as GpuClusterReader,
    store,
    limits: { selfServiceLimit: 0, maxGpus: 16, maxHours: 48 },
  });
  return { service, store, audit };
}

const VALID = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  flavor: 'a100',
  gpus: 2,
  durationHours: 4,
  reason: '  fine-tuning run  ',
};

describe('DefaultQuotaRequestsService', () => {
  it('creates a pending request for the namespace’s ClusterQueue, audited', async () => {
    const { service, audit } = await setUp();
    const r = await service.create(user(ALICE), VALID);
    expect(r).toMatchObject({
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      clusterQueue: 'team-payments',
      team: 'group:default/team-payments',
      flavor: 'a100',
      gpus: 2,
      reason: 'fine-tuning run',
      status: 'pending',
      requestedBy: ALICE,
      source: 'portal',
      canCancel: true,
      canDecide: false,
    });
    expect(Date.parse(r.until) - Date.parse(r.requestedAt)).toBe(4 * 3600_000);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        actor: ALICE,
        action: 'gpu.request.create',
        result: 'success',
      }),
    );
  });

  it('refuses invalid requests with 400 naming the field, and out-of-scope namespaces with 403', async () => {
    const { service, audit } = await setUp();
    const cases: Array<[object, RegExp]> = [
      [{ gpus: -1 }, /^gpus: must be a whole number/],
      [{ gpus: 1.5 }, /^gpus: must be a whole number/],
      [{ gpus: 17 }, /^gpus: 17 is more than .* \(16 GPUs\)/],
      [{ durationHours: 0 }, /^durationHours: must be more than 0/],
      [{ durationHours: 49 }, /^durationHours: 49 is longer .* \(48 hours\)/],
      [{ reason: '   ' }, /^reason: must not be empty/],
      [
        { flavor: 'h100' },
        /^flavor: unknown flavor 'h100' .* \(GPU flavors: a100\)/,
      ],
      [
        { namespace: 'payments-prod' },
        /^namespace: payments-prod has no Kueue LocalQueue/,
      ],
      [{ cluster: 'mars' }, /^cluster: unknown cluster 'mars'/],
    ];
    for (const [change, message] of cases) {
      await expect(
        service.create(user(ALICE), { ...VALID, ...change } as any),
      ).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
    }
    await expect(
      service.create(user(ALICE), { ...VALID, namespace: 'risk-dev' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(
      audit.record.mock.calls.filter(([e]: any[]) => e.result === 'failure'),
    ).toHaveLength(cases.length + 1);
  });

  it('bob may not approve (403, audited); only the requester cancels; a decided request is a 409', async () => {
    const { service, audit } = await setUp();
    const r = await service.create(user(ALICE), VALID);
    await expect(
      service.decide(user(BOB), r.id, { decision: 'approve' }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('gpu.request.approve'),
    });
    expect(audit.record).toHaveBeenLastCalledWith(
      expect.objectContaining({
        actor: BOB,
        action: 'gpu.request.approve',
        result: 'failure',
      }),
    );
    await expect(service.cancel(user(BOB), r.id)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining('only the requester'),
    });
    const inbox = await service.list(user(ADMIN), { status: 'pending' });
    expect(inbox.items.map(i => [i.id, i.canDecide])).toEqual([[r.id, true]]);
    expect(inbox).toMatchObject({
      selfServiceLimit: 0,
      maxGpus: 16,
      maxHours: 48,
    });

    const rejected = await service.decide(user(ADMIN), r.id, {
      decision: 'reject',
      comment: 'not this week',
    });
    expect(rejected).toMatchObject({
      status: 'rejected',
      decidedBy: ADMIN,
      comment: 'not this week',
      canDecide: false,
    });
    await expect(
      service.decide(user(ADMIN), r.id, { decision: 'approve' }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(service.cancel(user(ALICE), r.id)).rejects.toMatchObject({
      name: 'ConflictError',
    });

    const other = await service.create(user(ALICE), VALID);
    expect(await service.cancel(user(ALICE), other.id)).toMatchObject({
      status: 'cancelled',
      canCancel: false,
    });
    await expect(
      service.decide(user(ADMIN), 'nope', { decision: 'reject' }),
    ).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('lists requests in the reader’s scope only (approvers see all)', async () => {
    const { service } = await setUp();
    const r = await service.create(user(ALICE), VALID);
    const stranger = user('user:default/mallory');
    await expect(service.list(stranger, {})).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect((await service.list(user(ALICE), {})).items.map(i => i.id)).toEqual([
      r.id,
    ]);
    expect((await service.list(user(ADMIN), {})).items.map(i => i.id)).toEqual([
      r.id,
    ]);
  });
});

describe('DatabaseQuotaRequestStore', () => {
  const request = (id: string, until: string): StoredQuotaRequest => ({
    id,
    cluster: 'dev-cluster',
    namespace: 'payments-dev',
    clusterQueue: 'team-payments',
    flavor: 'a100',
    gpus: 2,
    reason: 'r',
    until,
    status: 'active',
    requestedBy: ALICE,
    requestedAt: '2026-01-01T00:00:00.000Z',
    source: 'portal',
  });

  it('claims each expired active request once, however many sweeps run at the same time', async () => {
    const { store } = await setUp();
    await store.insert(request('a', '2026-01-01T01:00:00.000Z'));
    await store.insert(request('b', '2026-01-01T02:00:00.000Z'));
    await store.insert(request('later', '2026-01-02T00:00:00.000Z'));
    const now = new Date('2026-01-01T03:00:00Z');
    const claims = await Promise.all([
      store.claimExpired(now, 600_000),
      store.claimExpired(now, 600_000),
      store.claimExpired(now, 600_000),
    ]);
    const ids = claims
      .flat()
      .map(r => r.id)
      .sort();
    expect(ids).toEqual(['a', 'b']);
    // a claim is taken over only when stale (its replica died)
    expect(
      await store.claimExpired(new Date(now.getTime() + 1000), 600_000),
    ).toEqual([]);
    expect(
      (await store.claimExpired(new Date(now.getTime() + 700_000), 600_000))
        .map(r => r.id)
        .sort(),
    ).toEqual(['a', 'b']);
    // a released claim (return failed) is retried with its error recorded
    await store.release('a', 'returning the quota failed: cluster down');
    expect(await store.get('a')).toMatchObject({
      status: 'active',
      error: 'returning the quota failed: cluster down',
    });
    expect(
      (
        await store.claimExpired(new Date(now.getTime() + 800_000), 600_000)
      ).map(r => r.id),
    ).toEqual(['a']);
    expect(
      await store.transition('a', ['active'], {
        status: 'expired',
        returnedAt: now.toISOString(),
      }),
    ).toMatchObject({
      status: 'expired',
      returnedAt: now.toISOString(),
    });
    expect(
      await store.transition('a', ['active'], { status: 'expired' }),
    ).toBeUndefined();
    expect((await store.stats()).byStatus).toEqual({ active: 2, expired: 1 });
  });
});
