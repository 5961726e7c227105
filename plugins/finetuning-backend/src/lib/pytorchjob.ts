/*
 * The PyTorchJob (kubeflow.org/v1) of a LoRA job, and the pure mapping of a PyTorchJob and its
 * Kueue Workload to the API's job state.
 */
import {
  FINETUNING_JOB_LABEL,
  FINETUNING_MLFLOW_RUN_ANNOTATION,
  FINETUNING_OUTPUT_ANNOTATION,
  FINETUNING_SPEC_ANNOTATION,
  FINETUNING_SWEEP_LABEL,
  FinetuningJobSpec,
  JobCondition,
  JobQueueStatus,
  JobReplicaStatus,
  JobState,
  PYTORCHJOB_API,
} from '@kubemate/plugin-finetuning-common';
import {
  conditionOf,
  GPU_PRODUCT_LABEL,
  GPU_RESOURCE,
  GPU_TEAM_LABEL,
  KUEUE_PRIORITY_CLASS_LABEL,
  KUEUE_QUEUE_NAME_LABEL,
  KubeObjectMeta,
  workloadFlavor,
  WorkloadObject,
  workloadState,
} from '@kubemate/plugin-gpu-common';

/** The label the catalog's Kubernetes plugin matches an entity's objects by. */
export const KUBERNETES_ID_LABEL = 'backstage.io/kubernetes-id';
/** The container the training operator expects in a PyTorchJob's pods. */
export const PYTORCH_CONTAINER = 'pytorch';
/** Pod label the training operator sets: the job's name. */
export const JOB_NAME_POD_LABEL = 'training.kubeflow.org/job-name';
export const REPLICA_TYPE_POD_LABEL = 'training.kubeflow.org/replica-type';
export const REPLICA_INDEX_POD_LABEL = 'training.kubeflow.org/replica-index';

export interface TrainerConfig {
  image: string;
  command: string[];
  storageSecretName: string;
  storageEndpoint: string;
  cpu: string;
  memory: string;
  podAnnotations: Record<string, string>;
  podLabels: Record<string, string>;
}

export interface PyTorchReplicaSpec {
  replicas?: number;
  restartPolicy?: string;
  template: {
    metadata?: KubeObjectMeta;
    spec?: Record<string, any>;
  };
}

export interface PyTorchJobObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObjectMeta & { name: string; namespace: string };
  spec: {
    runPolicy?: {
      suspend?: boolean;
      cleanPodPolicy?: string;
      [k: string]: unknown;
    };
    pytorchReplicaSpecs: Record<string, PyTorchReplicaSpec>;
  };
  status?: {
    conditions?: JobCondition[];
    replicaStatuses?: Record<
      string,
      { active?: number; succeeded?: number; failed?: number }
    >;
    startTime?: string;
    completionTime?: string;
  };
}

/** What a job's PyTorchJob is made from (besides the spec). */
export interface PyTorchJobInput {
  id: string;
  name: string;
  namespace: string;
  spec: FinetuningJobSpec;
  /** Hugging Face id of the base model */
  hfModel: string;
  datasetUri: string;
  mapping: { instruction: string; response: string; input?: string };
  outputUri: string;
  mlflowRunId: string;
  mlflowTrackingUri: string;
  /** the flavor's `nvidia.com/gpu.product` (the pods' node selector) */
  gpuProduct?: string;
  team?: string;
  /** the entity's `backstage.io/kubernetes-id` */
  kubernetesId?: string;
}

/** The PyTorchJob of a LoRA job: 1 Master + (workers − 1) Workers running the training script. */
export function buildPyTorchJob(
  input: PyTorchJobInput,
  trainer: TrainerConfig,
): PyTorchJobObject {
  const { spec } = input;
  const hp = spec.hyperparameters;
  const gpus = spec.resources.gpusPerWorker;
  const labels: Record<string, string> = {
    [FINETUNING_JOB_LABEL]: input.id,
    [KUEUE_QUEUE_NAME_LABEL]: spec.queue,
  };
  if (spec.priorityClass) {
    labels[KUEUE_PRIORITY_CLASS_LABEL] = spec.priorityClass;
  }
  if (input.team) labels[GPU_TEAM_LABEL] = input.team;
  if (input.kubernetesId) labels[KUBERNETES_ID_LABEL] = input.kubernetesId;
  if (spec.sweepId) labels[FINETUNING_SWEEP_LABEL] = spec.sweepId;

  const args = [
    '--base-model',
    input.hfModel,
    '--dataset-uri',
    input.datasetUri,
    '--instruction-field',
    input.mapping.instruction,
    '--response-field',
    input.mapping.response,
    ...(input.mapping.input ? ['--input-field', input.mapping.input] : []),
    '--output-uri',
    input.outputUri,
    '--lora-rank',
    String(hp.rank),
    '--lora-alpha',
    String(hp.alpha),
    '--lora-dropout',
    String(hp.dropout ?? 0.05),
    '--learning-rate',
    String(hp.learningRate),
    '--epochs',
    String(hp.epochs),
    '--batch-size',
    String(hp.batchSize),
  ];
  const secret = (key: string) => ({
    name: key,
    valueFrom: { secretKeyRef: { name: trainer.storageSecretName, key } },
  });
  const env = [
    { name: 'MLFLOW_TRACKING_URI', value: input.mlflowTrackingUri },
    { name: 'MLFLOW_RUN_ID', value: input.mlflowRunId },
    { name: 'DATASET_URI', value: input.datasetUri },
    { name: 'OUTPUT_URI', value: input.outputUri },
    { name: 'BASE_MODEL', value: input.hfModel },
    { name: 'AWS_ENDPOINT_URL', value: trainer.storageEndpoint },
    { name: 'MLFLOW_S3_ENDPOINT_URL', value: trainer.storageEndpoint },
    secret('AWS_ACCESS_KEY_ID'),
    secret('AWS_SECRET_ACCESS_KEY'),
  ];
  const resources: Record<string, Record<string, string>> = {
    requests: { cpu: trainer.cpu, memory: trainer.memory },
    // a limit equal to the request: a namespace LimitRange's smaller default cpu limit would
    // otherwise make the pod invalid (requests above limits) and Kueue would refuse the job
    limits: { cpu: trainer.cpu, memory: trainer.memory },
  };
  if (gpus > 0) {
    resources.requests[GPU_RESOURCE] = String(gpus);
    resources.limits[GPU_RESOURCE] = String(gpus);
  }
  const podSpec: Record<string, any> = {
    containers: [
      {
        name: PYTORCH_CONTAINER,
        image: trainer.image,
        command: trainer.command,
        args,
        env,
        resources,
      },
    ],
  };
  if (gpus > 0) {
    podSpec.tolerations = [
      { key: GPU_RESOURCE, operator: 'Exists', effect: 'NoSchedule' },
    ];
  }
  if (input.gpuProduct) {
    podSpec.nodeSelector = { [GPU_PRODUCT_LABEL]: input.gpuProduct };
  }
  const template = () => ({
    metadata: {
      labels: { ...trainer.podLabels, [FINETUNING_JOB_LABEL]: input.id },
      annotations: { ...trainer.podAnnotations },
    },
    spec: structuredClone(podSpec),
  });
  const replicaSpecs: Record<string, PyTorchReplicaSpec> = {
    Master: { replicas: 1, restartPolicy: 'OnFailure', template: template() },
  };
  if (spec.resources.workers > 1) {
    replicaSpecs.Worker = {
      replicas: spec.resources.workers - 1,
      restartPolicy: 'OnFailure',
      template: template(),
    };
  }
  return {
    apiVersion: `${PYTORCHJOB_API.group}/${PYTORCHJOB_API.version}`,
    kind: 'PyTorchJob',
    metadata: {
      name: input.name,
      namespace: input.namespace,
      labels,
      annotations: {
        [FINETUNING_SPEC_ANNOTATION]: JSON.stringify(spec),
        [FINETUNING_MLFLOW_RUN_ANNOTATION]: input.mlflowRunId,
        [FINETUNING_OUTPUT_ANNOTATION]: input.outputUri,
      },
    },
    // no runPolicy.suspend: Kueue's webhook suspends the job until it admits it
    spec: { pytorchReplicaSpecs: replicaSpecs },
  };
}

/** The Workload Kueue made for a PyTorchJob: owned by its uid. */
export function workloadOfJob(
  job: { metadata: { uid?: string; name: string; namespace: string } },
  workloads: WorkloadObject[],
): WorkloadObject | undefined {
  const uid = job.metadata.uid;
  return workloads.find(
    w =>
      w.metadata.namespace === job.metadata.namespace &&
      w.metadata.ownerReferences?.some(
        o =>
          (uid && o.uid === uid) ||
          (!uid && o.kind === 'PyTorchJob' && o.name === job.metadata.name),
      ),
  );
}

export function replicaStatuses(job: PyTorchJobObject): JobReplicaStatus[] {
  return (['Master', 'Worker'] as const)
    .filter(type => job.spec.pytorchReplicaSpecs?.[type])
    .map(type => {
      const s = job.status?.replicaStatuses?.[type] ?? {};
      return {
        type,
        replicas: job.spec.pytorchReplicaSpecs[type].replicas ?? 1,
        active: s.active ?? 0,
        succeeded: s.succeeded ?? 0,
        failed: s.failed ?? 0,
      };
    });
}

export interface JobStateResult {
  state: JobState;
  stateMessage?: string;
  queue?: JobQueueStatus;
  startedAt?: string;
  finishedAt?: string;
}

const iso = (t: string | Date | undefined) =>
  t === undefined ? undefined : new Date(t).toISOString();

/**
 * The job's state (ft-api.md): Cancelled when the record says so; no PyTorchJob → Unknown;
 * Succeeded/Failed conditions; a Workload not admitted (or the job suspended) → Queued with
 * Kueue's reason and the portal's position; admitted with every replica active → Running; else
 * Starting.
 */
export function jobState(input: {
  cancelled?: { at?: string; message?: string };
  job?: PyTorchJobObject;
  workload?: WorkloadObject;
  clusterQueue?: string;
  position?: number;
  localQueue: string;
}): JobStateResult {
  if (input.cancelled) {
    return {
      state: 'Cancelled',
      stateMessage: input.cancelled.message ?? 'cancelled through the portal',
      finishedAt: input.cancelled.at,
    };
  }
  const job = input.job;
  if (!job) {
    return { state: 'Unknown', stateMessage: 'the PyTorchJob is gone' };
  }
  const conditions = job.status?.conditions;
  const w = input.workload;
  const queue: JobQueueStatus | undefined = w
    ? queueStatus(w, input.localQueue, input.clusterQueue, input.position)
    : undefined;
  const started = conditionOf(conditions, 'Running');
  const startedAt =
    queue?.admittedAt ??
    (started?.status === 'True' ? iso(started.lastTransitionTime) : undefined);
  for (const type of ['Succeeded', 'Failed'] as const) {
    const c = conditionOf(conditions, type);
    if (c?.status === 'True') {
      return {
        state: type,
        stateMessage: c.message || c.reason,
        queue,
        startedAt: startedAt ?? iso(job.status?.startTime),
        finishedAt:
          iso(job.status?.completionTime) ?? iso(c.lastTransitionTime),
      };
    }
  }
  const suspended =
    job.spec.runPolicy?.suspend === true ||
    conditionOf(conditions, 'Suspended')?.status === 'True';
  if (!w || (queue && queue.state !== 'admitted') || suspended) {
    return {
      state: 'Queued',
      stateMessage:
        queue?.message ??
        (w
          ? 'waiting for Kueue to admit the job'
          : 'waiting for Kueue to create the Workload'),
      queue,
    };
  }
  const replicas = replicaStatuses(job);
  const allActive = replicas.every(r => r.active >= r.replicas);
  if (allActive && started?.status === 'True') {
    return { state: 'Running', queue, startedAt };
  }
  return {
    state: 'Starting',
    stateMessage: 'admitted: waiting for the pods to run',
    queue,
    startedAt,
  };
}

/** Kueue's Workload states as the job's queue status shows them. */
const QUEUE_STATES: Partial<Record<string, JobQueueStatus['state']>> = {
  admitted: 'admitted',
  finished: 'finished',
  evicted: 'evicted',
};

function queueStatus(
  w: WorkloadObject,
  localQueue: string,
  clusterQueue: string | undefined,
  position: number | undefined,
): JobQueueStatus {
  const { state, reason } = workloadState(w);
  const admitted = conditionOf(w.status?.conditions, 'Admitted');
  const out: JobQueueStatus = {
    state: QUEUE_STATES[state] ?? 'pending',
    localQueue: w.spec.queueName ?? localQueue,
    workload: w.metadata.name,
  };
  const cq = w.status?.admission?.clusterQueue ?? clusterQueue;
  if (cq) out.clusterQueue = cq;
  if (state !== 'admitted' && state !== 'finished') {
    const qr = conditionOf(w.status?.conditions, 'QuotaReserved');
    if (qr?.reason) out.reason = qr.reason;
    if (reason) out.message = reason;
    if (position !== undefined) out.position = position;
  }
  const flavor = workloadFlavor(w);
  if (flavor) out.flavor = flavor;
  if (admitted?.status === 'True' || state === 'finished') {
    const at = iso(admitted?.lastTransitionTime);
    if (at) out.admittedAt = at;
  }
  return out;
}

/** GPU hours used: GPUs of every replica × the time between start and finish (or now). */
export function gpuHours(
  spec: FinetuningJobSpec,
  startedAt: string | undefined,
  finishedAt: string | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!startedAt) return undefined;
  const end = finishedAt ? Date.parse(finishedAt) : now;
  const hours = Math.max(0, end - Date.parse(startedAt)) / 3_600_000;
  const gpus = spec.resources.workers * spec.resources.gpusPerWorker;
  return Math.round(gpus * hours * 1000) / 1000;
}
