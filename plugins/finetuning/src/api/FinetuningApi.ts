import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  CompareResponse,
  Dataset,
  DatasetPreview,
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

/** What the job list is narrowed to (every field optional). */
export interface JobFilter {
  cluster?: string;
  namespace?: string;
  entityRef?: string;
  sweepId?: string;
  state?: JobState;
}

/** A dataset upload: the file and the form fields of `POST /datasets`. */
export interface DatasetUpload {
  file: File;
  cluster: string;
  namespace: string;
  name: string;
  description?: string;
  instructionField?: string;
  responseField?: string;
  inputField?: string;
}

/** The finetuning backend (`/api/finetuning`), as the Fine-tuning page and the entity tab use it. */
export interface FinetuningApi {
  /** Base models, flavors, the queues the user may launch in, limits and pricing. */
  options(cluster?: string): Promise<FinetuningOptions>;
  datasets(filter?: {
    cluster?: string;
    namespace?: string;
  }): Promise<ListResponse<Dataset>>;
  /** Multipart upload; the backend validates every line (400 `line N: …`). */
  uploadDataset(upload: DatasetUpload): Promise<Dataset>;
  previewDataset(id: string, limit?: number): Promise<DatasetPreview>;
  deleteDataset(id: string): Promise<void>;
  jobs(filter?: JobFilter): Promise<ListResponse<FinetuningJob>>;
  launchJob(body: LaunchJobRequest): Promise<FinetuningJob>;
  job(id: string): Promise<FinetuningJobDetails>;
  logs(id: string, pod: string, tailLines?: number): Promise<JobLogs>;
  metrics(id: string): Promise<RunMetrics>;
  cancelJob(id: string): Promise<FinetuningJob>;
  deleteJob(id: string): Promise<void>;
  compare(ids: string[]): Promise<CompareResponse>;
  launchSweep(body: SweepRequest): Promise<SweepDetails>;
  sweeps(filter?: {
    cluster?: string;
    namespace?: string;
  }): Promise<ListResponse<Sweep>>;
  sweep(id: string): Promise<SweepDetails>;
  serve(id: string, body: ServeRequest): Promise<ServedModel>;
  models(): Promise<ListResponse<ServedModel>>;
  /** The entity's jobs (spec.entityRef or its `backstage.io/kubernetes-id`). */
  entityJobs(entityRef: string): Promise<ListResponse<FinetuningJob>>;
}

export const finetuningApiRef = createApiRef<FinetuningApi>({
  id: 'plugin.finetuning.service',
});
