import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { EntityGpuResponse } from '@kubemate/plugin-gpu-common';

/** The GPU tab of an entity. */
export interface EntityGpuService {
  /** The entity's GPU workloads (its Jobs' Workloads) in the caller's scope, their queues and utilization. */
  entityGpu(
    credentials: BackstageCredentials,
    entityRef: string,
    options: { minutes: number },
  ): Promise<EntityGpuResponse>;
}
