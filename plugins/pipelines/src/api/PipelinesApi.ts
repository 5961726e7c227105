import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  PipelineRunSummary,
  PipelineRunsResponse,
  PipelinesResponse,
  StartRunRequest,
} from '@kubemate/plugin-pipelines-common';

/** A run, as the run routes address it. */
export interface RunRef {
  cluster: string;
  namespace: string;
  name: string;
}

/** The pipelines backend (`/api/pipelines`), as the Pipelines tab uses it. */
export interface PipelinesApi {
  runs(entityRef: string): Promise<PipelineRunsResponse>;
  pipelines(entityRef: string): Promise<PipelinesResponse>;
  start(entityRef: string, body: StartRunRequest): Promise<PipelineRunSummary>;
  rerun(run: RunRef): Promise<PipelineRunSummary>;
  cancel(run: RunRef): Promise<PipelineRunSummary>;
  stepLog(run: RunRef, taskRun: string, step: string): Promise<string>;
}

export const pipelinesApiRef = createApiRef<PipelinesApi>({
  id: 'plugin.pipelines.service',
});
