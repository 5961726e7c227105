/*
 * The cluster overview as a pure function of the cached nodes, pods and namespaces: capacity,
 * allocatable and requested resources per node and in total, pods per namespace and phase.
 */
import {
  ClusterOverview,
  NodeOverview,
} from '@kubemate/plugin-clusters-common';
import { V1Namespace, V1Node, V1Pod } from '@kubernetes/client-node';
import { parseCpu, parseQuantity } from './quantity';

const ROLE_LABEL = 'node-role.kubernetes.io/';

export function summarizeCluster(
  cluster: string,
  objects: { nodes: V1Node[]; pods: V1Pod[]; namespaces: V1Namespace[] },
): ClusterOverview {
  const { nodes, pods, namespaces } = objects;
  const podsByPhase: Record<string, number> = {};
  const podsPerNs = new Map<string, number>();
  const perNode = new Map<
    string,
    { cpu: number; memory: number; gpu: number; count: number }
  >();
  for (const pod of pods) {
    const phase = pod.status?.phase ?? 'Unknown';
    podsByPhase[phase] = (podsByPhase[phase] ?? 0) + 1;
    const ns = pod.metadata?.namespace ?? '';
    podsPerNs.set(ns, (podsPerNs.get(ns) ?? 0) + 1);
    const node = pod.spec?.nodeName;
    if (!node || phase === 'Succeeded' || phase === 'Failed') {
      continue;
    }
    const acc = perNode.get(node) ?? { cpu: 0, memory: 0, gpu: 0, count: 0 };
    for (const c of pod.spec?.containers ?? []) {
      acc.cpu += parseCpu(c.resources?.requests?.cpu);
      acc.memory += parseQuantity(c.resources?.requests?.memory);
      acc.gpu += parseQuantity(
        c.resources?.requests?.['nvidia.com/gpu'] ??
          c.resources?.limits?.['nvidia.com/gpu'],
      );
    }
    acc.count += 1;
    perNode.set(node, acc);
  }
  const nodeOverviews: NodeOverview[] = nodes.map(n => {
    const name = n.metadata?.name ?? '';
    const req = perNode.get(name) ?? { cpu: 0, memory: 0, gpu: 0, count: 0 };
    const amounts = (r: Record<string, string> | undefined) => ({
      cpu: parseCpu(r?.cpu),
      memory: parseQuantity(r?.memory),
      pods: parseQuantity(r?.pods),
      gpu: parseQuantity(r?.['nvidia.com/gpu']),
    });
    return {
      name,
      ready:
        n.status?.conditions?.some(
          c => c.type === 'Ready' && c.status === 'True',
        ) ?? false,
      roles: Object.keys(n.metadata?.labels ?? {})
        .filter(l => l.startsWith(ROLE_LABEL))
        .map(l => l.slice(ROLE_LABEL.length)),
      labels: n.metadata?.labels ?? {},
      capacity: amounts(n.status?.capacity),
      allocatable: amounts(n.status?.allocatable),
      requests: {
        cpu: req.cpu,
        memory: req.memory,
        pods: req.count,
        gpu: req.gpu,
      },
      podCount: req.count,
    };
  });
  const sum = (pick: (n: NodeOverview) => NodeOverview['requests']) =>
    nodeOverviews.reduce(
      (acc, n) => ({
        cpu: acc.cpu + pick(n).cpu,
        memory: acc.memory + pick(n).memory,
        pods: (acc.pods ?? 0) + (pick(n).pods ?? 0),
        gpu: (acc.gpu ?? 0) + (pick(n).gpu ?? 0),
      }),
      { cpu: 0, memory: 0, pods: 0, gpu: 0 },
    );
  return {
    cluster,
    nodes: nodeOverviews.sort((a, b) => a.name.localeCompare(b.name)),
    totals: {
      allocatable: sum(n => n.allocatable),
      requests: sum(n => n.requests),
    },
    namespaces: namespaces
      .map(ns => ({
        name: ns.metadata?.name ?? '',
        phase: ns.status?.phase,
        podCount: podsPerNs.get(ns.metadata?.name ?? '') ?? 0,
      }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    podsByPhase,
  };
}
