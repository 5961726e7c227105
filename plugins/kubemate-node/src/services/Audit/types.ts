import { AuditRecord } from '@kubemate/plugin-kubemate-common';

export type AuditEntry = Omit<AuditRecord, 'id' | 'createdAt'>;

export interface AuditQuery {
  entityRef?: string;
  cluster?: string;
  actor?: string;
  /** Newest first; default 100, at most 1000. */
  limit?: number;
}

/** Who did what to which cluster object, with which result; stored and logged. */
export interface ClusterAuditService {
  record(entry: AuditEntry): Promise<void>;
  query(query?: AuditQuery): Promise<AuditRecord[]>;
}
