/*
 * Against the REAL dev stack clusters (deploy/dev): the portal token plus impersonation headers,
 * several Impersonate-Group lines, raw streaming requests and the informer cache.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { DevStack, requireStack } from '@kubemate/dev-stack';
import { InformerResourceCache } from '../ResourceCache';
import { ConfigClusterRegistry } from './ConfigClusterRegistry';

let stack: DevStack;
let registry: ConfigClusterRegistry;

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes'] });
  registry = ConfigClusterRegistry.fromConfig(
    new ConfigReader({
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'catalog' },
          {
            type: 'config',
            clusters: stack.clusters.map(c => ({
              name: c.name,
              url: c.url,
              authProvider: 'serviceAccount',
              serviceAccountToken: c.tokens.portal,
              caData: c.caData,
            })),
          },
        ],
      },
    }),
  );
}, 45 * 60_000);

describe('ConfigClusterRegistry (real clusters)', () => {
  it('reads the config clusters and refuses unknown ones', () => {
    expect(
      registry
        .listClusters()
        .map(c => c.name)
        .sort(),
    ).toEqual(['dev-cluster', 'prod-cluster']);
    expect(() => registry.getCluster('nope')).toThrow("Unknown cluster 'nope'");
  });

  it('impersonates a user with several groups (one header line per group)', async () => {
    const asTeam = registry.clientsAs('dev-cluster', {
      user: 'kubemate:user:someone',
      // kubemate:team:payments has edit in payments-dev (deploy/dev/seed)
      groups: ['kubemate:group:unrelated', 'kubemate:team:payments'],
    });
    const pods = await asTeam.core.listNamespacedPod({
      namespace: 'payments-dev',
    });
    expect(pods.items.length).toBeGreaterThan(0);

    const unrelated = registry.clientsAs('dev-cluster', {
      user: 'kubemate:user:someone',
      groups: ['kubemate:group:unrelated'],
    });
    const err = await unrelated.core
      .listNamespacedPod({ namespace: 'payments-dev' })
      .then(
        () => undefined,
        e => e,
      );
    expect(err?.code).toBe(403);
    expect(String(err?.body)).toContain('User \\"kubemate:user:someone\\"');

    const raw = await unrelated.raw({
      path: '/api/v1/namespaces/payments-dev/pods',
    });
    expect(raw.statusCode).toBe(403);
    raw.resume();
    const portal = await registry
      .portalClients('dev-cluster')
      .raw({ path: '/api/v1/namespaces/payments-dev/pods?limit=1' });
    expect(portal.statusCode).toBe(200);
    portal.resume();
  });

  it('serves lists from informers started on first use', async () => {
    const cache = new InformerResourceCache(
      registry,
      mockServices.logger.mock(),
    );
    try {
      const deployments = await cache.list('prod-cluster', 'deployments', {
        labels: { 'backstage.io/kubernetes-id': 'payments-api' },
      });
      expect(deployments.map(d => d.metadata?.namespace)).toEqual([
        'payments-prod',
      ]);
      const nodes = await cache.list('dev-cluster', 'nodes');
      expect(nodes.length).toBeGreaterThanOrEqual(5);
      await expect(cache.list('nope', 'pods')).rejects.toThrow(
        "Unknown cluster 'nope'",
      );
    } finally {
      await cache.stop();
    }
  });
});
