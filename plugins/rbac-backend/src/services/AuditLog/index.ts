export type { RbacAuditEntry, RbacAuditLog } from './types';
export { DefaultRbacAuditLog, RBAC_AUDIT_TABLE } from './DefaultRbacAuditLog';
