/*
 * The pure Kueue mapping lives in @kubemate/plugin-gpu-common (shared with the finetuning
 * backend); what needs the Kubernetes client's types stays here.
 */
import { GPU_RESOURCE, parseQuantity } from '@kubemate/plugin-gpu-common';
import type { V1ResourceQuota } from '@kubernetes/client-node';

export {
  KUEUE,
  conditionOf,
  flavorQuotas,
  gpuFlavorsOf,
  gpuQuotaSpec,
  parseQuantity,
  queueOrderTime,
  queuePositions,
  teamOfClusterQueue,
  toGpuWorkload,
  workloadEvictions,
  workloadFlavor,
  workloadGpus,
  workloadOwner,
  workloadState,
} from '@kubemate/plugin-gpu-common';
export type {
  ClusterQueueObject,
  Condition,
  FlavorQuotasSpec,
  FlavorUsage,
  KubeList,
  LocalQueueObject,
  ResourceFlavorObject,
  ResourceGroupSpec,
  ResourceQuotaSpec,
  WorkloadObject,
} from '@kubemate/plugin-gpu-common';

/** The ResourceQuota key that caps the GPUs a namespace's pods may request. */
export const RESOURCE_QUOTA_GPU = `requests.${GPU_RESOURCE}`;

/** `requests.nvidia.com/gpu` hard and used of a ResourceQuota, undefined when it has none. */
export function resourceQuotaGpus(
  rq: V1ResourceQuota,
): { hard: number; used: number } | undefined {
  const hard = rq.spec?.hard?.[RESOURCE_QUOTA_GPU];
  if (hard === undefined) return undefined;
  return {
    hard: parseQuantity(hard as string),
    used: parseQuantity((rq.status?.used?.[RESOURCE_QUOTA_GPU] as string) ?? 0),
  };
}
