import type {
  V1Namespace,
  V1Node,
  V1Pod,
  V1ResourceQuota,
} from '@kubernetes/client-node';
import type {
  ClusterQueueObject,
  LocalQueueObject,
  ResourceFlavorObject,
  WorkloadObject,
} from '../../lib/kueue';

/**
 * Reads one cluster's GPU-related objects with the portal's identity, every call within a deadline
 * (ServiceUnavailableError naming the cluster's Kubernetes API otherwise). Pods come from the
 * shared informer cache (after a listed read proved the cluster answers); nodes, namespaces,
 * Kueue's objects and ResourceQuotas are listed.
 */
export interface GpuClusterReader {
  /** Nodes with allocatable `nvidia.com/gpu` > 0. */
  gpuNodes(cluster: string): Promise<V1Node[]>;
  /** Pods bound to the given nodes that have not finished (not Succeeded/Failed). */
  podsOn(cluster: string, nodes: string[]): Promise<V1Pod[]>;
  namespaces(cluster: string): Promise<V1Namespace[]>;
  resourceFlavors(cluster: string): Promise<ResourceFlavorObject[]>;
  clusterQueues(cluster: string): Promise<ClusterQueueObject[]>;
  /** One ClusterQueue, undefined when it does not exist. */
  clusterQueue(
    cluster: string,
    name: string,
  ): Promise<ClusterQueueObject | undefined>;
  localQueues(cluster: string): Promise<LocalQueueObject[]>;
  workloads(cluster: string, namespace?: string): Promise<WorkloadObject[]>;
  /** ResourceQuotas that set `requests.nvidia.com/gpu`. */
  gpuResourceQuotas(cluster: string): Promise<V1ResourceQuota[]>;
}
