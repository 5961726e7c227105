/**
 * Kubemate pipelines: permissions (and what they mean in Kubernetes RBAC), annotations and API
 * types shared by the pipelines plugins.
 *
 * @packageDocumentation
 */
import { Entity } from '@backstage/catalog-model';
import { createPermission } from '@backstage/plugin-permission-common';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KubernetesPolicyRule,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/*
 * Resource permissions on the Kubernetes object concerned (`clusters-object`, refs
 * `cluster/namespace/pipelineruns/name`, or the namespace for a new run): a role scoped to
 * `payments-*` may start runs there and nowhere else. Mutations also run as the user in
 * Kubernetes (impersonation), where the RBAC plugin's sync grants the rules below.
 */
export const pipelinesRunReadPermission = createPermission({
  name: 'pipelines.run.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
export const pipelinesRunStartPermission = createPermission({
  name: 'pipelines.run.start',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
export const pipelinesRunRerunPermission = createPermission({
  name: 'pipelines.run.rerun',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
export const pipelinesRunCancelPermission = createPermission({
  name: 'pipelines.run.cancel',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

export const pipelinesPermissions = [
  pipelinesRunReadPermission,
  pipelinesRunStartPermission,
  pipelinesRunRerunPermission,
  pipelinesRunCancelPermission,
];

const TEKTON = 'tekton.dev';

/** What each pipelines permission means in Kubernetes RBAC (synced by the RBAC plugin). */
export const pipelinesKubernetesRules: Record<string, KubernetesPolicyRule[]> =
  {
    'pipelines.run.read': [
      {
        apiGroups: [TEKTON],
        resources: ['pipelines', 'pipelineruns', 'tasks', 'taskruns'],
        verbs: ['get', 'list', 'watch'],
      },
      { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] },
    ],
    'pipelines.run.start': [
      { apiGroups: [TEKTON], resources: ['pipelineruns'], verbs: ['create'] },
      { apiGroups: [TEKTON], resources: ['pipelines'], verbs: ['get'] },
    ],
    'pipelines.run.rerun': [
      {
        apiGroups: [TEKTON],
        resources: ['pipelineruns'],
        verbs: ['get', 'create'],
      },
    ],
    'pipelines.run.cancel': [
      {
        apiGroups: [TEKTON],
        resources: ['pipelineruns'],
        verbs: ['get', 'patch'],
      },
    ],
  };

/**
 * Label selector of the entity's Tekton objects (Pipelines, PipelineRuns), e.g.
 * `tekton.dev/pipeline=payments-api-ci`; default the entity's Kubernetes selector.
 */
export const TEKTON_SELECTOR_ANNOTATION = 'kubemate.io/tekton-selector';

/** The label of a run that says which environment it deploys to (dev, staging, prod). */
export const ENVIRONMENT_LABEL = 'kubemate.io/environment';

export function isPipelinesAvailable(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[TEKTON_SELECTOR_ANNOTATION] ||
      a[KUBERNETES_ID_ANNOTATION] ||
      a[KUBERNETES_LABEL_SELECTOR_ANNOTATION],
  );
}

export type RunStatus =
  | 'Succeeded'
  | 'Failed'
  | 'Running'
  | 'Cancelled'
  | 'Pending';

/** A step of a TaskRun as its container reports it. */
export interface StepSummary {
  name: string;
  container: string;
  /** A step skipped after an earlier step failed is `Cancelled` (reason `Skipped`). */
  status: RunStatus;
  /** Tekton's termination reason: Completed, Error, Skipped, TimeoutExceeded, Cancelled, Continued. */
  reason?: string;
  exitCode?: number;
  startTime?: string;
  completionTime?: string;
}

export interface TaskRunSummary {
  name: string;
  pipelineTask?: string;
  status: RunStatus;
  /** Tekton's reason and message, e.g. `StepFailed`, `"step-test" exited with code 1: Error`. */
  reason?: string;
  message?: string;
  startTime?: string;
  completionTime?: string;
  podName?: string;
  /** The TaskRun's results (read by Tekton from its steps' termination messages). */
  results?: Record<string, string>;
  steps: StepSummary[];
}

/** The step that made a run fail. */
export interface FailedStep {
  taskRun: string;
  pipelineTask?: string;
  step: string;
  exitCode?: number;
  /** The TaskRun's failure message. */
  message?: string;
}

export interface PipelineRunSummary {
  cluster: string;
  namespace: string;
  name: string;
  pipeline?: string;
  environment?: string;
  status: RunStatus;
  reason?: string;
  message?: string;
  startTime?: string;
  completionTime?: string;
  /** Seconds (to now while running). */
  durationSeconds?: number;
  params: Record<string, string>;
  results: Record<string, string>;
  /** The run this one re-ran, if any. */
  rerunOf?: string;
  /** Pipeline tasks and what they run after (the task graph). */
  tasks: Array<{ name: string; runAfter: string[] }>;
  taskRuns: TaskRunSummary[];
  /** When the run failed because a step failed: that step (the first one to finish failing). */
  failedStep?: FailedStep;
}

export interface PipelineRunsResponse {
  runs: PipelineRunSummary[];
  /** Clusters that could not be read, with why. */
  errors: Array<{ cluster: string; message: string }>;
}

/** A declared param of a Pipeline. */
export interface PipelineParam {
  name: string;
  type?: string;
  description?: string;
  /** The default as a string; undefined: the param is required. */
  default?: string;
}

/** One of the entity's Pipelines in a cluster/namespace, with what a new run needs. */
export interface PipelineSummary {
  cluster: string;
  namespace: string;
  name: string;
  /** The environment this Pipeline deploys to (`kubemate.io/environment`), if labelled. */
  environment?: string;
  params: PipelineParam[];
  tasks: Array<{ name: string; runAfter: string[] }>;
}

export interface PipelinesResponse {
  pipelines: PipelineSummary[];
  errors: Array<{ cluster: string; message: string }>;
}

/** Body of `POST /entity/:kind/:namespace/:name/runs`. */
export interface StartRunRequest {
  cluster: string;
  namespace: string;
  pipeline: string;
  params: Record<string, string>;
  environment?: 'dev' | 'staging' | 'prod';
}

/** The environments a run can deploy to, in lane order. */
export const ENVIRONMENTS = ['dev', 'staging', 'prod'] as const;
