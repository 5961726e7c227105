import { mockServices } from '@backstage/backend-test-utils';
import {
  CachedKind,
  ClusterRegistryService,
  KubeClients,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { DefaultClusterKubernetesService } from './DefaultClusterKubernetesService';

const LABELS = { 'backstage.io/kubernetes-id': 'payments-api' };
const selector = {
  labelSelector: 'backstage.io/kubernetes-id=payments-api',
  labels: LABELS,
};
const scope = { entityRef: 'component:default/payments-api', selector };

const deployment: V1Deployment = {
  metadata: {
    name: 'api',
    namespace: 'payments-dev',
    uid: 'api',
    labels: LABELS,
  },
  spec: { replicas: 1, selector: {}, template: {} },
};
const pod: V1Pod = {
  metadata: {
    name: 'api-1',
    namespace: 'payments-dev',
    uid: 'api-1',
    ownerReferences: [
      {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        name: 'rs',
        uid: 'rs',
        controller: true,
      },
    ],
  },
  status: { phase: 'Running' },
};

/** A cache holding one Deployment and its pod on dev-cluster; prod-cluster is unreachable. */
function fakeCache(): ResourceCacheService {
  const objects: Partial<Record<CachedKind, any[]>> = {
    deployments: [deployment],
    pods: [pod],
    replicasets: [
      {
        metadata: {
          name: 'rs',
          uid: 'rs',
          namespace: 'payments-dev',
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'Deployment',
              name: 'api',
              uid: 'api',
              controller: true,
            },
          ],
        },
      },
    ],
  };
  return {
    async list(cluster, kind, options) {
      if (cluster === 'prod-cluster') {
        throw Object.assign(new Error('connect ECONNREFUSED'), {
          code: 'ECONNREFUSED',
        });
      }
      return (objects[kind] ?? []).filter(
        o =>
          !options?.labels ||
          Object.entries(options.labels).every(
            ([k, v]) => o.metadata?.labels?.[k] === v,
          ),
      );
    },
    async stop() {},
  };
}

function fakeRegistry(
  portal: Partial<KubeClients> = {},
): ClusterRegistryService {
  const clusters = [
    { name: 'dev-cluster', url: 'https://dev', skipTLSVerify: false },
    { name: 'prod-cluster', url: 'https://prod', skipTLSVerify: false },
  ];
  return {
    listClusters: () => clusters,
    getCluster: name => {
      const c = clusters.find(x => x.name === name);
      if (!c)
        throw Object.assign(new Error(`no ${name}`), { name: 'NotFoundError' });
      return c;
    },
    portalClients: () => portal as KubeClients,
    clientsAs: () => {
      throw new Error('no impersonation in this test');
    },
  };
}

function service(registry = fakeRegistry()) {
  return new DefaultClusterKubernetesService({
    clusters: registry,
    cache: fakeCache(),
    identity: { mapUser: jest.fn(), forCredentials: jest.fn() },
    logger: mockServices.logger.mock(),
  });
}

describe('DefaultClusterKubernetesService', () => {
  it("groups the entity's objects per cluster from the cache, and reports an unreadable cluster instead of failing", async () => {
    const clusters = await service().listEntityWorkloads(selector);
    expect(clusters).toHaveLength(2);
    const [dev, prod] = clusters;
    expect(dev.cluster).toBe('dev-cluster');
    expect(dev.error).toBeUndefined();
    expect(dev.namespaces.map(n => n.namespace)).toEqual(['payments-dev']);
    expect(dev.namespaces[0].workloads.map(w => w.name)).toEqual(['api']);
    expect(dev.namespaces[0].workloads[0].pods.map(p => p.name)).toEqual([
      'api-1',
    ]);
    expect(prod).toMatchObject({ cluster: 'prod-cluster', namespaces: [] });
    expect(prod.error).toContain('prod-cluster');
  });

  it('refuses a workload without the entity labels (read as the portal) before any change', async () => {
    const foreign = {
      ...deployment,
      metadata: { ...deployment.metadata, labels: {} },
    };
    const readNamespacedDeployment = jest.fn(async () => foreign);
    const k8s = service(
      fakeRegistry({ apps: { readNamespacedDeployment } as any }),
    );
    await expect(
      k8s.getWorkloadManifest(scope, {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        resource: 'deployments',
        name: 'api',
      }),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        'Deployment payments-dev/api does not belong to component:default/payments-api (labels do not match backstage.io/kubernetes-id=payments-api)',
    });
  });

  it('refuses a namespace other than the annotated one without reading the cluster', async () => {
    const readNamespacedPod = jest.fn();
    const k8s = service(fakeRegistry({ core: { readNamespacedPod } as any }));
    await expect(
      k8s.getPodLogs(
        {} as any,
        { ...scope, selector: { ...selector, namespace: 'payments-dev' } },
        { cluster: 'dev-cluster', namespace: 'risk-dev', pod: 'x' },
        {},
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(readNamespacedPod).not.toHaveBeenCalled();
  });
});
