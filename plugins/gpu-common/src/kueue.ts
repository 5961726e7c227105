/*
 * The Kueue (kueue.x-k8s.io/v1beta2) objects the Kubemate backends read, as plain shapes (no
 * Kubernetes client here: -common packages stay free of Node dependencies), and the pure mapping
 * of them to the API's types: a Workload's state, Kueue's reason and the portal's queue position;
 * a ClusterQueue's GPU quota, usage and borrowing. Used by the gpu and finetuning backends.
 */
import {
  FlavorQuota,
  GPU_RESOURCE,
  GPU_TEAM_LABEL,
  GpuWorkload,
  WorkloadState,
} from './types';

/** Group and version of Kueue's API (v0.17 stores v1beta2). */
export const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta2' };

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** The object metadata the mapping reads (a subset of Kubernetes' ObjectMeta). */
export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string | Date;
  resourceVersion?: string;
  ownerReferences?: Array<{
    apiVersion: string;
    kind: string;
    name: string;
    uid: string;
    controller?: boolean;
    blockOwnerDeletion?: boolean;
  }>;
}

/** The pod template fields the mapping reads (GPU requests and limits of the containers). */
export interface KubePodTemplate {
  metadata?: KubeObjectMeta;
  spec?: {
    containers?: Array<{
      name?: string;
      resources?: {
        requests?: Record<string, string | number>;
        limits?: Record<string, string | number>;
      };
    }>;
    [key: string]: unknown;
  };
}

type Meta = KubeObjectMeta & { name: string };

export interface ResourceQuotaSpec {
  name: string;
  nominalQuota?: string | number;
  borrowingLimit?: string | number;
  lendingLimit?: string | number;
}

export interface FlavorQuotasSpec {
  name: string;
  resources?: ResourceQuotaSpec[];
}

export interface ResourceGroupSpec {
  coveredResources?: string[];
  flavors?: FlavorQuotasSpec[];
}

export interface FlavorUsage {
  name: string;
  resources?: Array<{
    name: string;
    total?: string | number;
    borrowed?: string | number;
  }>;
}

export interface ClusterQueueObject {
  apiVersion?: string;
  kind?: string;
  metadata: Meta;
  spec: {
    cohortName?: string;
    resourceGroups?: ResourceGroupSpec[];
    queueingStrategy?: string;
    stopPolicy?: string;
    namespaceSelector?: unknown;
    preemption?: {
      reclaimWithinCohort?: string;
      withinClusterQueue?: string;
      borrowWithinCohort?: { policy?: string; maxPriorityThreshold?: number };
    };
  };
  status?: {
    conditions?: Condition[];
    flavorsReservation?: FlavorUsage[];
    flavorsUsage?: FlavorUsage[];
    pendingWorkloads?: number;
    reservingWorkloads?: number;
    admittedWorkloads?: number;
  };
}

export interface LocalQueueObject {
  metadata: Meta & { namespace: string };
  spec: { clusterQueue: string; stopPolicy?: string };
  status?: {
    conditions?: Condition[];
    pendingWorkloads?: number;
    admittedWorkloads?: number;
  };
}

export interface ResourceFlavorObject {
  metadata: Meta;
  spec?: { nodeLabels?: Record<string, string> };
}

export interface WorkloadObject {
  metadata: Meta & { namespace: string; creationTimestamp?: string | Date };
  spec: {
    podSets?: Array<{
      name: string;
      count?: number;
      template?: KubePodTemplate;
    }>;
    queueName?: string;
    priorityClassRef?: { group?: string; kind?: string; name?: string };
    priority?: number;
    active?: boolean;
  };
  status?: {
    conditions?: Condition[];
    admission?: {
      clusterQueue: string;
      podSetAssignments?: Array<{
        name: string;
        flavors?: Record<string, string>;
        resourceUsage?: Record<string, string>;
        count?: number;
      }>;
    };
    resourceRequests?: Array<{
      name: string;
      resources?: Record<string, string>;
    }>;
    schedulingStats?: {
      evictions?: Array<{
        reason: string;
        underlyingCause?: string;
        count: number;
      }>;
    };
  };
}

export interface KubeList<T> {
  items: T[];
}

/**
 * A Kubernetes quantity as a number (`4`, `500m`, `2k`, `1Gi`, `1e3`); NaN when it is not one.
 * GPU counts are whole numbers; the others are read for completeness.
 */
export function parseQuantity(value: string | number | undefined): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') return value;
  const m = String(value)
    .trim()
    .match(/^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/);
  if (!m) return NaN;
  const n = Number(m[1]);
  const factors: Record<string, number> = {
    '': 1,
    n: 1e-9,
    u: 1e-6,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    P: 1e15,
    E: 1e18,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    Pi: 2 ** 50,
    Ei: 2 ** 60,
  };
  const f = factors[m[2]];
  return f === undefined ? NaN : n * f;
}

export const conditionOf = (
  conditions: Condition[] | undefined,
  type: string,
): Condition | undefined => conditions?.find(c => c.type === type);

const isTrue = (conditions: Condition[] | undefined, type: string) =>
  conditionOf(conditions, type)?.status === 'True';

/** QuotaReserved=False reasons that mean "cannot be admitted as it is", not "waiting". */
const INADMISSIBLE_REASONS = new Set(['Inadmissible', 'Misconfigured']);

/**
 * A Workload's state from Kueue's conditions, and Kueue's own words for it (the condition's
 * message, verbatim): Finished → `finished`; Admitted → `admitted`; QuotaReserved (waiting for
 * admission checks) → `reserved`; deactivated (spec.active false) or QuotaReserved=False with
 * reason Inadmissible/Misconfigured → `inadmissible`; Evicted (preempted, requeued, no quota yet)
 * → `evicted`; otherwise `pending`.
 */
export function workloadState(w: WorkloadObject): {
  state: WorkloadState;
  reason?: string;
} {
  const conditions = w.status?.conditions;
  const message = (type: string) => {
    const c = conditionOf(conditions, type);
    return c?.message || c?.reason || undefined;
  };
  if (isTrue(conditions, 'Finished')) {
    return { state: 'finished', reason: message('Finished') };
  }
  if (isTrue(conditions, 'Admitted')) return { state: 'admitted' };
  if (isTrue(conditions, 'QuotaReserved')) {
    return { state: 'reserved', reason: message('Admitted') };
  }
  const reserved = conditionOf(conditions, 'QuotaReserved');
  if (w.spec.active === false) {
    return {
      state: 'inadmissible',
      reason:
        message('Evicted') ??
        'The workload is deactivated (spec.active is false)',
    };
  }
  if (
    reserved?.status === 'False' &&
    INADMISSIBLE_REASONS.has(reserved.reason ?? '')
  ) {
    return { state: 'inadmissible', reason: message('QuotaReserved') };
  }
  if (isTrue(conditions, 'Evicted')) {
    // requeued after an eviction: Kueue's current word on the quota comes first
    return {
      state: 'evicted',
      reason: message('QuotaReserved') ?? message('Evicted'),
    };
  }
  return { state: 'pending', reason: message('QuotaReserved') };
}

/** GPUs asked for by all pod sets (status.resourceRequests when Kueue computed them, else the spec). */
export function workloadGpus(w: WorkloadObject): number {
  const computed = w.status?.resourceRequests;
  if (computed?.length) {
    return computed.reduce(
      (sum, ps) => sum + parseQuantity(ps.resources?.[GPU_RESOURCE] ?? 0),
      0,
    );
  }
  let total = 0;
  for (const ps of w.spec.podSets ?? []) {
    const spec = ps.template?.spec;
    const perPod = (spec?.containers ?? []).reduce((sum, c) => {
      const r = c.resources?.requests?.[GPU_RESOURCE] as string | undefined;
      const l = c.resources?.limits?.[GPU_RESOURCE] as string | undefined;
      return sum + parseQuantity(r ?? l ?? 0);
    }, 0);
    total += perPod * (ps.count ?? 1);
  }
  return total;
}

/** The flavor assigned to `nvidia.com/gpu` at admission (the first pod set that has one). */
export function workloadFlavor(w: WorkloadObject): string | undefined {
  for (const a of w.status?.admission?.podSetAssignments ?? []) {
    const f = a.flavors?.[GPU_RESOURCE];
    if (f) return f;
  }
  return undefined;
}

const toIso = (t: string | Date | undefined) =>
  t === undefined ? undefined : new Date(t).toISOString();

/**
 * The timestamp Kueue orders a pending workload by within its priority: the creation time, or the
 * eviction time when it was evicted by a PodsReady timeout or an admission check (Kueue's default
 * requeuing timestamp `Eviction`).
 */
export function queueOrderTime(w: WorkloadObject): number {
  const evicted = conditionOf(w.status?.conditions, 'Evicted');
  if (
    evicted?.status === 'True' &&
    (evicted.reason === 'PodsReadyTimeout' ||
      evicted.reason === 'AdmissionCheck') &&
    evicted.lastTransitionTime
  ) {
    return Date.parse(evicted.lastTransitionTime);
  }
  return new Date(w.metadata.creationTimestamp ?? 0).getTime();
}

/**
 * 1-based positions of the waiting workloads (pending or evicted-and-requeued) of each ClusterQueue,
 * ordered as Kueue's BestEffortFIFO/StrictFIFO heads order them: priority descending, then the
 * queue-order timestamp ascending (ties by name). This is the portal's computation from the
 * Workloads' fields — Kueue's visibility API (which reports its own positions) is not enabled.
 * Keys are `namespace/name`.
 */
export function queuePositions(
  workloads: Array<{
    object: WorkloadObject;
    state: WorkloadState;
    clusterQueue?: string;
  }>,
): Map<string, number> {
  const byQueue = new Map<string, WorkloadObject[]>();
  for (const w of workloads) {
    if (!w.clusterQueue) continue;
    if (w.state !== 'pending' && w.state !== 'evicted') continue;
    const list = byQueue.get(w.clusterQueue) ?? [];
    list.push(w.object);
    byQueue.set(w.clusterQueue, list);
  }
  const positions = new Map<string, number>();
  for (const list of byQueue.values()) {
    list
      .map(o => ({
        o,
        priority: o.spec.priority ?? 0,
        at: queueOrderTime(o),
        key: `${o.metadata.namespace}/${o.metadata.name}`,
      }))
      .sort(
        (a, b) =>
          b.priority - a.priority || a.at - b.at || a.key.localeCompare(b.key),
      )
      .forEach((x, i) => positions.set(x.key, i + 1));
  }
  return positions;
}

/**
 * Evictions and preemptions from the Workload's conditions (the latest of each: Evicted,
 * Preempted), newest first. Kueue keeps only the latest condition; earlier ones survive as its
 * counters (status.schedulingStats.evictions), which carry no time.
 */
export function workloadEvictions(w: WorkloadObject): GpuWorkload['evictions'] {
  const out: GpuWorkload['evictions'] = [];
  const conditions = w.status?.conditions;
  const evicted = conditionOf(conditions, 'Evicted');
  const preempted = conditionOf(conditions, 'Preempted');
  if (evicted?.status === 'True') {
    out.push({
      reason: evicted.reason ?? 'Evicted',
      message: evicted.message ?? '',
      at: toIso(evicted.lastTransitionTime) ?? '',
    });
  }
  if (
    preempted?.status === 'True' &&
    !(evicted?.status === 'True' && evicted.reason === 'Preempted')
  ) {
    out.push({
      reason: `Preempted: ${preempted.reason ?? ''}`.replace(/: $/, ''),
      message: preempted.message ?? '',
      at: toIso(preempted.lastTransitionTime) ?? '',
    });
  }
  return out.sort((a, b) => (b.at || '').localeCompare(a.at || ''));
}

/** The Workload's owner (the Job, usually). */
export function workloadOwner(
  w: WorkloadObject,
): GpuWorkload['owner'] | undefined {
  const ref =
    w.metadata.ownerReferences?.find(o => o.controller) ??
    w.metadata.ownerReferences?.[0];
  return ref ? { kind: ref.kind, name: ref.name } : undefined;
}

/**
 * One Workload as the API shows it (no position, entity or utilization: the service adds them).
 * `clusterQueueOf` resolves the LocalQueue to its ClusterQueue for workloads not admitted yet.
 */
export function toGpuWorkload(
  cluster: string,
  w: WorkloadObject,
  clusterQueueOf: (namespace: string, localQueue: string) => string | undefined,
  now: number = Date.now(),
): GpuWorkload {
  const { state, reason } = workloadState(w);
  const created = new Date(w.metadata.creationTimestamp ?? 0);
  const admitted = conditionOf(w.status?.conditions, 'Admitted');
  const admittedAt =
    state === 'admitted' || state === 'finished'
      ? toIso(admitted?.lastTransitionTime)
      : undefined;
  const queue = w.spec.queueName ?? '';
  const clusterQueue =
    w.status?.admission?.clusterQueue ??
    (queue ? clusterQueueOf(w.metadata.namespace, queue) : undefined);
  const waitUntil = admittedAt ? Date.parse(admittedAt) : now;
  const out: GpuWorkload = {
    cluster,
    namespace: w.metadata.namespace,
    name: w.metadata.name,
    queue,
    priority: w.spec.priority ?? 0,
    gpus: workloadGpus(w),
    state,
    createdAt: created.toISOString(),
    waitSeconds: Math.max(
      0,
      Math.round((waitUntil - created.getTime()) / 1000),
    ),
    evictions: workloadEvictions(w),
  };
  const owner = workloadOwner(w);
  if (owner) out.owner = owner;
  if (clusterQueue) out.clusterQueue = clusterQueue;
  if (w.spec.priorityClassRef?.name) {
    out.priorityClass = w.spec.priorityClassRef.name;
  }
  const flavor = workloadFlavor(w);
  if (flavor) out.flavor = flavor;
  if (reason && state !== 'admitted') out.reason = reason;
  if (admittedAt) out.admittedAt = admittedAt;
  return out;
}

const gpuOf = (usage: FlavorUsage[] | undefined, flavor: string) =>
  parseQuantity(
    usage
      ?.find(f => f.name === flavor)
      ?.resources?.find(r => r.name === GPU_RESOURCE)?.total ?? 0,
  );

/** The GPU quota of a ClusterQueue's flavor as spec'd: undefined when it does not cover GPUs. */
export function gpuQuotaSpec(
  cq: ClusterQueueObject,
  flavor: string,
): ResourceQuotaSpec | undefined {
  for (const group of cq.spec.resourceGroups ?? []) {
    const f = group.flavors?.find(x => x.name === flavor);
    const r = f?.resources?.find(x => x.name === GPU_RESOURCE);
    if (r) return r;
  }
  return undefined;
}

/** The flavors of a ClusterQueue that carry `nvidia.com/gpu` quota, in spec order. */
export function gpuFlavorsOf(cq: ClusterQueueObject): string[] {
  const out: string[] = [];
  for (const group of cq.spec.resourceGroups ?? []) {
    for (const f of group.flavors ?? []) {
      if (f.resources?.some(r => r.name === GPU_RESOURCE)) out.push(f.name);
    }
  }
  return out;
}

/**
 * Quota and usage of `nvidia.com/gpu` per flavor: nominal and limits from the spec, used
 * (admitted) and reserved from the status, borrowed = max(0, used − nominal).
 */
export function flavorQuotas(
  cq: ClusterQueueObject,
  productOf: (flavor: string) => string | undefined,
): FlavorQuota[] {
  return gpuFlavorsOf(cq).map(flavor => {
    const spec = gpuQuotaSpec(cq, flavor)!;
    const nominal = parseQuantity(spec.nominalQuota);
    const used = gpuOf(cq.status?.flavorsUsage, flavor);
    const q: FlavorQuota = {
      flavor,
      nominal,
      used,
      reserved: gpuOf(cq.status?.flavorsReservation, flavor),
      borrowed: Math.max(0, used - nominal),
    };
    const product = productOf(flavor);
    if (product) q.product = product;
    if (spec.borrowingLimit !== undefined) {
      q.borrowingLimit = parseQuantity(spec.borrowingLimit);
    }
    if (spec.lendingLimit !== undefined) {
      q.lendingLimit = parseQuantity(spec.lendingLimit);
    }
    return q;
  });
}

/** The owning team of a ClusterQueue: the `kubemate.io/team` annotation (a group ref). */
export function teamOfClusterQueue(cq: ClusterQueueObject): string | undefined {
  const annotated = cq.metadata.annotations?.[GPU_TEAM_LABEL];
  if (annotated) return annotated;
  const label = cq.metadata.labels?.[GPU_TEAM_LABEL];
  return label ? `group:default/team-${label}` : undefined;
}
