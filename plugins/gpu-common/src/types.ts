/*
 * Response and request types of the gpu backend (`/api/gpu`). The backend's
 * `src/schema/openapi.yaml` declares the same shapes.
 */

/** The extended resource GPUs are requested and counted in (NVIDIA device plugin). */
export const GPU_RESOURCE = 'nvidia.com/gpu';
/** The node label GPU feature discovery sets to the GPU model, e.g. `NVIDIA-A100-SXM4-40GB`. */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** The Job/pod label that hands a workload to a Kueue LocalQueue. */
export const KUEUE_QUEUE_NAME_LABEL = 'kueue.x-k8s.io/queue-name';
/** The Job/pod label naming a Kueue WorkloadPriorityClass. */
export const KUEUE_PRIORITY_CLASS_LABEL = 'kueue.x-k8s.io/priority-class';
/** Label and annotation on a ClusterQueue naming the team that owns it. */
export const GPU_TEAM_LABEL = 'kubemate.io/team';

/** A failure of one cluster (or of Prometheus) while the rest answered. */
export interface GpuSourceError {
  /** The cluster, or `prometheus`. */
  cluster: string;
  message: string;
}

/** GPUs of one model in one cluster. */
export interface GpuModelCapacity {
  cluster: string;
  /** `nvidia.com/gpu.product` of the nodes. */
  product: string;
  /** The Kueue ResourceFlavor whose node labels select this model, if any. */
  flavor?: string;
  family?: string;
  /** Memory of one GPU (MiB), from `nvidia.com/gpu.memory`. */
  memoryMiB?: number;
  nodes: number;
  /** Allocatable GPUs on schedulable, ready nodes. */
  gpus: number;
  /** GPUs requested by pods bound to these nodes that have not finished. */
  allocated: number;
  free: number;
  /** GPUs on nodes that are cordoned or not ready. */
  unavailable: number;
}

/** One GPU node. */
export interface GpuNode {
  cluster: string;
  name: string;
  product: string;
  flavor?: string;
  gpus: number;
  allocated: number;
  ready: boolean;
  schedulable: boolean;
  /** `kubemate.io/simulated: "true"` (a kwok node of the dev stack). */
  simulated: boolean;
}

export interface CapacityResponse {
  models: GpuModelCapacity[];
  nodes: GpuNode[];
  errors: GpuSourceError[];
}

/** Quota and usage of `nvidia.com/gpu` in one flavor of a ClusterQueue. */
export interface FlavorQuota {
  flavor: string;
  product?: string;
  /** Guaranteed GPUs (nominalQuota). */
  nominal: number;
  /** How many GPUs above nominal it may borrow from the cohort; unlimited when absent. */
  borrowingLimit?: number;
  /** How many of its nominal GPUs it lends at most; all when absent. */
  lendingLimit?: number;
  /** GPUs of admitted workloads (status.flavorsUsage). */
  used: number;
  /** GPUs reserved (quota reserved, maybe not yet admitted). */
  reserved: number;
  /** The part of `used` above nominal: borrowed from the cohort. */
  borrowed: number;
}

/** A namespace ResourceQuota on `requests.nvidia.com/gpu`. */
export interface NamespaceGpuQuota {
  cluster: string;
  namespace: string;
  name: string;
  hard: number;
  used: number;
}

/** A team's Kueue ClusterQueue with its LocalQueues, quota, usage and queue length. */
export interface TeamQueue {
  cluster: string;
  /** The ClusterQueue's name. */
  name: string;
  /** The owning team (group entity ref) from the `kubemate.io/team` annotation. */
  team?: string;
  cohort?: string;
  /** LocalQueues pointing at it (`namespace/name`). */
  localQueues: Array<{ namespace: string; name: string }>;
  flavors: FlavorQuota[];
  /** Totals over the flavors. */
  nominalGpus: number;
  usedGpus: number;
  borrowedGpus: number;
  pendingWorkloads: number;
  admittedWorkloads: number;
  /** `spec.stopPolicy` other than None: the queue admits nothing new. */
  held: boolean;
  /** The ClusterQueue's Active condition is False (e.g. a missing flavor), with why. */
  inactiveReason?: string;
  /** ResourceQuotas on GPUs in the LocalQueues' namespaces. */
  resourceQuotas: NamespaceGpuQuota[];
  /** Preemption settings (withinClusterQueue, reclaimWithinCohort, borrowWithinCohort.policy). */
  preemption?: Record<string, string>;
}

export interface QueuesResponse {
  queues: TeamQueue[];
  /** Available ResourceFlavors per cluster (what a quota request may ask for). */
  flavors: Array<{ cluster: string; name: string; product?: string }>;
  errors: GpuSourceError[];
}

/**
 * A Kueue Workload's state: `pending` (no quota reserved yet), `reserved` (quota reserved, waiting
 * for admission checks), `admitted`, `finished`, `evicted` (preempted or evicted, requeued),
 * `inadmissible` (cannot be admitted as is: e.g. a flavor or a queue that does not exist).
 */
export type WorkloadState =
  | 'pending'
  | 'reserved'
  | 'admitted'
  | 'finished'
  | 'evicted'
  | 'inadmissible';

/** A GPU workload known to Kueue (one Workload object, owned by a Job or another framework). */
export interface GpuWorkload {
  cluster: string;
  namespace: string;
  /** The Workload's name. */
  name: string;
  /** What created it, e.g. `{kind: 'Job', name: 'train-1'}`. */
  owner?: { kind: string; name: string };
  /** LocalQueue and ClusterQueue. */
  queue: string;
  clusterQueue?: string;
  priorityClass?: string;
  priority: number;
  /** GPUs asked for (all pod sets). */
  gpus: number;
  /** Flavor assigned at admission. */
  flavor?: string;
  state: WorkloadState;
  /** Kueue's own words for the state (e.g. "couldn't assign flavors to pod set main: insufficient quota for nvidia.com/gpu in flavor a100-40gb, ..."). */
  reason?: string;
  /** 1-based position among the ClusterQueue's pending workloads (priority, then creation time, as BestEffortFIFO orders them). */
  position?: number;
  createdAt: string;
  admittedAt?: string;
  /** Seconds from creation to admission, or until now while pending. */
  waitSeconds: number;
  /** Times it was evicted or preempted, newest first. */
  evictions: Array<{ reason: string; message: string; at: string }>;
  /** The catalog entity of its Job (label `backstage.io/kubernetes-id` → entity). */
  entityRef?: string;
  /** Average GPU utilization (%) over the last 15 minutes, when its pods run on GPUs. */
  utilization?: number;
}

export interface WorkloadsResponse {
  workloads: GpuWorkload[];
  errors: GpuSourceError[];
}

/** A point of a utilization series: epoch seconds and a value. */
export type GpuPoint = [number, number];

export interface UtilizationSeries {
  /** The team (group ref), the workload (`cluster/namespace/pod`) or the GPU model. */
  key: string;
  label: string;
  points: GpuPoint[];
}

export interface UtilizationResponse {
  groupBy: 'team' | 'workload' | 'model';
  /** Average GPU utilization (%) per group over time. */
  series: UtilizationSeries[];
  start: number;
  end: number;
  step: number;
  /** The samples come from the dev stack's simulated DCGM exporter (`kubemate_demo="true"`). */
  demo: boolean;
  errors: GpuSourceError[];
}

/** A GPU allocated to a pod but (nearly) unused over the window. */
export interface IdleGpu {
  cluster: string;
  node: string;
  /** The GPU's index on the node and its UUID. */
  gpu: string;
  uuid?: string;
  product?: string;
  namespace: string;
  pod: string;
  /** Average utilization (%) over the window, and the highest sample. */
  averageUtilization: number;
  maxUtilization: number;
  entityRef?: string;
  team?: string;
}

export interface IdleGpusResponse {
  items: IdleGpu[];
  thresholdPercent: number;
  windowMinutes: number;
  demo: boolean;
  errors: GpuSourceError[];
}

/**
 * A quota request's life: `pending` → `rejected`, or `approved` → `active` (applied to the
 * ClusterQueue) → `expired` (given back at `until`); `cancelled` by the requester while pending;
 * `failed` when applying or returning it failed (`error` says why; an admin may retry by approving
 * again).
 */
export type QuotaRequestStatus =
  | 'pending'
  | 'active'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'failed';

export interface QuotaRequest {
  id: string;
  cluster: string;
  /** The team namespace it is for; its LocalQueue's ClusterQueue receives the quota. */
  namespace: string;
  clusterQueue: string;
  team?: string;
  flavor: string;
  /** Extra nominal GPUs asked for (added to the ClusterQueue's nominal quota while active). */
  gpus: number;
  reason: string;
  /** When the quota is given back. */
  until: string;
  status: QuotaRequestStatus;
  requestedBy: string;
  requestedAt: string;
  /** `portal` or `template` (the golden-path template's GPU parameter above the self-service limit). */
  source: 'portal' | 'template';
  decidedBy?: string;
  decidedAt?: string;
  comment?: string;
  appliedAt?: string;
  returnedAt?: string;
  /** Nominal GPUs of the flavor before it was applied (what expiry returns to, minus other requests). */
  previousNominal?: number;
  error?: string;
  /** Whether the caller may approve/reject it (admins) or cancel it (the requester, while pending). */
  canDecide?: boolean;
  canCancel?: boolean;
}

export interface QuotaRequestsResponse {
  items: QuotaRequest[];
  /** Requests up to this many GPUs are approved by policy (the self-service limit). */
  selfServiceLimit: number;
  /** The largest request accepted, and the longest period (hours). */
  maxGpus: number;
  maxHours: number;
}

export interface CreateQuotaRequest {
  cluster: string;
  namespace: string;
  flavor: string;
  gpus: number;
  /** Hours from approval until the quota is given back. */
  durationHours: number;
  reason: string;
  source?: 'portal' | 'template';
}

export interface DecideQuotaRequest {
  decision: 'approve' | 'reject';
  comment?: string;
}

/** A direct change to a team queue (gpu.queue.update). */
export interface UpdateQueueRequest {
  flavors?: Array<{
    flavor: string;
    nominal?: number;
    /** null removes the limit. */
    borrowingLimit?: number | null;
    lendingLimit?: number | null;
  }>;
  /** Hold the queue (stopPolicy Hold: admit nothing new) or resume it. */
  held?: boolean;
}

/** The GPU tab of an entity: its workloads across clusters, their queues and utilization. */
export interface EntityGpuResponse {
  workloads: GpuWorkload[];
  queues: TeamQueue[];
  utilization?: UtilizationResponse;
  errors: GpuSourceError[];
}
