/**
 * Kubemate RBAC administration: roles, the roles × permissions matrix, access checks, the audit
 * log and the Kubernetes sync state.
 *
 * @packageDocumentation
 */
export { rbacPlugin as default, rbacRouteRef } from './plugin';
export { rbacApiRef } from './api/RbacApi';
export type { RbacApi, SyncResponse } from './api/RbacApi';
export { RbacClient } from './api/RbacClient';
export { rbacTranslationRef } from './translation';
