import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ClusterAuditService,
  ClusterRegistryService,
} from '@kubemate/plugin-kubemate-node';
import { AuditEntry } from '@kubemate/plugin-kubemate-node';
import { GateKey, GateStore } from '../Gates/types';
import { CanaryObject } from '../Gates/flagger';
import { DefaultReleaseActionsService } from './DefaultReleaseActionsService';

/** The gate store's contract in memory (DatabaseGateStore is tested on SQLite in Gates/). */
class MemoryGateStore implements GateStore {
  private readonly gates = new Map<string, { by: string; at: string }>();
  private id = (k: GateKey) =>
    [k.cluster, k.namespace, k.name, k.type, k.revision].join('|');
  async get(k: GateKey) {
    const g = this.gates.get(this.id(k));
    return g
      ? { type: k.type, open: true, openedBy: g.by, openedAt: g.at }
      : { type: k.type, open: false };
  }
  async open(k: GateKey, actor: string) {
    this.gates.set(this.id(k), { by: actor, at: new Date().toISOString() });
  }
  async close(k: GateKey) {
    this.gates.delete(this.id(k));
  }
  async ask(k: GateKey) {
    return this.gates.has(this.id(k));
  }
}

const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');
const target = {
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'payments-api',
};
const gateUrl = (gate: string) =>
  `http://127.0.0.1:7007/api/canary/gates/dev-cluster/${gate}`;

function makeCanary(
  overrides: Partial<CanaryObject['status']> = {},
  webhooks = [
    {
      name: 'approve',
      type: 'confirm-promotion',
      url: gateUrl('confirm-promotion'),
    },
    { name: 'abort', type: 'rollback', url: gateUrl('rollback') },
  ],
): CanaryObject {
  return {
    metadata: { name: 'payments-api', namespace: 'payments-dev' },
    spec: {
      targetRef: { kind: 'Deployment', name: 'payments-api' },
      analysis: { webhooks, stepWeight: 10, maxWeight: 50 } as any,
    },
    status: {
      phase: 'Succeeded',
      canaryWeight: 0,
      lastAppliedSpec: 'rev-1',
      ...overrides,
    },
  };
}

const deployment = (labels: Record<string, string>) => ({
  metadata: { name: 'payments-api', namespace: 'payments-dev', labels },
  spec: {
    template: {
      spec: { containers: [{ name: 'api', image: 'payments-api:1.0' }] },
    },
  },
});

async function setup(
  opts: {
    canary?: CanaryObject;
    labels?: Record<string, string>;
  } = {},
) {
  const canary = opts.canary ?? makeCanary();
  const dep = deployment(
    opts.labels ?? { 'backstage.io/kubernetes-id': 'payments-api' },
  );
  const userPatches = {
    deployment: jest.fn(async (req: any) => ({
      ...dep,
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                image: req.body.spec.template.spec.containers[0].image,
              },
            ],
          },
        },
      },
    })),
    canary: jest.fn(async (req: any) => ({
      ...canary,
      spec: { ...canary.spec, ...req.body.spec },
    })),
  };
  const clientsAs = jest.fn(() => ({
    apps: { patchNamespacedDeployment: userPatches.deployment },
    custom: { patchNamespacedCustomObject: userPatches.canary },
  }));
  const clusters = {
    listClusters: () => [
      { name: 'dev-cluster', url: 'https://x', skipTLSVerify: false },
    ],
    getCluster: (name: string) => {
      if (name !== 'dev-cluster') {
        const e = new Error(`Cluster ${name} not found`);
        e.name = 'NotFoundError';
        throw e;
      }
      return { name, url: 'https://x', skipTLSVerify: false };
    },
    portalClients: () => ({
      custom: { getNamespacedCustomObject: jest.fn(async () => canary) },
      apps: { readNamespacedDeployment: jest.fn(async () => dep) },
    }),
    clientsAs,
  } as unknown as ClusterRegistryService;
  const records: AuditEntry[] = [];
  const audit: ClusterAuditService = {
    record: async e => {
      records.push(e);
    },
    query: async () => [],
  };
  const permissions = {
    authorize: jest.fn(async (reqs: any[], { credentials }: any) =>
      reqs.map(() => ({
        result:
          credentials.principal.userEntityRef === 'user:default/bob'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
    ),
    authorizeConditional: jest.fn(),
  } as unknown as PermissionsService;
  const gates = new MemoryGateStore();
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: {
          name: 'payments-api',
          namespace: 'default',
          annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
        },
        spec: {},
      },
    ],
  });
  const service = new DefaultReleaseActionsService({
    permissions,
    catalog,
    clusters,
    identity: {
      mapUser: jest.fn(),
      forCredentials: async () => ({ user: 'alice', groups: ['payments'] }),
    },
    audit,
    logger: mockServices.logger.mock(),
    gates,
    promotionFollowUp: { pollMs: 0 },
  });
  return { service, records, userPatches, clientsAs, gates, permissions };
}

describe('DefaultReleaseActionsService', () => {
  it('refuses bob (403), audits the refusal and changes nothing', async () => {
    const s = await setup({
      canary: makeCanary({ phase: 'WaitingPromotion' }),
    });
    await expect(
      s.service.approve(bob, target, 'confirm-promotion'),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(
      s.service.start(bob, target, { image: 'payments-api:2.0' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(s.service.promote(bob, target)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(s.service.abort(bob, target)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(s.records).toHaveLength(4);
    expect(s.records.every(r => r.result === 'failure')).toBe(true);
    expect(s.records[0]).toMatchObject({
      actor: 'user:default/bob',
      action: 'canary.release.approve',
      kind: 'Canary',
      name: 'payments-api',
    });
    expect(s.records[0].message).toContain(
      'canary.release.approve on dev-cluster/payments-dev/canaries/payments-api',
    );
    expect(s.userPatches.deployment).not.toHaveBeenCalled();
    expect(s.userPatches.canary).not.toHaveBeenCalled();
    expect(
      (
        await s.gates.get({
          ...target,
          type: 'confirm-promotion',
          revision: 'rev-1',
        })
      ).open,
    ).toBe(false);
  });

  it('approves and holds the promotion gate of the current revision (audited)', async () => {
    const s = await setup({
      canary: makeCanary({ phase: 'WaitingPromotion' }),
    });
    const opened = await s.service.approve(alice, target, 'confirm-promotion');
    expect(opened).toMatchObject({
      type: 'confirm-promotion',
      declared: true,
      open: true,
      openedBy: 'user:default/alice',
    });
    expect(
      await s.gates.ask({
        ...target,
        type: 'confirm-promotion',
        revision: 'rev-1',
      }),
    ).toBe(true);
    // a new revision is closed again
    expect(
      await s.gates.ask({
        ...target,
        type: 'confirm-promotion',
        revision: 'rev-2',
      }),
    ).toBe(false);
    const held = await s.service.hold(alice, target, 'confirm-promotion');
    expect(held.open).toBe(false);
    expect(s.records.map(r => [r.action, r.result, r.entityRef])).toEqual([
      ['canary.release.approve', 'success', 'component:default/payments-api'],
      ['canary.release.hold', 'success', 'component:default/payments-api'],
    ]);
  });

  it('409 when the Canary does not declare the gate pointing at the portal', async () => {
    const s = await setup();
    await expect(
      s.service.approve(alice, target, 'confirm-rollout'),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(s.records[0]).toMatchObject({ result: 'failure' });
  });

  it('starts: patches the image and annotations as the user; 400 for an unknown container; 409 while progressing', async () => {
    const s = await setup();
    const summary = await s.service.start(alice, target, {
      image: 'payments-api:2.0',
      annotations: { 'kubemate.io/revision': 'abc123' },
    });
    expect(summary.canary.images).toEqual(['payments-api:2.0']);
    expect(s.clientsAs).toHaveBeenCalledWith('dev-cluster', {
      user: 'alice',
      groups: ['payments'],
    });
    expect(s.userPatches.deployment.mock.calls[0][0]).toEqual({
      name: 'payments-api',
      namespace: 'payments-dev',
      body: {
        spec: {
          template: {
            metadata: { annotations: { 'kubemate.io/revision': 'abc123' } },
            spec: { containers: [{ name: 'api', image: 'payments-api:2.0' }] },
          },
        },
      },
    });
    await expect(
      s.service.start(alice, target, { image: 'x:1', container: 'sidecar' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('container'),
    });
    const busy = await setup({ canary: makeCanary({ phase: 'Progressing' }) });
    await expect(
      busy.service.start(alice, target, { image: 'x:1' }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(busy.userPatches.deployment).not.toHaveBeenCalled();
  });

  it('refuses a Canary whose target belongs to no entity the user can see', async () => {
    const s = await setup({ labels: { app: 'someone-else' } });
    await expect(
      s.service.start(alice, target, { image: 'x:1' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(s.userPatches.deployment).not.toHaveBeenCalled();
    expect(s.records[0]).toMatchObject({ result: 'failure' });
  });

  it('aborts by opening the rollback gate; 409 without a rollback webhook or when nothing runs', async () => {
    const s = await setup({ canary: makeCanary({ phase: 'Progressing' }) });
    expect(await s.service.abort(alice, target)).toMatchObject({
      type: 'rollback',
      open: true,
    });
    const done = await setup();
    await expect(done.service.abort(alice, target)).rejects.toMatchObject({
      name: 'ConflictError',
    });
    const none = await setup({
      canary: makeCanary({ phase: 'Progressing' }, []),
    });
    await expect(none.service.abort(alice, target)).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it('promotes: skipAnalysis as the user, and opens the declared confirm gates', async () => {
    const s = await setup({
      canary: makeCanary({ phase: 'WaitingPromotion' }),
    });
    await s.service.promote(alice, target);
    const body = s.userPatches.canary.mock.calls[0][0].body;
    expect(body.spec).toEqual({ skipAnalysis: true });
    expect(
      body.metadata.annotations['kubemate.io/skip-analysis-revision'],
    ).toBe('rev-1');
    expect(
      await s.gates.ask({
        ...target,
        type: 'confirm-promotion',
        revision: 'rev-1',
      }),
    ).toBe(true);
    expect(s.records[0]).toMatchObject({
      action: 'canary.release.promote',
      result: 'success',
    });
  });
});
