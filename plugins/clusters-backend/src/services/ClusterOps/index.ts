export * from './types';
export { AuthorizedClusterOpsService } from './AuthorizedClusterOpsService';
