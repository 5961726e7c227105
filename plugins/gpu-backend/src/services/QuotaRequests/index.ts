export * from './types';
export {
  DefaultQuotaRequestsService,
  EXPIRY_ACTOR,
  GPU_LOCAL_QUEUE,
  requestAnnotation,
  SELF_SERVICE_ACTOR,
} from './DefaultQuotaRequestsService';
export type {
  DefaultQuotaRequestsServiceOptions,
  QuotaRequestLimits,
} from './DefaultQuotaRequestsService';
export {
  DatabaseQuotaRequestStore,
  QUOTA_REQUESTS_TABLE,
} from './DatabaseQuotaRequestStore';
