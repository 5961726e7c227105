import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CapacityResponse,
  CreateQuotaRequest,
  DecideQuotaRequest,
  EntityGpuResponse,
  IdleGpusResponse,
  QueuesResponse,
  QuotaRequest,
  QuotaRequestsResponse,
  QuotaRequestStatus,
  TeamQueue,
  UpdateQueueRequest,
  UtilizationResponse,
  WorkloadState,
  WorkloadsResponse,
} from '@kubemate/plugin-gpu-common';

/** What the workload list is narrowed to (every field optional). */
export interface WorkloadFilter {
  cluster?: string;
  namespace?: string;
  state?: WorkloadState;
  /** A LocalQueue's name. */
  queue?: string;
}

/** How utilization series are grouped. */
export type UtilizationGroupBy = UtilizationResponse['groupBy'];

/** The gpu backend (`/api/gpu`), as the GPUs page and the entity tab use it. */
export interface GpuApi {
  /** GPUs by model and cluster, and the GPU nodes. */
  capacity(cluster?: string): Promise<CapacityResponse>;
  /** The team ClusterQueues the user may see, and the flavors a request may ask for. */
  queues(cluster?: string): Promise<QueuesResponse>;
  /** Changes a team queue directly (gpu.queue.update). */
  updateQueue(
    cluster: string,
    name: string,
    body: UpdateQueueRequest,
  ): Promise<TeamQueue>;
  /** Kueue workloads; pending ones with Kueue's reason and their position. */
  workloads(filter?: WorkloadFilter): Promise<WorkloadsResponse>;
  /** Average GPU utilization per group over the last `minutes` (5..10080). */
  utilization(
    groupBy: UtilizationGroupBy,
    minutes: number,
  ): Promise<UtilizationResponse>;
  /** GPUs allocated to a pod but below the idle threshold over the window. */
  idle(): Promise<IdleGpusResponse>;
  /** Quota requests in the user's namespaces (approvers: all), with the request limits. */
  requests(status?: QuotaRequestStatus): Promise<QuotaRequestsResponse>;
  createRequest(body: CreateQuotaRequest): Promise<QuotaRequest>;
  decideRequest(id: string, body: DecideQuotaRequest): Promise<QuotaRequest>;
  cancelRequest(id: string): Promise<QuotaRequest>;
  /** The entity's GPU workloads, their queues and utilization. */
  entity(entityRef: string, minutes?: number): Promise<EntityGpuResponse>;
}

export const gpuApiRef = createApiRef<GpuApi>({ id: 'plugin.gpu.service' });
