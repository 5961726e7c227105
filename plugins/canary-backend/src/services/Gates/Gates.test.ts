import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ClusterRegistryService } from '@kubemate/plugin-kubemate-node';
import { DatabaseGateStore } from './DatabaseGateStore';
import {
  DefaultFlaggerGateHandler,
  tokensEqual,
} from './DefaultFlaggerGateHandler';
import { declaresGate, CanaryObject } from './flagger';
import { GateKey } from './types';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const key: GateKey = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'payments-api',
  type: 'confirm-promotion',
  revision: 'rev-1',
};

async function makeStore(now?: () => Date) {
  const knex = await databases.init('SQLITE_3');
  return new DatabaseGateStore({
    database: mockServices.database({ knex }),
    now,
  });
}

describe('DatabaseGateStore', () => {
  it('is closed until opened, per revision and type', async () => {
    const store = await makeStore();
    expect(await store.get(key)).toEqual({
      type: 'confirm-promotion',
      open: false,
      waiting: false,
    });
    expect(await store.ask(key)).toBe(false);
    await store.open(key, 'user:default/alice');
    expect(await store.ask(key)).toBe(true);
    const state = await store.get(key);
    expect(state).toMatchObject({
      open: true,
      openedBy: 'user:default/alice',
      waiting: false,
    });
    expect(new Date(state.openedAt!).getTime()).not.toBeNaN();
    // another revision or another gate of the same release stays closed
    expect(await store.ask({ ...key, revision: 'rev-2' })).toBe(false);
    expect(await store.ask({ ...key, type: 'rollback' })).toBe(false);
    await store.close(key, 'user:default/alice');
    expect(await store.ask(key)).toBe(false);
    expect((await store.get(key)).openedBy).toBeUndefined();
  });

  it('says Flagger is waiting when it asked within the last minute', async () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const store = await makeStore(() => now);
    await store.ask(key);
    expect((await store.get(key)).waiting).toBe(true);
    now = new Date('2026-01-01T00:02:00Z');
    expect((await store.get(key)).waiting).toBe(false);
  });
});

const canary = (webhooks: any[], lastAppliedSpec = 'rev-1'): CanaryObject => ({
  metadata: { name: 'payments-api', namespace: 'payments-dev' },
  spec: { analysis: { webhooks } },
  status: { phase: 'WaitingPromotion', lastAppliedSpec },
});

function fakeClusters(obj: CanaryObject | Error): ClusterRegistryService {
  const clients = {
    custom: {
      getNamespacedCustomObject: jest.fn(async () => {
        if (obj instanceof Error) throw obj;
        return obj;
      }),
    },
  };
  return {
    listClusters: () => [
      { name: 'dev-cluster', url: 'https://x', skipTLSVerify: false },
    ],
    getCluster: jest.fn(),
    portalClients: () => clients as any,
    clientsAs: jest.fn(),
  } as unknown as ClusterRegistryService;
}

describe('DefaultFlaggerGateHandler', () => {
  const payload = (token?: string) => ({
    metadata: (token === undefined ? {} : { token }) as Record<string, string>,
    name: 'payments-api',
    namespace: 'payments-dev',
    phase: 'Progressing',
    checksum: 'whatever-flagger-hashed',
  });

  it('compares tokens in constant time', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('abc', 'abcd')).toBe(false);
  });

  it('refuses a missing or wrong token (401) and an unknown cluster (400)', async () => {
    const store = await makeStore();
    const handler = new DefaultFlaggerGateHandler({
      gateToken: 's3cret',
      clusters: fakeClusters(canary([])),
      store,
    });
    await expect(
      handler.handle('dev-cluster', 'confirm-promotion', payload()),
    ).rejects.toMatchObject({ name: 'AuthenticationError' });
    await expect(
      handler.handle('dev-cluster', 'confirm-promotion', payload('nope')),
    ).rejects.toMatchObject({ name: 'AuthenticationError' });
    await expect(
      handler.handle('nowhere', 'confirm-promotion', payload('s3cret')),
    ).rejects.toMatchObject({ name: 'InputError' });
    const unconfigured = new DefaultFlaggerGateHandler({
      clusters: fakeClusters(canary([])),
      store,
    });
    await expect(
      unconfigured.handle('dev-cluster', 'confirm-promotion', payload('')),
    ).rejects.toMatchObject({ name: 'AuthenticationError' });
  });

  it('answers from the store for the Canary revision and records the ask', async () => {
    const store = await makeStore();
    const handler = new DefaultFlaggerGateHandler({
      gateToken: 's3cret',
      clusters: fakeClusters(canary([])),
      store,
    });
    expect(
      await handler.handle(
        'dev-cluster',
        'confirm-promotion',
        payload('s3cret'),
      ),
    ).toBe(false);
    expect((await store.get(key)).waiting).toBe(true);
    await store.open(key, 'user:default/alice');
    expect(
      await handler.handle(
        'dev-cluster',
        'confirm-promotion',
        payload('s3cret'),
      ),
    ).toBe(true);
    expect(
      await handler.handle('dev-cluster', 'rollback', payload('s3cret')),
    ).toBe(false);
  });

  it('maps an unreachable cluster to 503', async () => {
    const handler = new DefaultFlaggerGateHandler({
      gateToken: 's3cret',
      clusters: fakeClusters(new Error('connect ECONNREFUSED')),
      store: await makeStore(),
    });
    await expect(
      handler.handle('dev-cluster', 'rollback', payload('s3cret')),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
  });
});

describe('declaresGate', () => {
  it('needs a webhook of the type pointing at the gate route of the cluster', () => {
    const c = canary([
      {
        name: 'approve',
        type: 'confirm-promotion',
        url: 'http://127.0.0.1:7007/api/canary/gates/dev-cluster/confirm-promotion',
      },
      {
        name: 'elsewhere',
        type: 'rollback',
        url: 'http://other/rollback',
      },
    ]);
    expect(declaresGate(c, 'dev-cluster', 'confirm-promotion')).toBe(true);
    expect(declaresGate(c, 'prod-cluster', 'confirm-promotion')).toBe(false);
    expect(declaresGate(c, 'dev-cluster', 'rollback')).toBe(false);
    expect(declaresGate(c, 'dev-cluster', 'confirm-rollout')).toBe(false);
  });
});
