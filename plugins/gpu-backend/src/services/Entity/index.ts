export * from './types';
export { DefaultEntityGpuService } from './DefaultEntityGpuService';
export type { DefaultEntityGpuServiceOptions } from './DefaultEntityGpuService';
