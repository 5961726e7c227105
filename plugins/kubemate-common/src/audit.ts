/** Outcome of an audited action; denials are audited as failures. */
export type AuditResult = 'success' | 'failure';

/** One audited action on a Kubernetes object, as every capability records it. */
export interface AuditRecord {
  id: number;
  actor: string;
  action: string;
  entityRef?: string;
  cluster?: string;
  namespace?: string;
  kind?: string;
  name?: string;
  result: AuditResult;
  message?: string;
  createdAt: string;
}
