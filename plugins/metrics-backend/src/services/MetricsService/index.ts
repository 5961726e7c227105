export { DefaultMetricsService } from './DefaultMetricsService';
export type { MetricsServiceDeps } from './DefaultMetricsService';
export type {
  AlertmanagerApi,
  InstantQueryRequest,
  MetricsService,
  RangeRequest,
  ThanosQueryApi,
} from './types';
