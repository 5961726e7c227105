import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { CapacityResponse } from '@kubemate/plugin-gpu-common';

/** GPU capacity per cluster and model (nodes, allocatable, allocated, free). */
export interface CapacityService {
  /** gpu.capacity.read in any namespace; an unknown `cluster` is a 400. */
  capacity(
    credentials: BackstageCredentials,
    options: { cluster?: string },
  ): Promise<CapacityResponse>;
}
