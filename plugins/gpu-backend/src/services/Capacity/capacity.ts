import {
  GPU_PRODUCT_LABEL,
  GpuModelCapacity,
  GpuNode,
} from '@kubemate/plugin-gpu-common';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { ResourceFlavorObject } from '../../lib/kueue';
import { nodeGpus, podGpus } from '../ClusterReader';

/** The flavor label the dev seed puts on ResourceFlavors (the GPU model it stands for). */
export const FLAVOR_PRODUCT_LABEL = 'kubemate.io/gpu-product';
const SIMULATED_LABEL = 'kubemate.io/simulated';

/** The GPU model a ResourceFlavor selects: its node label `nvidia.com/gpu.product`. */
export function flavorProduct(f: ResourceFlavorObject): string | undefined {
  return (
    f.spec?.nodeLabels?.[GPU_PRODUCT_LABEL] ??
    f.metadata.labels?.[FLAVOR_PRODUCT_LABEL]
  );
}

/** The ResourceFlavor whose node labels all match the node (the first such flavor by name). */
export function flavorOfNode(
  node: V1Node,
  flavors: ResourceFlavorObject[],
): string | undefined {
  const labels = node.metadata?.labels ?? {};
  return [...flavors]
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name))
    .find(f => {
      const selector = Object.entries(f.spec?.nodeLabels ?? {});
      return selector.length > 0 && selector.every(([k, v]) => labels[k] === v);
    })?.metadata.name;
}

const isReady = (node: V1Node) =>
  node.status?.conditions?.some(
    c => c.type === 'Ready' && c.status === 'True',
  ) ?? false;

/**
 * One cluster's GPU nodes and models: allocatable GPUs per node, allocated = GPUs requested by the
 * unfinished pods bound to it; per model, GPUs of unready or cordoned nodes count as unavailable,
 * not as capacity.
 */
export function clusterCapacity(
  cluster: string,
  nodes: V1Node[],
  pods: V1Pod[],
  flavors: ResourceFlavorObject[],
): { nodes: GpuNode[]; models: GpuModelCapacity[] } {
  const allocatedByNode = new Map<string, number>();
  for (const p of pods) {
    const n = p.spec?.nodeName;
    if (!n) continue;
    allocatedByNode.set(n, (allocatedByNode.get(n) ?? 0) + podGpus(p));
  }
  const gpuNodes: GpuNode[] = nodes.map(node => {
    const name = node.metadata!.name!;
    const labels = node.metadata?.labels ?? {};
    const out: GpuNode = {
      cluster,
      name,
      product: labels[GPU_PRODUCT_LABEL] ?? 'unknown',
      gpus: nodeGpus(node),
      allocated: allocatedByNode.get(name) ?? 0,
      ready: isReady(node),
      schedulable: !node.spec?.unschedulable,
      simulated: labels[SIMULATED_LABEL] === 'true',
    };
    const flavor = flavorOfNode(node, flavors);
    if (flavor) out.flavor = flavor;
    return out;
  });
  const models = new Map<string, GpuModelCapacity>();
  for (const n of gpuNodes) {
    const node = nodes.find(x => x.metadata?.name === n.name)!;
    const labels = node.metadata?.labels ?? {};
    let m = models.get(n.product);
    if (!m) {
      m = {
        cluster,
        product: n.product,
        nodes: 0,
        gpus: 0,
        allocated: 0,
        free: 0,
        unavailable: 0,
      };
      const flavor =
        n.flavor ??
        flavors.find(f => flavorProduct(f) === n.product)?.metadata.name;
      if (flavor) m.flavor = flavor;
      if (labels['nvidia.com/gpu.family']) {
        m.family = labels['nvidia.com/gpu.family'];
      }
      const memory = Number(labels['nvidia.com/gpu.memory']);
      if (Number.isFinite(memory) && memory > 0) m.memoryMiB = memory;
      models.set(n.product, m);
    }
    m.nodes += 1;
    m.allocated += n.allocated;
    if (n.ready && n.schedulable) m.gpus += n.gpus;
    else m.unavailable += n.gpus;
  }
  for (const m of models.values()) {
    m.free = Math.max(0, m.gpus - m.allocated);
  }
  return {
    nodes: gpuNodes.sort((a, b) => a.name.localeCompare(b.name)),
    models: [...models.values()].sort((a, b) =>
      a.product.localeCompare(b.product),
    ),
  };
}
