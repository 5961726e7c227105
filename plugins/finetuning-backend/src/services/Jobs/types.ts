import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  CompareResponse,
  FinetuningJob,
  FinetuningJobDetails,
  FinetuningOptions,
  JobLogs,
  JobState,
  LaunchJobRequest,
  ListResponse,
  RunMetrics,
  ServedModel,
  ServeRequest,
  Sweep,
  SweepDetails,
  SweepRequest,
} from '@kubemate/plugin-finetuning-common';

export interface JobsQuery {
  cluster?: string;
  namespace?: string;
  entityRef?: string;
  sweepId?: string;
  state?: JobState;
}

/** Jobs, sweeps, options and serving (each method checks its own permission). */
export interface JobsService {
  options(
    credentials: BackstageCredentials,
    query: { cluster?: string },
  ): Promise<FinetuningOptions>;
  list(
    credentials: BackstageCredentials,
    query: JobsQuery,
  ): Promise<ListResponse<FinetuningJob>>;
  launch(
    credentials: BackstageCredentials,
    request: LaunchJobRequest,
  ): Promise<FinetuningJob>;
  details(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<FinetuningJobDetails>;
  logs(
    credentials: BackstageCredentials,
    id: string,
    query: { pod?: string; tailLines?: number },
  ): Promise<JobLogs>;
  metrics(credentials: BackstageCredentials, id: string): Promise<RunMetrics>;
  cancel(credentials: BackstageCredentials, id: string): Promise<FinetuningJob>;
  delete(credentials: BackstageCredentials, id: string): Promise<void>;
  compare(
    credentials: BackstageCredentials,
    ids: string[],
  ): Promise<CompareResponse>;
  launchSweep(
    credentials: BackstageCredentials,
    request: SweepRequest,
  ): Promise<SweepDetails>;
  listSweeps(
    credentials: BackstageCredentials,
    query: { cluster?: string; namespace?: string },
  ): Promise<ListResponse<Sweep>>;
  sweep(credentials: BackstageCredentials, id: string): Promise<SweepDetails>;
  serve(
    credentials: BackstageCredentials,
    id: string,
    request: ServeRequest,
  ): Promise<ServedModel>;
  models(credentials: BackstageCredentials): Promise<ListResponse<ServedModel>>;
  entityJobs(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<ListResponse<FinetuningJob>>;
  /** Names of the Queued/Starting/Running jobs launched from a dataset. */
  unfinishedJobsUsing(datasetId: string): Promise<string[]>;
}
