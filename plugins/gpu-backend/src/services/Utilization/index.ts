export * from './types';
export {
  DefaultUtilizationService,
  averageBy,
  scopeMatcher,
  GPU_UTIL,
} from './DefaultUtilizationService';
export type { DefaultUtilizationServiceOptions } from './DefaultUtilizationService';
