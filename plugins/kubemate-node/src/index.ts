/**
 * Shared Kubemate backend services: cluster registry, Kubernetes identity mapping and
 * impersonation, watch-based resource cache and the cluster audit trail.
 *
 * @packageDocumentation
 */
export * from './refs';
export * from './services/ClusterRegistry';
export * from './services/KubernetesIdentity';
export * from './services/ResourceCache';
export * from './services/Audit';
export {
  kubernetesStatusOf,
  redactSecrets,
  toBackstageError,
  withErrorCode,
} from './lib/errors';
export type { KubemateErrorCode } from './lib/errors';
export { makeKubeConfig } from './lib/kubeClients';
export { serverSideApply, objectYaml } from './lib/apply';
export type { AppliedObject } from './lib/apply';
export { ensureTable, lazyDatabase } from './lib/database';
export {
  DEFAULT_KUBE_TIMEOUT_MS,
  clustersOf,
  errorMessage,
  isNamedError,
  kubeCall,
  perCluster,
} from './lib/clusterCalls';
export * from './permissions';
export * from './lib/selectorScope';
export {
  fetchUpstream,
  upstreamFailed,
  upstreamUnavailable,
  withDeadline,
} from './lib/upstream';
export {
  UPSTREAM_POOL_DEFAULTS,
  UpstreamPool,
  readUpstreamPoolOptions,
} from './lib/upstreamPool';
export type {
  UpstreamPoolOptions,
  UpstreamPoolRequest,
} from './lib/upstreamPool';
export {
  DEV_STACK_PROGRESS_ENV,
  isProcessAlive,
  localStackHint,
  notConfigured,
  withLocalStackHint,
} from './lib/localStack';
export {
  FixedWindowRateLimiter,
  RATE_LIMIT_DEFAULTS,
  TooManyRequestsError,
  createRateLimitService,
  operationMatcher,
  principalKey,
  rateLimitServiceRef,
  readRateLimit,
} from './lib/rateLimit';
export type {
  RateLimitDecision,
  RateLimitName,
  RateLimitRule,
  RateLimitService,
  RateLimitStore,
} from './lib/rateLimit';
export type {
  Upstream,
  UpstreamRequest,
  UpstreamResponse,
} from './lib/upstream';
