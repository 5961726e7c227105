import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  QueuesResponse,
  TeamQueue,
  UpdateQueueRequest,
  WorkloadsResponse,
  WorkloadState,
} from '@kubemate/plugin-gpu-common';

export interface WorkloadsQuery {
  cluster?: string;
  namespace?: string;
  state?: WorkloadState;
  /** A ClusterQueue or LocalQueue name. */
  queue?: string;
}

/** The team queues (Kueue ClusterQueues) and the workloads in them. */
export interface QueuesService {
  /** ClusterQueues with a LocalQueue in the user's gpu.capacity.read scope (all for scope all). */
  queues(
    credentials: BackstageCredentials,
    options: { cluster?: string },
  ): Promise<QueuesResponse>;
  /** GPU Workloads in the user's scope; pending ones with Kueue's reason and their position. */
  workloads(
    credentials: BackstageCredentials,
    query: WorkloadsQuery,
  ): Promise<WorkloadsResponse>;
  /** Changes a ClusterQueue as the user (gpu.queue.update on all its LocalQueues' namespaces), audited. */
  updateQueue(
    credentials: BackstageCredentials,
    target: { cluster: string; name: string },
    request: UpdateQueueRequest,
  ): Promise<TeamQueue>;
}
