/*
 * Response and request types of the finetuning backend (`/api/finetuning`). The backend's
 * `src/schema/openapi.yaml` declares the same shapes.
 */

/** PyTorchJob label holding the portal's job id (uuid); jobs carrying it are the portal's. */
export const FINETUNING_JOB_LABEL = 'kubemate.io/finetuning-job';
/** PyTorchJob label holding the sweep id of a sweep's trials. */
export const FINETUNING_SWEEP_LABEL = 'kubemate.io/finetuning-sweep';
/** PyTorchJob annotation: the MLflow run the training script logs to (created at launch). */
export const FINETUNING_MLFLOW_RUN_ANNOTATION = 'kubemate.io/mlflow-run-id';
/**
 * PyTorchJob annotation: the launch spec as JSON ({@link FinetuningJobSpec}), so a job is
 * self-describing (a job created outside the portal with the labels is shown too).
 */
export const FINETUNING_SPEC_ANNOTATION = 'kubemate.io/finetuning-spec';
/** PyTorchJob annotation: where the training script writes the adapter (`s3://bucket/prefix/`). */
export const FINETUNING_OUTPUT_ANNOTATION = 'kubemate.io/finetuning-output';
/** MLflow run tag / adapter marker set by the dev stack's demo trainer: simulated training. */
export const FINETUNING_DEMO_TAG = 'kubemate.demo';
/** MLflow run tag: the adapter is an untrained (zero-initialised) LoRA adapter, not a result. */
export const FINETUNING_UNTRAINED_TAG = 'kubemate.adapter.untrained';
/** The Kubeflow PyTorchJob API. */
export const PYTORCHJOB_API = {
  group: 'kubeflow.org',
  version: 'v1',
  plural: 'pytorchjobs',
};
/** The names of the metrics the training script logs to MLflow (per step). */
export const FINETUNING_METRICS = {
  trainLoss: 'train_loss',
  evalLoss: 'eval_loss',
  learningRate: 'learning_rate',
  epoch: 'epoch',
  tokensPerSecond: 'tokens_per_second',
} as const;

/** A failure of one cluster or upstream while the rest answered. */
export interface FinetuningSourceError {
  /** The cluster, or `mlflow` / `minio` / `ollama`. */
  source: string;
  message: string;
}

export interface ListResponse<T> {
  items: T[];
  errors?: FinetuningSourceError[];
}

// ---------------------------------------------------------------------------------- datasets

export type DatasetFormat = 'jsonl' | 'csv';

/** Which fields (JSONL keys or CSV columns) hold the prompt parts. */
export interface DatasetFieldMapping {
  instruction: string;
  response: string;
  /** optional extra context appended to the instruction */
  input?: string;
}

export interface Dataset {
  id: string;
  cluster: string;
  /** the team namespace it belongs to (permissions are checked on `<cluster>/<namespace>`) */
  namespace: string;
  /** unique in the namespace: lowercase letters, digits and dashes */
  name: string;
  description?: string;
  format: DatasetFormat;
  fileName: string;
  bytes: number;
  rows: number;
  /** every field/column found */
  fields: string[];
  mapping: DatasetFieldMapping;
  sha256: string;
  /** `s3://<bucket>/<key>` in MinIO */
  uri: string;
  /** mean characters of instruction+input+response per row (for the estimate) */
  avgChars: number;
  createdBy: string;
  createdAt: string;
}

export interface DatasetPreview {
  dataset: Dataset;
  /** the first rows, each with the mapped fields only */
  rows: Array<{ instruction: string; input?: string; response: string }>;
}

// ------------------------------------------------------------------------------ base models

export interface BaseModel {
  /** the portal's id, e.g. `smollm2-135m-instruct` */
  name: string;
  title: string;
  /** the Hugging Face model id the training script loads, e.g. `HuggingFaceTB/SmolLM2-135M-Instruct` */
  hfModel: string;
  /** the Ollama model an adapter is served on (`FROM <ollamaModel>`); absent: cannot be served */
  ollamaModel?: string;
  /** e.g. `135M` */
  parameters?: string;
  /** the Ollama model exists in Ollama now (false when Ollama is down or the model is missing) */
  servable: boolean;
}

/** What the launch form needs: models, flavors, queues, limits and pricing. */
export interface FinetuningOptions {
  baseModels: BaseModel[];
  /** Kueue ResourceFlavors with GPUs in the cluster (name + GPU product), when Kueue answers */
  flavors: Array<{ cluster: string; name: string; product?: string }>;
  /** LocalQueues in the namespaces the user may launch in */
  queues: Array<{
    cluster: string;
    namespace: string;
    name: string;
    clusterQueue: string;
  }>;
  priorityClasses: string[];
  limits: {
    maxDatasetBytes: number;
    maxWorkers: number;
    maxGpusPerWorker: number;
    maxEpochs: number;
    maxSweepTrials: number;
  };
  pricing: FinetuningPricing;
  errors?: FinetuningSourceError[];
}

export interface FinetuningPricing {
  currency: string;
  /** cost of one GPU hour by flavor name or GPU product; `default` for the rest */
  gpuHourCost: Record<string, number>;
  /** training throughput assumed for the estimate, tokens per second per GPU, by flavor/product */
  tokensPerSecondPerGpu: Record<string, number>;
}

// ------------------------------------------------------------------------------------- jobs

export interface Hyperparameters {
  /** LoRA rank r (1–256) */
  rank: number;
  /** LoRA alpha (1–512) */
  alpha: number;
  /** learning rate (0 < lr ≤ 1) */
  learningRate: number;
  /** epochs (1–maxEpochs) */
  epochs: number;
  /** per-device batch size (1–1024) */
  batchSize: number;
  /** LoRA dropout (0–0.9) @default 0.05 */
  dropout?: number;
}

export interface JobResources {
  /** replicas: 1 Master + (workers − 1) Workers (1–maxWorkers) */
  workers: number;
  /** `nvidia.com/gpu` per replica (0–maxGpusPerWorker; 0 = CPU only) */
  gpusPerWorker: number;
  /** Kueue ResourceFlavor (its GPU product becomes the pods' node selector); absent: any */
  flavor?: string;
}

/** What a job was launched with (also stored on the PyTorchJob as {@link FINETUNING_SPEC_ANNOTATION}). */
export interface FinetuningJobSpec {
  baseModel: string;
  datasetId: string;
  datasetName: string;
  hyperparameters: Hyperparameters;
  resources: JobResources;
  /** LocalQueue @default gpu */
  queue: string;
  priorityClass?: string;
  entityRef?: string;
  sweepId?: string;
}

export interface LaunchJobRequest {
  cluster: string;
  namespace: string;
  /** PyTorchJob name (DNS label); generated from the base model when absent */
  name?: string;
  baseModel: string;
  datasetId: string;
  hyperparameters: Hyperparameters;
  resources: JobResources;
  queue?: string;
  priorityClass?: string;
  entityRef?: string;
}

/**
 * Queued: created, waiting for Kueue (suspended, quota); Starting: admitted, pods not all running;
 * Running; Succeeded; Failed; Cancelled: cancelled through the portal (PyTorchJob deleted);
 * Unknown: the PyTorchJob is gone without a cancel, or its cluster does not answer.
 */
export type JobState =
  | 'Queued'
  | 'Starting'
  | 'Running'
  | 'Succeeded'
  | 'Failed'
  | 'Cancelled'
  | 'Unknown';

export interface JobQueueStatus {
  /** pending: waiting for quota; admitted; finished; evicted */
  state: 'pending' | 'admitted' | 'finished' | 'evicted';
  localQueue: string;
  clusterQueue?: string;
  /** Kueue's reason and message, verbatim (e.g. "couldn't assign flavors ... insufficient quota") */
  reason?: string;
  message?: string;
  /** 1-based position among the ClusterQueue's pending workloads (the portal's computation) */
  position?: number;
  /** the flavor Kueue assigned to the GPUs */
  flavor?: string;
  admittedAt?: string;
  workload?: string;
}

export interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface JobReplicaStatus {
  type: 'Master' | 'Worker';
  replicas: number;
  active: number;
  succeeded: number;
  failed: number;
}

export interface JobAdapter {
  /** `s3://<bucket>/<prefix>/` holding `adapter_config.json` + `adapter_model.safetensors` */
  uri: string;
  /** the files are there */
  available: boolean;
  /** an untrained zero-initialised adapter (demo trainer / tests), not a training result */
  untrained?: boolean;
}

export interface FinetuningJob {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  team?: string;
  spec: FinetuningJobSpec;
  state: JobState;
  /** why, in words (condition message, Kueue reason, cancel) */
  stateMessage?: string;
  queue?: JobQueueStatus;
  conditions: JobCondition[];
  replicas: JobReplicaStatus[];
  createdBy: string;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** GPU hours used so far (running replicas × GPUs × time) */
  gpuHours?: number;
  mlflowRunId?: string;
  /** link to the run in the MLflow UI */
  mlflowUrl?: string;
  adapter?: JobAdapter;
  /** Ollama models served from this job */
  servedModels?: string[];
  /** simulated training (the dev stack's demo trainer logged its metrics) */
  demo?: boolean;
}

export interface JobPod {
  name: string;
  replicaType: 'Master' | 'Worker';
  index: number;
  phase: string;
  nodeName?: string;
  gpus: number;
  startedAt?: string;
}

export interface JobEvent {
  type: string;
  reason: string;
  message: string;
  /** `PyTorchJob/<name>`, `Pod/<name>`, `Workload/<name>` */
  object: string;
  count: number;
  lastTimestamp?: string;
}

export interface FinetuningJobDetails {
  job: FinetuningJob;
  pods: JobPod[];
  events: JobEvent[];
}

export interface JobLogs {
  pod: string;
  container: string;
  lines: string[];
  /** more lines exist before these */
  truncated: boolean;
}

export interface MetricPoint {
  step: number;
  value: number;
  timestamp: number;
}

/** A job's MLflow run: params, metric histories, tags. */
export interface RunMetrics {
  runId: string;
  /** MLflow run status: RUNNING, SCHEDULED, FINISHED, FAILED, KILLED */
  status: string;
  params: Record<string, string>;
  /** per metric key, its history ordered by step */
  metrics: Record<string, MetricPoint[]>;
  /** last value of each metric */
  latest: Record<string, number>;
  tags: Record<string, string>;
  artifactUri?: string;
  demo: boolean;
}

export interface CompareResponse {
  runs: Array<{ job: FinetuningJob; metrics?: RunMetrics; error?: string }>;
  /** union of the runs' param keys */
  paramKeys: string[];
  /** the param keys whose values differ between the runs */
  differingParams: string[];
  metricKeys: string[];
}

// ----------------------------------------------------------------------------------- sweeps

export type SweepParameter =
  | 'rank'
  | 'alpha'
  | 'learningRate'
  | 'epochs'
  | 'batchSize'
  | 'dropout';

/** Values to try: a list (grid/random pick), or a range sampled by random search. */
export type SweepDomain =
  | { values: number[] }
  | { min: number; max: number; scale?: 'linear' | 'log'; integer?: boolean };

export interface SweepRequest {
  /** the trials' common launch request; its hyperparameters are the defaults of unswept ones */
  base: LaunchJobRequest;
  strategy: 'grid' | 'random';
  space: Partial<Record<SweepParameter, SweepDomain>>;
  /** trials to launch (grid: at most the grid's size) (1–limits.maxSweepTrials) */
  maxTrials: number;
  /** @default { metric: 'eval_loss', goal: 'minimize' } */
  objective?: { metric: string; goal: 'minimize' | 'maximize' };
}

export interface Sweep {
  id: string;
  cluster: string;
  namespace: string;
  name: string;
  strategy: 'grid' | 'random';
  space: Partial<Record<SweepParameter, SweepDomain>>;
  objective: { metric: string; goal: 'minimize' | 'maximize' };
  trialIds: string[];
  createdBy: string;
  createdAt: string;
}

export interface SweepDetails {
  sweep: Sweep;
  trials: Array<{
    job: FinetuningJob;
    objective?: number;
    params: Partial<Hyperparameters>;
  }>;
  /** the trial with the best objective among those that reported it */
  bestTrialId?: string;
  errors?: FinetuningSourceError[];
}

// ----------------------------------------------------------------------------------- serving

export interface ServeRequest {
  /** Ollama model name; default `ft-<namespace>-<job name>` */
  modelName?: string;
}

export interface ServedModel {
  /** the Ollama model name (the RAG model picker lists models with the `ft-` prefix) */
  name: string;
  jobId: string;
  cluster: string;
  namespace: string;
  baseModel: string;
  /** `FROM` of the Modelfile */
  ollamaBase: string;
  adapterUri: string;
  untrained: boolean;
  createdBy: string;
  createdAt: string;
}
