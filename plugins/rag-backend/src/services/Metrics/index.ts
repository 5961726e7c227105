export * from './types';
export { PromRagMetrics } from './PromRagMetrics';
