import { ServiceUnavailableError } from '@backstage/errors';
import { GPU_RESOURCE } from '@kubemate/plugin-gpu-common';
import {
  ClusterRegistryService,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import type { V1Node, V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import {
  ClusterQueueObject,
  KUEUE,
  KubeList,
  LocalQueueObject,
  parseQuantity,
  RESOURCE_QUOTA_GPU,
  ResourceFlavorObject,
  WorkloadObject,
} from '../../lib/kueue';
import { DEFAULT_KUBE_TIMEOUT_MS, isNamed, kubeCall } from '../../lib/upstream';
import { GpuClusterReader } from './types';

export interface DefaultGpuClusterReaderOptions {
  clusters: ClusterRegistryService;
  cache: ResourceCacheService;
  /** Deadline of one call (default 10 s). */
  timeoutMs?: number;
}

/** Allocatable GPUs of a node. */
export const nodeGpus = (node: V1Node) =>
  parseQuantity(
    (node.status?.allocatable?.[GPU_RESOURCE] as string | undefined) ?? 0,
  );

/** GPUs a pod requests (containers; limits when requests are absent, as extended resources allow). */
export function podGpus(pod: V1Pod): number {
  return (pod.spec?.containers ?? []).reduce((sum, c) => {
    const r = c.resources?.requests?.[GPU_RESOURCE] as string | undefined;
    const l = c.resources?.limits?.[GPU_RESOURCE] as string | undefined;
    return sum + parseQuantity(r ?? l ?? 0);
  }, 0);
}

export class DefaultGpuClusterReader implements GpuClusterReader {
  private readonly timeoutMs: number;

  constructor(private readonly options: DefaultGpuClusterReaderOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KUBE_TIMEOUT_MS;
  }

  private call<T>(cluster: string, promise: Promise<T>): Promise<T> {
    return kubeCall(cluster, promise, this.timeoutMs);
  }

  /** Lists a Kueue kind cluster-wide (or in a namespace); 404 means Kueue is not installed. */
  private async listKueue<T>(
    cluster: string,
    plural: string,
    namespace?: string,
  ): Promise<T[]> {
    const custom = this.options.clusters.portalClients(cluster).custom;
    try {
      const list = (await this.call(
        cluster,
        namespace
          ? custom.listNamespacedCustomObject({ ...KUEUE, plural, namespace })
          : custom.listClusterCustomObject({ ...KUEUE, plural }),
      )) as KubeList<T>;
      return list.items ?? [];
    } catch (e) {
      if (isNamed(e, 'NotFoundError')) {
        throw new ServiceUnavailableError(
          `Kueue (${KUEUE.group}/${KUEUE.version} ${plural}) is not installed in ${cluster}`,
        );
      }
      throw e;
    }
  }

  async gpuNodes(cluster: string): Promise<V1Node[]> {
    // listed, not cached: a cluster that does not answer must be reported, not shown empty
    const nodes = await this.call(
      cluster,
      this.options.clusters.portalClients(cluster).core.listNode(),
    );
    return nodes.items.filter(n => nodeGpus(n) > 0);
  }

  async podsOn(cluster: string, nodes: string[]): Promise<V1Pod[]> {
    if (!nodes.length) return [];
    const names = new Set(nodes);
    const pods = await this.call(
      cluster,
      this.options.cache.list(cluster, 'pods'),
    );
    return pods.filter(
      p =>
        p.spec?.nodeName &&
        names.has(p.spec.nodeName) &&
        p.status?.phase !== 'Succeeded' &&
        p.status?.phase !== 'Failed',
    );
  }

  async namespaces(cluster: string) {
    return (
      await this.call(
        cluster,
        this.options.clusters.portalClients(cluster).core.listNamespace(),
      )
    ).items;
  }

  resourceFlavors(cluster: string) {
    return this.listKueue<ResourceFlavorObject>(cluster, 'resourceflavors');
  }

  clusterQueues(cluster: string) {
    return this.listKueue<ClusterQueueObject>(cluster, 'clusterqueues');
  }

  async clusterQueue(
    cluster: string,
    name: string,
  ): Promise<ClusterQueueObject | undefined> {
    const custom = this.options.clusters.portalClients(cluster).custom;
    try {
      return (await this.call(
        cluster,
        custom.getClusterCustomObject({
          ...KUEUE,
          plural: 'clusterqueues',
          name,
        }),
      )) as ClusterQueueObject;
    } catch (e) {
      if (isNamed(e, 'NotFoundError')) return undefined;
      throw e;
    }
  }

  localQueues(cluster: string) {
    return this.listKueue<LocalQueueObject>(cluster, 'localqueues');
  }

  workloads(cluster: string, namespace?: string) {
    return this.listKueue<WorkloadObject>(cluster, 'workloads', namespace);
  }

  async gpuResourceQuotas(cluster: string): Promise<V1ResourceQuota[]> {
    const list = await this.call(
      cluster,
      this.options.clusters
        .portalClients(cluster)
        .core.listResourceQuotaForAllNamespaces(),
    );
    return list.items.filter(
      q => q.spec?.hard?.[RESOURCE_QUOTA_GPU] !== undefined,
    );
  }
}
