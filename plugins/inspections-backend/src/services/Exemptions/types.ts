import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  CreateExemptionRequest,
  DecideExemptionRequest,
  Exemption,
  ExemptionsResponse,
  ExemptionStatus,
} from '@kubemate/plugin-inspections-common';

export type ExemptionDecision = 'approve' | 'reject' | 'revoke';

/**
 * The exemption register: requests (reason, ticket, mandatory expiry) for a finding of a run,
 * decided by someone other than the requester; every mutation is audited, refusals too.
 */
export interface ExemptionsService {
  /** Filtered by the namespaces the user may see (`inspections.run.read`). */
  list(
    credentials: BackstageCredentials,
    query: { status?: ExemptionStatus },
  ): Promise<ExemptionsResponse>;
  create(
    credentials: BackstageCredentials,
    request: CreateExemptionRequest,
  ): Promise<Exemption>;
  decide(
    credentials: BackstageCredentials,
    id: string,
    decision: ExemptionDecision,
    request: DecideExemptionRequest,
  ): Promise<Exemption>;
  /**
   * Expires due exemptions (their findings fail again at the next run) and warns about those
   * expiring within `warnDays`, once each; notifies the owners.
   */
  sweep(): Promise<{ expired: Exemption[]; expiring: Exemption[] }>;
}
