export * from './types';
export {
  DefaultTrafficService,
  TRAFFIC_FIELD_MANAGER,
} from './DefaultTrafficService';
export type { DefaultTrafficServiceOptions } from './DefaultTrafficService';
export { buildHttpRoute, parentRefsFor, validateTrafficRequest } from './route';
export { unifiedDiff } from './unifiedDiff';
