import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ChecksResponse,
  ClustersResponse,
  CreateExemptionRequest,
  CreateRunRequest,
  DecideExemptionRequest,
  EntityFindingsResponse,
  Exemption,
  ExemptionsResponse,
  ExemptionStatus,
  ExportFormat,
  RunDetails,
  RunDiff,
  RunsResponse,
  RunSummary,
} from '@kubemate/plugin-inspections-common';

/** What an approver does with an exemption. */
export type ExemptionDecision = 'approve' | 'reject' | 'revoke';

/** A run exported as a file. */
export interface RunExport {
  blob: Blob;
  /** From the backend's Content-Disposition, else `inspection-<run>.<ext>`. */
  filename: string;
}

/** Which runs to list. */
export interface RunsQuery {
  cluster?: string;
  limit?: number;
  offset?: number;
}

/** The inspections backend (`/api/inspections`), as the Inspections page and entity card use it. */
export interface InspectionsApi {
  /** The check catalogue and the current ruleset hash. */
  checks(): Promise<ChecksResponse>;
  /** One card per configured cluster: latest scores, trend, a running run. */
  clusters(): Promise<ClustersResponse>;
  /** Runs, newest first. */
  runs(query?: RunsQuery): Promise<RunsResponse>;
  /** Starts a run now (409 when a cluster of the scope is being inspected). */
  createRun(body: CreateRunRequest): Promise<RunSummary>;
  /** A run with its check results and the findings the user may see. */
  run(id: string): Promise<RunDetails>;
  /** The run as a JSON, CSV, JUnit, HTML or PDF file. */
  exportRun(id: string, format: ExportFormat): Promise<RunExport>;
  /** What changed from `base` to `head`. */
  diff(base: string, head: string): Promise<RunDiff>;
  exemptions(status?: ExemptionStatus): Promise<ExemptionsResponse>;
  requestExemption(body: CreateExemptionRequest): Promise<Exemption>;
  decideExemption(
    id: string,
    decision: ExemptionDecision,
    body: DecideExemptionRequest,
  ): Promise<Exemption>;
  /** The entity's findings of the latest runs. */
  entityFindings(entityRef: string): Promise<EntityFindingsResponse>;
}

export const inspectionsApiRef = createApiRef<InspectionsApi>({
  id: 'plugin.inspections.service',
});
