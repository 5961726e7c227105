/*
 * The workload grouping of the Cluster Ops tab, as a pure module: the objects an entity's label
 * selector finds in one cluster (read from the resource cache) become one NamespaceWorkloads per
 * namespace — top-level workloads with their pods (through ReplicaSets and Jobs), health verdicts
 * and recent warning events, services, and the labelled pods no workload owns.
 */
import {
  ClusterEvent,
  NamespaceWorkloads,
  PodSummary,
  WorkloadKind,
  WorkloadSummary,
} from '@kubemate/plugin-clusters-common';
import {
  CoreV1Event,
  KubernetesObject,
  V1CronJob,
  V1DaemonSet,
  V1Deployment,
  V1Job,
  V1Pod,
  V1ReplicaSet,
  V1Service,
  V1StatefulSet,
} from '@kubernetes/client-node';
import { summarizePod, workloadHealth } from './health';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const MAX_EVENTS_PER_WORKLOAD = 10;

/** The objects carrying the entity's labels in one cluster (all namespaces). */
export interface EntityObjects {
  deployments: V1Deployment[];
  statefulsets: V1StatefulSet[];
  daemonsets: V1DaemonSet[];
  jobs: V1Job[];
  cronjobs: V1CronJob[];
  services: V1Service[];
  /** Pods carrying the entity's labels themselves. */
  pods: V1Pod[];
}

/** Everything in one namespace the grouping follows owner references through. */
export interface NamespaceObjects {
  pods: V1Pod[];
  replicasets: V1ReplicaSet[];
  events: CoreV1Event[];
}

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
  return t ? new Date(t as any).getTime() : 0;
}

export function toClusterEvent(e: CoreV1Event): ClusterEvent {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
  return {
    type: e.type ?? 'Normal',
    reason: e.reason,
    message: e.message,
    count: e.count,
    involvedObject: {
      kind: e.involvedObject.kind,
      name: e.involvedObject.name,
      namespace: e.involvedObject.namespace,
    },
    lastTimestamp: t ? new Date(t as any).toISOString() : undefined,
  };
}

/** The namespaces any of the entity's objects live in, sorted. */
export function namespacesOf(objects: EntityObjects): string[] {
  const namespaces = new Set<string>();
  for (const o of [
    ...objects.deployments,
    ...objects.statefulsets,
    ...objects.daemonsets,
    ...objects.jobs,
    ...objects.cronjobs,
    ...objects.services,
    ...objects.pods,
  ]) {
    if (o.metadata?.namespace) {
      namespaces.add(o.metadata.namespace);
    }
  }
  return [...namespaces].sort();
}

function controllerOwners(
  list: KubernetesObject[],
  ownerKind: string,
): Map<string, string> {
  const owners = new Map<string, string>(); // object uid -> controller uid
  for (const o of list) {
    const owner = o.metadata?.ownerReferences?.find(r => r.controller);
    if (owner?.kind === ownerKind && o.metadata?.uid) {
      owners.set(o.metadata.uid, owner.uid);
    }
  }
  return owners;
}

type WorkloadObject = KubernetesObject & { spec?: any; status?: any };

/**
 * Pods by name in code-unit order: the same order as localeCompare for Kubernetes names
 * (lowercase DNS labels: a-z, 0-9, '-', '.'), without its cost at 10,000 pods.
 */
const byName = (a: PodSummary, b: PodSummary) => {
  if (a.name === b.name) return 0;
  return a.name < b.name ? -1 : 1;
};

function summarizeWorkload(
  kind: WorkloadKind,
  obj: WorkloadObject,
  namespace: string,
  pods: V1Pod[],
  replicaSetNames: string[],
  warnings: CoreV1Event[],
): WorkloadSummary {
  const podSummaries = pods.map(summarizePod).sort(byName);
  const related = new Set<string>([
    obj.metadata?.name ?? '',
    ...pods.map(p => p.metadata?.name ?? ''),
    ...replicaSetNames,
  ]);
  let desired: number | undefined;
  let ready: number | undefined;
  if (kind === 'Deployment' || kind === 'StatefulSet') {
    desired = obj.spec?.replicas ?? 1;
    ready = obj.status?.readyReplicas ?? 0;
  } else if (kind === 'DaemonSet') {
    desired = obj.status?.desiredNumberScheduled;
    ready = obj.status?.numberReady ?? 0;
  }
  const containers: { image?: string }[] =
    kind === 'CronJob'
      ? obj.spec?.jobTemplate?.spec?.template?.spec?.containers ?? []
      : obj.spec?.template?.spec?.containers ?? [];
  return {
    kind,
    name: obj.metadata?.name ?? '',
    namespace,
    desiredReplicas: desired,
    readyReplicas: ready,
    updatedReplicas: obj.status?.updatedReplicas,
    availableReplicas: obj.status?.availableReplicas,
    revision: obj.metadata?.annotations?.[REVISION_ANNOTATION],
    images: containers.map(c => c.image).filter((i): i is string => Boolean(i)),
    health: workloadHealth(podSummaries, desired, ready),
    pods: podSummaries,
    events: warnings
      .filter(e => related.has(e.involvedObject.name ?? ''))
      .slice(0, MAX_EVENTS_PER_WORKLOAD)
      .map(toClusterEvent),
  };
}

/**
 * One namespace of the entity: its top-level workloads (Deployments, StatefulSets, DaemonSets,
 * CronJobs and the Jobs no CronJob owns) with the pods they control, health and warning events
 * (newest first, at most {@link MAX_EVENTS_PER_WORKLOAD}), its services, and the labelled pods
 * no workload of the entity controls.
 */
export function groupNamespaceWorkloads(
  namespace: string,
  entity: EntityObjects,
  inNamespace: NamespaceObjects,
): NamespaceWorkloads {
  const { pods, replicasets, events } = inNamespace;
  const warnings = events
    .filter(e => e.type === 'Warning')
    .sort((a, b) => eventTime(b) - eventTime(a));
  const rsOwner = controllerOwners(replicasets, 'Deployment');
  const jobOwner = controllerOwners(entity.jobs, 'CronJob');
  /** The uid of the top-level workload controlling a pod. */
  const topOwnerOf = (pod: V1Pod): string | undefined => {
    const owner = pod.metadata?.ownerReferences?.find(o => o.controller);
    if (!owner) {
      return undefined;
    }
    if (owner.kind === 'ReplicaSet') {
      return rsOwner.get(owner.uid) ?? owner.uid;
    }
    if (owner.kind === 'Job') {
      return jobOwner.get(owner.uid) ?? owner.uid;
    }
    return owner.uid;
  };
  const inNs = <T extends KubernetesObject>(list: T[]) =>
    list.filter(o => o.metadata?.namespace === namespace);
  const workloadObjects: { kind: WorkloadKind; obj: WorkloadObject }[] = [
    ...inNs(entity.deployments).map(obj => ({
      kind: 'Deployment' as const,
      obj,
    })),
    ...inNs(entity.statefulsets).map(obj => ({
      kind: 'StatefulSet' as const,
      obj,
    })),
    ...inNs(entity.daemonsets).map(obj => ({
      kind: 'DaemonSet' as const,
      obj,
    })),
    ...inNs(entity.cronjobs).map(obj => ({ kind: 'CronJob' as const, obj })),
    ...inNs(entity.jobs)
      .filter(j => !jobOwner.has(j.metadata?.uid ?? ''))
      .map(obj => ({ kind: 'Job' as const, obj })),
  ];
  const workloadUids = new Set(workloadObjects.map(w => w.obj.metadata?.uid));
  const podsByWorkload = new Map<string, V1Pod[]>();
  const otherPods: PodSummary[] = [];
  const labelled = new Set(inNs(entity.pods).map(p => p.metadata?.uid));
  for (const pod of pods) {
    const top = topOwnerOf(pod);
    if (top && workloadUids.has(top)) {
      // appended in place: copying the list per pod made a 10,000-pod Deployment quadratic
      const list = podsByWorkload.get(top);
      if (list) {
        list.push(pod);
      } else {
        podsByWorkload.set(top, [pod]);
      }
    } else if (labelled.has(pod.metadata?.uid)) {
      otherPods.push(summarizePod(pod));
    }
  }
  const workloads = workloadObjects.map(({ kind, obj }) => {
    const uid = obj.metadata?.uid ?? '';
    return summarizeWorkload(
      kind,
      obj,
      namespace,
      podsByWorkload.get(uid) ?? [],
      replicasets
        .filter(rs => rsOwner.get(rs.metadata?.uid ?? '') === uid)
        .map(rs => rs.metadata?.name ?? ''),
      warnings,
    );
  });
  workloads.sort((a, b) =>
    `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`),
  );
  return {
    namespace,
    workloads,
    services: inNs(entity.services).map(s => ({
      name: s.metadata?.name ?? '',
      namespace,
      type: s.spec?.type,
      clusterIP: s.spec?.clusterIP,
      ports: (s.spec?.ports ?? []).map(p => `${p.port}/${p.protocol ?? 'TCP'}`),
    })),
    otherPods,
  };
}
