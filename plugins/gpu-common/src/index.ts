/**
 * Common code of the Kubemate GPU plugins (GPU capacity, per-team Kueue queues and quotas, quota
 * requests and approvals, utilization): permissions, their Kubernetes RBAC rules and the API types.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
export * from './kueue';
