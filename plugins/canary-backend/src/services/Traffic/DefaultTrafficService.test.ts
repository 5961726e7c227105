import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuditEntry,
  ClusterRegistryService,
} from '@kubemate/plugin-kubemate-node';
import { DefaultTrafficService } from './DefaultTrafficService';

const alice = mockCredentials.user('user:default/alice');
const bob = mockCredentials.user('user:default/bob');
const target = { cluster: 'dev-cluster', namespace: 'shop', name: 'web' };
const labels = { 'backstage.io/kubernetes-id': 'web' };

const service = (name: string, app: string) => ({
  metadata: { name, namespace: 'shop' },
  spec: { selector: { app }, ports: [{ port: 8080 }] },
});
const deployment = (name: string) => ({
  metadata: { name, namespace: 'shop', labels },
  spec: { template: { metadata: { labels: { app: name } } } },
});
const notFound = () => Object.assign(new Error('not found'), { code: 404 });

function setup(live?: any) {
  let stored = live;
  const patch = jest.fn(async (obj: any, _p, dryRun?: string) => {
    const after = { ...obj, metadata: { ...obj.metadata, uid: 'u1' } };
    if (!dryRun) stored = after;
    return after;
  });
  const clusters = {
    listClusters: () => [],
    getCluster: () => ({ name: 'dev-cluster' }),
    portalClients: () => ({
      custom: {
        getNamespacedCustomObject: jest.fn(async () => {
          if (!stored) throw notFound();
          return stored;
        }),
      },
      core: {
        listNamespacedService: async () => ({
          items: [
            service('web', 'web'),
            service('web-v1', 'web-v1'),
            service('web-v2', 'web-v2'),
            service('web-v3', 'web-v3'),
          ],
        }),
      },
      apps: {
        listNamespacedDeployment: async () => ({
          items: [
            deployment('web-v1'),
            deployment('web-v2'),
            deployment('web-v3'),
          ],
        }),
      },
    }),
    clientsAs: jest.fn(() => ({
      objects: {
        read: jest.fn(async () => {
          if (!stored) throw notFound();
          return stored;
        }),
        patch,
      },
    })),
  } as unknown as ClusterRegistryService;
  const records: AuditEntry[] = [];
  const permissions = {
    authorize: async (reqs: any[], { credentials }: any) =>
      reqs.map(() => ({
        result:
          credentials.principal.userEntityRef === 'user:default/bob'
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      })),
  } as unknown as PermissionsService;
  const traffic = new DefaultTrafficService({
    permissions,
    catalog: catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'web',
            namespace: 'default',
            annotations: labels,
          },
          spec: {},
        },
      ],
    }),
    clusters,
    identity: {
      mapUser: jest.fn(),
      forCredentials: async () => ({ user: 'alice', groups: [] }),
    },
    audit: {
      record: async e => {
        records.push(e);
      },
      query: async () => [],
    },
    logger: mockServices.logger.mock(),
  });
  return { traffic, patch, records, stored: () => stored };
}

const backends = [
  { service: 'web-v1', weight: 50 },
  { service: 'web-v2', weight: 30 },
  { service: 'web-v3', weight: 20 },
];
const rules = [
  {
    match: [{ header: 'x-canary', value: 'yes', type: 'Exact' as const }],
    service: 'web-v3',
  },
];

describe('DefaultTrafficService', () => {
  it('applies the split as the user (server-side apply) and reads it back', async () => {
    const s = setup();
    const res = await s.traffic.put(alice, target, { backends, rules });
    expect(res.dryRun).toBe(false);
    expect(res.before).toBeUndefined();
    expect(res.after).toMatchObject({
      kind: 'gray',
      name: 'web',
      entityRef: 'component:default/web',
      backends: [
        { service: 'web-v1', deployment: 'web-v1', weight: 50 },
        { service: 'web-v2', deployment: 'web-v2', weight: 30 },
        { service: 'web-v3', deployment: 'web-v3', weight: 20 },
      ],
      rules,
    });
    expect(res.diff).toContain('+++ HTTPRoute/web (applied)');
    expect(res.diff).toContain('+          weight: 50');
    const [obj, , dryRun, fieldManager, force, strategy] = s.patch.mock
      .calls[0] as any[];
    expect(obj.spec.parentRefs).toEqual([
      { group: '', kind: 'Service', name: 'web', port: 8080 },
    ]);
    expect([dryRun, fieldManager, force, strategy]).toEqual([
      undefined,
      'kubemate-canary',
      true,
      'application/apply-patch+yaml',
    ]);
    expect(s.records[0]).toMatchObject({
      action: 'canary.traffic.update',
      result: 'success',
      kind: 'HTTPRoute',
      entityRef: 'component:default/web',
    });
    const got = await s.traffic.get(alice, target);
    expect(got.backends.map(b => b.weight)).toEqual([50, 30, 20]);
  });

  it('dry run: a diff, nothing stored', async () => {
    const s = setup();
    const res = await s.traffic.put(alice, target, { backends, dryRun: true });
    expect(res.dryRun).toBe(true);
    expect(res.diff).toContain('(dry run)');
    expect(s.patch.mock.calls[0][2]).toBe('All');
    expect(s.stored()).toBeUndefined();
    expect(s.records[0].action).toBe('canary.traffic.update.dry-run');
  });

  it('400 for a bad sum or an unknown Service, 409 for a Flagger route, 403 for bob — all audited, nothing applied', async () => {
    const s = setup();
    await expect(
      s.traffic.put(alice, target, {
        backends: [
          { service: 'web-v1', weight: 50 },
          { service: 'web-v2', weight: 30 },
          { service: 'web-v3', weight: 10 },
        ],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: 'backends: weights must sum to 100 (got 90)',
    });
    await expect(
      s.traffic.put(alice, target, {
        backends: [{ service: 'nope', weight: 100 }],
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('backends[0].service: Service nope'),
    });
    await expect(
      s.traffic.put(bob, target, { backends }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    const flagger = setup({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: {
        name: 'web',
        namespace: 'shop',
        ownerReferences: [{ kind: 'Canary', name: 'web' }],
      },
      spec: { rules: [] },
    });
    await expect(
      flagger.traffic.put(alice, target, { backends }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(s.patch).not.toHaveBeenCalled();
    expect(flagger.patch).not.toHaveBeenCalled();
    expect(s.records.map(r => r.result)).toEqual([
      'failure',
      'failure',
      'failure',
    ]);
    expect(s.records[2].actor).toBe('user:default/bob');
  });

  it('get: 404 for a missing route, 403 for bob', async () => {
    const s = setup();
    await expect(s.traffic.get(alice, target)).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(s.traffic.get(bob, target)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });
});
