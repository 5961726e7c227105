export * from './types';
export { DefaultStatusService } from './DefaultStatusService';
export type { StatusServiceOptions } from './DefaultStatusService';
