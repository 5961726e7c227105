import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CreateQuotaRequest,
  DecideQuotaRequest,
  QuotaRequest,
  QuotaRequestsResponse,
  QuotaRequestStatus,
} from '@kubemate/plugin-gpu-common';

/** A stored quota request (the API's QuotaRequest without the caller-dependent flags). */
export type StoredQuotaRequest = Omit<QuotaRequest, 'canDecide' | 'canCancel'>;

/** The fields a state change writes. */
export type QuotaRequestUpdate = Partial<
  Pick<
    StoredQuotaRequest,
    | 'status'
    | 'until'
    | 'decidedBy'
    | 'decidedAt'
    | 'comment'
    | 'appliedAt'
    | 'returnedAt'
    | 'previousNominal'
    | 'error'
  >
>;

/** Quota requests in the plugin database (table `gpu_quota_requests`): shared by every replica. */
export interface QuotaRequestStore {
  insert(request: StoredQuotaRequest): Promise<void>;
  get(id: string): Promise<StoredQuotaRequest | undefined>;
  list(filter?: {
    status?: QuotaRequestStatus;
    limit?: number;
  }): Promise<StoredQuotaRequest[]>;
  /**
   * Changes a request only if its status is one of `from` (an atomic compare-and-set: two
   * replicas or two approvers cannot both win). Returns the updated request, or undefined when the
   * status was not one of `from`.
   */
  transition(
    id: string,
    from: QuotaRequestStatus[],
    update: QuotaRequestUpdate,
  ): Promise<StoredQuotaRequest | undefined>;
  /**
   * Claims the active requests whose `until` has passed, atomically (UPDATE … WHERE status =
   * 'active' AND until <= now), marking them `returning` so no other replica claims them; returns
   * the claimed ones. A claim older than `staleAfterMs` (its replica died) is claimed again.
   */
  claimExpired(now: Date, staleAfterMs: number): Promise<StoredQuotaRequest[]>;
  /** Releases a claim and records why the return failed (the next sweep retries it). */
  release(id: string, error: string): Promise<void>;
  /** Counts by status and GPUs of active requests (metrics). */
  stats(): Promise<{
    byStatus: Record<string, number>;
    activeGpus: Array<{ cluster: string; flavor: string; gpus: number }>;
  }>;
}

/** Quota requests: ask, approve or reject, cancel, and the expiry that gives the quota back. */
export interface QuotaRequestsService {
  /** Requests for namespaces in the caller's gpu.capacity.read scope (approvers see all). */
  list(
    credentials: BackstageCredentials,
    options: { status?: QuotaRequestStatus },
  ): Promise<QuotaRequestsResponse>;
  /** gpu.request.create on `<cluster>/<namespace>`; within the self-service limit it is applied at once. */
  create(
    credentials: BackstageCredentials,
    request: CreateQuotaRequest,
  ): Promise<QuotaRequest>;
  /** gpu.request.approve on the request's namespace; approval applies it as the approver. */
  decide(
    credentials: BackstageCredentials,
    id: string,
    decision: DecideQuotaRequest,
  ): Promise<QuotaRequest>;
  /** The requester, while pending. */
  cancel(credentials: BackstageCredentials, id: string): Promise<QuotaRequest>;
  /** Gives back the quota of every expired active request (the scheduled task; any replica). */
  expire(now?: Date): Promise<{ expired: string[]; failed: string[] }>;
}
