import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  CapacityResponse,
  gpuCapacityReadPermission,
} from '@kubemate/plugin-gpu-common';
import {
  ClusterRegistryService,
  requireNamespaceScope,
} from '@kubemate/plugin-kubemate-node';
import { ResourceFlavorObject } from '../../lib/kueue';
import { clustersOf, perCluster } from '../../lib/upstream';
import { GpuClusterReader } from '../ClusterReader';
import { clusterCapacity } from './capacity';
import { CapacityService } from './types';

export interface DefaultCapacityServiceOptions {
  permissions: PermissionsService;
  clusters: ClusterRegistryService;
  reader: GpuClusterReader;
}

/**
 * GPU capacity of every cluster (or one): GPU nodes, the GPUs the unfinished pods on them request,
 * and the ResourceFlavor of each model. Nodes are not namespaced: anyone with gpu.capacity.read
 * somewhere sees them. A cluster without Kueue still reports its nodes (no flavors).
 */
export class DefaultCapacityService implements CapacityService {
  constructor(private readonly options: DefaultCapacityServiceOptions) {}

  async capacity(
    credentials: BackstageCredentials,
    options: { cluster?: string },
  ): Promise<CapacityResponse> {
    const { reader, clusters, permissions } = this.options;
    const names = clustersOf(clusters, options.cluster);
    await requireNamespaceScope(permissions, {
      credentials,
      permission: gpuCapacityReadPermission,
    });
    const { results, errors } = await perCluster(names, async cluster => {
      const nodes = await reader.gpuNodes(cluster);
      const [pods, flavors] = await Promise.all([
        reader.podsOn(
          cluster,
          nodes.map(n => n.metadata!.name!),
        ),
        reader.resourceFlavors(cluster).catch((): ResourceFlavorObject[] => []),
      ]);
      return clusterCapacity(cluster, nodes, pods, flavors);
    });
    return {
      models: results.flatMap(r => r.value.models),
      nodes: results.flatMap(r => r.value.nodes),
      errors,
    };
  }
}
