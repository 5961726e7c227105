import {
  GpuWorkload,
  NamespaceGpuQuota,
  TeamQueue,
} from '@kubemate/plugin-gpu-common';
import { namespaceInScope } from '@kubemate/plugin-kubemate-common';
import { NamespaceScope } from '@kubemate/plugin-kubemate-node';
import type { V1ResourceQuota } from '@kubernetes/client-node';
import {
  ClusterQueueObject,
  conditionOf,
  flavorQuotas,
  LocalQueueObject,
  queuePositions,
  resourceQuotaGpus,
  ResourceFlavorObject,
  teamOfClusterQueue,
  toGpuWorkload,
  WorkloadObject,
} from '../../lib/kueue';
import { flavorProduct } from '../Capacity/capacity';

export const inScope = (scope: NamespaceScope, namespace: string) =>
  scope.type === 'all' || namespaceInScope(scope.namespaces, namespace);

/** What a cluster's team queues are built from. */
export interface QueueObjects {
  clusterQueues: ClusterQueueObject[];
  localQueues: LocalQueueObject[];
  flavors: ResourceFlavorObject[];
  resourceQuotas: V1ResourceQuota[];
}

/** A ClusterQueue as the API shows it, with its LocalQueues and their namespaces' GPU quotas. */
export function toTeamQueue(
  cluster: string,
  cq: ClusterQueueObject,
  objects: Omit<QueueObjects, 'clusterQueues'>,
): TeamQueue {
  const products = new Map(
    objects.flavors.map(f => [f.metadata.name, flavorProduct(f)]),
  );
  const flavors = flavorQuotas(cq, f => products.get(f));
  const localQueues = objects.localQueues
    .filter(lq => lq.spec.clusterQueue === cq.metadata.name)
    .map(lq => ({ namespace: lq.metadata.namespace, name: lq.metadata.name }))
    .sort(
      (a, b) =>
        a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name),
    );
  const namespaces = new Set(localQueues.map(l => l.namespace));
  const resourceQuotas: NamespaceGpuQuota[] = [];
  for (const rq of objects.resourceQuotas) {
    const ns = rq.metadata?.namespace;
    const gpus = resourceQuotaGpus(rq);
    if (!ns || !namespaces.has(ns) || !gpus) continue;
    resourceQuotas.push({
      cluster,
      namespace: ns,
      name: rq.metadata!.name!,
      ...gpus,
    });
  }
  const sum = (k: 'nominal' | 'used' | 'borrowed') =>
    flavors.reduce((n, f) => n + f[k], 0);
  const queue: TeamQueue = {
    cluster,
    name: cq.metadata.name,
    localQueues,
    flavors,
    nominalGpus: sum('nominal'),
    usedGpus: sum('used'),
    borrowedGpus: sum('borrowed'),
    pendingWorkloads: cq.status?.pendingWorkloads ?? 0,
    admittedWorkloads: cq.status?.admittedWorkloads ?? 0,
    held: Boolean(cq.spec.stopPolicy && cq.spec.stopPolicy !== 'None'),
    resourceQuotas,
  };
  const team = teamOfClusterQueue(cq);
  if (team) queue.team = team;
  if (cq.spec.cohortName) queue.cohort = cq.spec.cohortName;
  const active = conditionOf(cq.status?.conditions, 'Active');
  if (active?.status === 'False') {
    queue.inactiveReason = active.message || active.reason || 'inactive';
  }
  const p = cq.spec.preemption;
  if (p) {
    const preemption: Record<string, string> = {};
    if (p.withinClusterQueue) {
      preemption.withinClusterQueue = p.withinClusterQueue;
    }
    if (p.reclaimWithinCohort) {
      preemption.reclaimWithinCohort = p.reclaimWithinCohort;
    }
    if (p.borrowWithinCohort?.policy) {
      preemption.borrowWithinCohort = p.borrowWithinCohort.policy;
    }
    queue.preemption = preemption;
  }
  return queue;
}

/** A queue is visible when one of its LocalQueues' namespaces is in scope (scope all: every queue). */
export const queueVisible = (scope: NamespaceScope, queue: TeamQueue) =>
  scope.type === 'all' ||
  queue.localQueues.some(l => inScope(scope, l.namespace));

/**
 * A cluster's Workloads as the API shows them: the ClusterQueue of each (admission, or its
 * LocalQueue's), state and Kueue's reason, and the position of the waiting ones among all the
 * ClusterQueue's waiting workloads (computed before any filtering).
 */
export function toGpuWorkloads(
  cluster: string,
  workloads: WorkloadObject[],
  localQueues: LocalQueueObject[],
  now: number = Date.now(),
): GpuWorkload[] {
  const lqs = new Map(
    localQueues.map(lq => [
      `${lq.metadata.namespace}/${lq.metadata.name}`,
      lq.spec.clusterQueue,
    ]),
  );
  const mapped = workloads.map(object => ({
    object,
    workload: toGpuWorkload(
      cluster,
      object,
      (ns, name) => lqs.get(`${ns}/${name}`),
      now,
    ),
  }));
  const positions = queuePositions(
    mapped.map(m => ({
      object: m.object,
      state: m.workload.state,
      clusterQueue: m.workload.clusterQueue,
    })),
  );
  return mapped.map(({ workload }) => {
    const position = positions.get(`${workload.namespace}/${workload.name}`);
    return position === undefined ? workload : { ...workload, position };
  });
}
