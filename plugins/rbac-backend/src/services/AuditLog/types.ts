import { RbacAuditRecord } from '@kubemate/plugin-rbac-common';

export interface RbacAuditEntry {
  actor: string;
  action: string;
  role?: string;
  before?: unknown;
  after?: unknown;
  message?: string;
}

/** Every change to roles and bindings: who, what, before/after. */
export interface RbacAuditLog {
  record(entry: RbacAuditEntry): Promise<void>;
  /** Newest first; `limit` defaults to 200 (at most 1000). */
  query(options?: {
    role?: string;
    limit?: number;
  }): Promise<RbacAuditRecord[]>;
}
