export * from './types';
export { DefaultClusterOpsService } from './DefaultClusterOpsService';
