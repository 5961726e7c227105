/**
 * Common code of the Kubemate cluster ops plugins: permissions, their Kubernetes RBAC rules and the
 * response types of the clusters backend.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
