/**
 * The inspections check of the GPU quota capability (`application.gpu-idle`).
 *
 * @packageDocumentation
 */
export { inspectionsModuleGpu as default } from './module';
export { createGpuIdleCheck, GPU_IDLE_CHECK_ID } from './check';
export { DefaultIdleGpuSource } from './client';
export type { IdleGpuSource } from './client';
