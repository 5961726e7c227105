/**
 * Common code of the Kubemate canary plugins (Flagger canaries, A/B and gray releases over the
 * Gateway API): permissions, their Kubernetes RBAC rules and the API types.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './types';
