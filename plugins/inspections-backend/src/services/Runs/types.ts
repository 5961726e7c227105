import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  ChecksResponse,
  ClustersResponse,
  CreateRunRequest,
  EntityFindingsResponse,
  ExportFormat,
  RunDetails,
  RunDiff,
  RunsResponse,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import type { RenderedReport } from '../Reports/types';

/**
 * Runs as the HTTP API serves them: every method checks its permission, reads are filtered to
 * the namespaces the user may see (`inspections.run.read`), run creation is audited.
 */
export interface InspectionRunsService {
  checks(credentials: BackstageCredentials): Promise<ChecksResponse>;
  clusters(credentials: BackstageCredentials): Promise<ClustersResponse>;
  list(
    credentials: BackstageCredentials,
    query: { cluster?: string; limit?: number; offset?: number },
  ): Promise<RunsResponse>;
  /** 400 on an unknown cluster / category or an invalid namespace pattern; 409 on a busy cluster. */
  create(
    credentials: BackstageCredentials,
    request: CreateRunRequest,
  ): Promise<RunSummary>;
  details(
    credentials: BackstageCredentials,
    runId: string,
  ): Promise<RunDetails>;
  diff(
    credentials: BackstageCredentials,
    baseRunId: string,
    headRunId: string,
  ): Promise<RunDiff>;
  export(
    credentials: BackstageCredentials,
    runId: string,
    format: ExportFormat,
  ): Promise<RenderedReport>;
  entityFindings(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<EntityFindingsResponse>;
  /** A scheduled run over every configured cluster; a busy cluster is logged, not thrown. */
  scheduledRun(): Promise<RunSummary | undefined>;
  /** The latest finished run per configured cluster (metrics). */
  latestRuns(): Promise<RunSummary[]>;
}
