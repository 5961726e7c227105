export { gpuApiRef } from './GpuApi';
export type { GpuApi, UtilizationGroupBy, WorkloadFilter } from './GpuApi';
export { GpuClient } from './GpuClient';
