export * from './types';
export {
  DatabaseClusterAuditService,
  AUDIT_TABLE,
} from './DatabaseClusterAuditService';
