/**
 * Kubemate GPUs: the page "GPUs" — team quotas (Kueue ClusterQueues) against usage with the
 * borrowed share, capacity by GPU model and cluster, the queue with Kueue's pending reasons and
 * positions, utilization over time and idle GPUs, quota requests and the approvals inbox — and the
 * entity tab "GPU" with the entity's workloads, their queues and utilization.
 *
 * @packageDocumentation
 */
export { gpuPlugin as default } from './plugin';
export { gpuRouteRef } from './routes';
export { gpuApiRef, GpuClient } from './api';
export type { GpuApi, UtilizationGroupBy, WorkloadFilter } from './api';
export { gpuTranslationRef } from './translation';
