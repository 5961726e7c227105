import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import type {
  PipelineRunsResponse,
  PipelineRunSummary,
  PipelinesResponse,
} from '@kubemate/plugin-pipelines-common';

export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/** A run, as the run routes address it. */
export interface RunRef {
  cluster: string;
  namespace: string;
  name: string;
}

/** What starting a run needs (the body of `POST /entity/:kind/:namespace/:name/runs`). */
export interface StartRun {
  cluster: string;
  namespace: string;
  pipeline: string;
  params: Record<string, string>;
  environment?: string;
}

/**
 * Tekton pipelines of an entity across clusters: runs and Pipelines read with the portal identity
 * within the user's `pipelines.run.read` scope; start / re-run / cancel as the user (Kubernetes
 * impersonation), each checked on its own object and audited; step logs.
 */
export interface PipelinesService {
  /** The entity's PipelineRuns in every cluster, newest first, within the user's namespaces. */
  runs(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<PipelineRunsResponse>;
  /** The entity's Pipelines (what can be started, with its params) within the user's namespaces. */
  pipelines(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<PipelinesResponse>;
  /** Starts a run of one of the entity's Pipelines with the given params. */
  start(
    credentials: UserCredentials,
    entityRef: string,
    request: StartRun,
  ): Promise<PipelineRunSummary>;
  /** A new run of the same Pipeline with the same params (and environment). */
  rerun(credentials: UserCredentials, ref: RunRef): Promise<PipelineRunSummary>;
  /** Cancels a running run; 409 when it has finished. */
  cancel(
    credentials: UserCredentials,
    ref: RunRef,
  ): Promise<PipelineRunSummary>;
  /** The log of one step of a TaskRun of the run. */
  stepLog(
    credentials: BackstageCredentials,
    ref: RunRef & { taskRun: string; step: string },
  ): Promise<string>;
}
