/*
 * A test's own Kueue queue on the dev stack (for the integration tests of the parts that queue
 * GPU work): a ResourceFlavor of the A100 nodes, a ClusterQueue with its own quota, a scratch
 * namespace selected by it and a LocalQueue `gpu` there — all named `name`, removed by the returned
 * `remove` (the namespace takes the Jobs, Workloads and LocalQueue; Kueue then releases its
 * finalizers on the ClusterQueue and the flavor).
 */
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { waitFor } from './waitFor';

const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta2' };
const A100 = 'NVIDIA-A100-SXM4-40GB';

export interface ScratchQueue {
  name: string;
  remove(): Promise<void>;
}

/** Creates the flavor, ClusterQueue (`gpus` A100s, 4 CPUs, 8Gi), namespace and LocalQueue; waits until the queue is Active. */
export async function createScratchQueue(options: {
  core: CoreV1Api;
  custom: CustomObjectsApi;
  name: string;
  gpus?: number;
}): Promise<ScratchQueue> {
  const { core, custom, name, gpus = 2 } = options;
  const remove = async () => {
    await core.deleteNamespace({ name }).catch(() => undefined);
    await custom
      .deleteClusterCustomObject({ ...KUEUE, plural: 'clusterqueues', name })
      .catch(() => undefined);
    await custom
      .deleteClusterCustomObject({ ...KUEUE, plural: 'resourceflavors', name })
      .catch(() => undefined);
  };
  await custom.createClusterCustomObject({
    ...KUEUE,
    plural: 'resourceflavors',
    body: {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ResourceFlavor',
      metadata: { name },
      spec: {
        nodeLabels: { 'nvidia.com/gpu.product': A100 },
        tolerations: [
          { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
        ],
      },
    },
  });
  await custom.createClusterCustomObject({
    ...KUEUE,
    plural: 'clusterqueues',
    body: {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ClusterQueue',
      metadata: { name },
      spec: {
        namespaceSelector: { matchLabels: { 'kubemate.io/test-queue': name } },
        queueingStrategy: 'BestEffortFIFO',
        resourceGroups: [
          {
            coveredResources: ['cpu', 'memory', 'nvidia.com/gpu'],
            flavors: [
              {
                name,
                resources: [
                  { name: 'cpu', nominalQuota: '4' },
                  { name: 'memory', nominalQuota: '8Gi' },
                  { name: 'nvidia.com/gpu', nominalQuota: gpus },
                ],
              },
            ],
          },
        ],
      },
    },
  });
  await core.createNamespace({
    body: {
      metadata: {
        name,
        labels: { 'kubemate.io/test': 'true', 'kubemate.io/test-queue': name },
      },
    },
  });
  await waitFor('default service account in scratch namespace', async () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace: name }),
  );
  await custom.createNamespacedCustomObject({
    ...KUEUE,
    namespace: name,
    plural: 'localqueues',
    body: {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'LocalQueue',
      metadata: { name: 'gpu', namespace: name },
      spec: { clusterQueue: name },
    },
  });
  await waitFor(`ClusterQueue ${name} Active`, async () => {
    const cq: any = await custom.getClusterCustomObject({
      ...KUEUE,
      plural: 'clusterqueues',
      name,
    });
    const active = (cq.status?.conditions ?? []).find(
      (c: any) => c.type === 'Active',
    );
    return active?.status === 'True';
  });
  return { name, remove };
}
