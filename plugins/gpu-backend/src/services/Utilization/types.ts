import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  IdleGpusResponse,
  UtilizationResponse,
} from '@kubemate/plugin-gpu-common';

export type UtilizationGroupBy = UtilizationResponse['groupBy'];

/** GPU utilization from the DCGM exporter's series in Prometheus. */
export interface UtilizationService {
  /** Average utilization over time per team, workload (pod) or model, in the caller's scope. */
  utilization(
    credentials: BackstageCredentials,
    options: { groupBy: UtilizationGroupBy; minutes: number },
  ): Promise<UtilizationResponse>;
  /** GPUs allocated to a pod and below the idle threshold over the window, in the caller's scope. */
  idle(credentials: BackstageCredentials): Promise<IdleGpusResponse>;
  /**
   * Series per pod of the given pods (no permission check: the caller checked), and the average
   * utilization (%) of each pod over the last `averageMinutes`. Keys are `cluster/namespace/pod`.
   */
  podUtilization(
    pods: Array<{ cluster: string; namespace: string; pod: string }>,
    options: { minutes: number; averageMinutes?: number },
  ): Promise<{ response: UtilizationResponse; averages: Map<string, number> }>;
}
