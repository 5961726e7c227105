import { AuditRecord } from '@kubemate/plugin-kubemate-common';
/*
 * Response types of the clusters backend (`/api/clusters`).
 */

/** A health verdict of a pod or workload, most severe first. */
export type HealthVerdictReason =
  | 'CrashLoopBackOff'
  | 'ImagePullBackOff'
  | 'ErrImagePull'
  | 'OOMKilled'
  | 'Unschedulable'
  | 'Pending'
  | 'NotReady'
  | 'Restarting'
  | 'Failed'
  | 'Progressing'
  | 'Healthy'
  | 'Completed';

export type HealthStatus = 'ok' | 'warning' | 'error';

export interface HealthVerdict {
  status: HealthStatus;
  reason: HealthVerdictReason;
  message?: string;
}

export interface ClusterEvent {
  type: string;
  reason?: string;
  message?: string;
  count?: number;
  involvedObject: { kind?: string; name?: string; namespace?: string };
  lastTimestamp?: string;
}

export interface ContainerSummary {
  name: string;
  image?: string;
  ready: boolean;
  restartCount: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  lastTerminationReason?: string;
  lastExitCode?: number;
}

export interface PodSummary {
  name: string;
  namespace: string;
  phase?: string;
  nodeName?: string;
  podIP?: string;
  createdAt?: string;
  restarts: number;
  ownerKind?: string;
  ownerName?: string;
  containers: ContainerSummary[];
  health: HealthVerdict;
}

export type WorkloadKind =
  | 'Deployment'
  | 'StatefulSet'
  | 'DaemonSet'
  | 'Job'
  | 'CronJob';

export interface WorkloadSummary {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  desiredReplicas?: number;
  readyReplicas?: number;
  updatedReplicas?: number;
  availableReplicas?: number;
  revision?: string;
  images: string[];
  health: HealthVerdict;
  pods: PodSummary[];
  events: ClusterEvent[];
}

export interface ServiceSummary {
  name: string;
  namespace: string;
  type?: string;
  clusterIP?: string;
  ports: string[];
}

export interface NamespaceWorkloads {
  namespace: string;
  workloads: WorkloadSummary[];
  services: ServiceSummary[];
  /** Pods of the entity that belong to no listed workload. */
  otherPods: PodSummary[];
}

export interface ClusterWorkloads {
  cluster: string;
  /** Set when the cluster could not be read; the other clusters are still returned. */
  error?: string;
  namespaces: NamespaceWorkloads[];
}

export interface EntityWorkloadsResponse {
  entityRef: string;
  labelSelector: string;
  clusters: ClusterWorkloads[];
}

export interface ClusterInfo {
  name: string;
  url: string;
}

export interface ClustersResponse {
  clusters: ClusterInfo[];
}

export interface ResourceAmounts {
  /** millicores */
  cpu: number;
  /** bytes */
  memory: number;
  pods?: number;
  gpu?: number;
}

export interface NodeOverview {
  name: string;
  ready: boolean;
  roles: string[];
  labels: Record<string, string>;
  capacity: ResourceAmounts;
  allocatable: ResourceAmounts;
  requests: ResourceAmounts;
  podCount: number;
}

export interface ClusterOverview {
  cluster: string;
  nodes: NodeOverview[];
  totals: {
    allocatable: ResourceAmounts;
    requests: ResourceAmounts;
  };
  namespaces: { name: string; phase?: string; podCount: number }[];
  podsByPhase: Record<string, number>;
}

export interface AuditResponse {
  items: AuditRecord[];
}

export interface ApplyResponse {
  dryRun: boolean;
  objects: {
    apiVersion: string;
    kind: string;
    namespace?: string;
    name: string;
    /** 'created' when the object did not exist, 'configured' or 'unchanged' otherwise. */
    operation: 'created' | 'configured' | 'unchanged';
    before?: string;
    after: string;
    diff: string;
  }[];
}

/** Kinds of workloads the action routes accept (path segment, lower-case plural). */
export type WorkloadResource = 'deployments' | 'statefulsets' | 'daemonsets';

/** A workload on a cluster, as the action routes address it. */
export interface WorkloadTarget {
  cluster: string;
  namespace: string;
  resource: WorkloadResource;
  name: string;
}

/** A pod on a cluster, as the pod routes address it. */
export interface PodTarget {
  cluster: string;
  namespace: string;
  pod: string;
}

export interface WorkloadManifestResponse {
  cluster: string;
  /** The object without status and server-managed metadata. */
  yaml: string;
}

export interface MutationResponse {
  cluster: string;
  namespace: string;
  kind: string;
  name: string;
  message: string;
}
