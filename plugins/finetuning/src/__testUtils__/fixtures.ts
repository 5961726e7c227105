import type {
  CompareResponse,
  Dataset,
  FinetuningJob,
  FinetuningJobDetails,
  FinetuningOptions,
  RunMetrics,
  SweepDetails,
} from '@kubemate/plugin-finetuning-common';
import type { FinetuningApi } from '../api';

/** Test data of the component tests: the dev stack's namespaces, models and flavors, in small. */
export const options = (
  o: Partial<FinetuningOptions> = {},
): FinetuningOptions => ({
  baseModels: [
    {
      name: 'smollm2-135m-instruct',
      title: 'SmolLM2 135M Instruct',
      hfModel: 'HuggingFaceTB/SmolLM2-135M-Instruct',
      ollamaModel: 'smollm2-135m',
      parameters: '135M',
      servable: true,
    },
  ],
  flavors: [
    {
      cluster: 'dev-cluster',
      name: 'nvidia-a100-sxm4-40gb',
      product: 'NVIDIA-A100-SXM4-40GB',
    },
    { cluster: 'dev-cluster', name: 'nvidia-a10g', product: 'NVIDIA-A10G' },
  ],
  queues: [
    {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'gpu',
      clusterQueue: 'team-payments',
    },
  ],
  priorityClasses: ['gpu-low', 'gpu-normal', 'gpu-high'],
  limits: {
    maxDatasetBytes: 50_000_000,
    maxWorkers: 4,
    maxGpusPerWorker: 4,
    maxEpochs: 20,
    maxSweepTrials: 16,
  },
  pricing: {
    currency: 'USD',
    gpuHourCost: { 'NVIDIA-A100-SXM4-40GB': 4, default: 1 },
    tokensPerSecondPerGpu: { 'NVIDIA-A100-SXM4-40GB': 2000, default: 500 },
  },
  ...o,
});

export const dataset = (o: Partial<Dataset> = {}): Dataset => ({
  id: 'ds-1',
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'support-faq',
  format: 'jsonl',
  fileName: 'support-faq.jsonl',
  bytes: 1234,
  rows: 7200,
  fields: ['instruction', 'response'],
  mapping: { instruction: 'instruction', response: 'response' },
  sha256: 'abc',
  uri: 's3://kubemate-finetuning/datasets/dev-cluster/payments-dev/support-faq/support-faq.jsonl',
  avgChars: 400,
  createdBy: 'user:default/alice',
  createdAt: '2026-12-01T10:00:00Z',
  ...o,
});

export const QUEUE_MESSAGE =
  "couldn't assign flavors to pod set master: insufficient unused quota for nvidia.com/gpu in flavor nvidia-a100-sxm4-40gb, 2 more needed";

export const job = (o: Partial<FinetuningJob> = {}): FinetuningJob => ({
  id: 'job-1',
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  name: 'lora-smollm2-a',
  team: 'team-payments',
  spec: {
    baseModel: 'smollm2-135m-instruct',
    datasetId: 'ds-1',
    datasetName: 'support-faq',
    hyperparameters: {
      rank: 8,
      alpha: 16,
      learningRate: 0.0002,
      epochs: 3,
      batchSize: 8,
      dropout: 0.05,
    },
    resources: {
      workers: 2,
      gpusPerWorker: 1,
      flavor: 'nvidia-a100-sxm4-40gb',
    },
    queue: 'gpu',
  },
  state: 'Queued',
  queue: {
    state: 'pending',
    localQueue: 'gpu',
    clusterQueue: 'team-payments',
    reason: 'Pending',
    message: QUEUE_MESSAGE,
    position: 2,
  },
  conditions: [],
  replicas: [],
  createdBy: 'user:default/alice',
  createdAt: '2026-12-01T10:00:00Z',
  demo: true,
  ...o,
});

export const metrics = (o: Partial<RunMetrics> = {}): RunMetrics => ({
  runId: 'run-1',
  status: 'RUNNING',
  params: { rank: '8', alpha: '16', learning_rate: '0.0002' },
  metrics: {
    train_loss: [
      { step: 1, value: 2.1, timestamp: 1 },
      { step: 2, value: 1.7, timestamp: 2 },
    ],
    eval_loss: [{ step: 2, value: 1.9, timestamp: 2 }],
    learning_rate: [
      { step: 1, value: 0.0002, timestamp: 1 },
      { step: 2, value: 0.00019, timestamp: 2 },
    ],
  },
  latest: { train_loss: 1.7, eval_loss: 1.9, learning_rate: 0.00019 },
  tags: { 'kubemate.demo': 'true' },
  demo: true,
  ...o,
});

export const details = (
  o: Partial<FinetuningJobDetails> = {},
): FinetuningJobDetails => ({
  job: job(),
  pods: [],
  events: [],
  ...o,
});

export const compare = (): CompareResponse => {
  const a = job({ id: 'job-a', name: 'lora-a', state: 'Succeeded' });
  const b = job({ id: 'job-b', name: 'lora-b', state: 'Running' });
  return {
    runs: [
      { job: a, metrics: metrics({ runId: 'run-a' }) },
      {
        job: b,
        metrics: metrics({
          runId: 'run-b',
          params: { rank: '16', alpha: '16', learning_rate: '0.0002' },
        }),
      },
    ],
    paramKeys: ['alpha', 'learning_rate', 'rank'],
    differingParams: ['rank'],
    metricKeys: ['eval_loss', 'learning_rate', 'train_loss'],
  };
};

export const sweepDetails = (): SweepDetails => ({
  sweep: {
    id: 'sweep-1',
    cluster: 'dev-cluster',
    namespace: 'payments-dev',
    name: 'rank-sweep',
    strategy: 'grid',
    space: { rank: { values: [4, 8, 16, 32] } },
    objective: { metric: 'eval_loss', goal: 'minimize' },
    trialIds: ['t1', 't2', 't3', 't4'],
    createdBy: 'user:default/alice',
    createdAt: '2026-12-01T10:00:00Z',
  },
  trials: [4, 8, 16, 32].map((rank, i) => ({
    job: job({
      id: `t${i + 1}`,
      name: `rank-sweep-${i + 1}`,
      state: 'Succeeded',
    }),
    params: { rank },
    objective: [1.5, 1.2, 1.35, undefined][i],
  })),
  bestTrialId: 't2',
});

/** A fake API: every method a jest.fn answering the fixtures; override what a test needs. */
export function fakeApi(
  o: Partial<Record<keyof FinetuningApi, jest.Mock>> = {},
): jest.Mocked<FinetuningApi> {
  const api: Record<keyof FinetuningApi, jest.Mock> = {
    options: jest.fn(async () => options()),
    datasets: jest.fn(async () => ({ items: [dataset()] })),
    uploadDataset: jest.fn(async () => dataset()),
    previewDataset: jest.fn(async () => ({
      dataset: dataset(),
      rows: [{ instruction: 'How do I refund?', response: 'Use /refunds.' }],
    })),
    deleteDataset: jest.fn(async () => undefined),
    jobs: jest.fn(async () => ({ items: [job()] })),
    launchJob: jest.fn(async () => job()),
    job: jest.fn(async () => details()),
    logs: jest.fn(async () => ({
      pod: 'p',
      container: 'pytorch',
      lines: [],
      truncated: false,
    })),
    metrics: jest.fn(async () => metrics()),
    cancelJob: jest.fn(async () => job({ state: 'Cancelled' })),
    deleteJob: jest.fn(async () => undefined),
    compare: jest.fn(async () => compare()),
    launchSweep: jest.fn(async () => sweepDetails()),
    sweeps: jest.fn(async () => ({ items: [sweepDetails().sweep] })),
    sweep: jest.fn(async () => sweepDetails()),
    serve: jest.fn(),
    models: jest.fn(async () => ({ items: [] })),
    entityJobs: jest.fn(async () => ({ items: [job()] })),
    ...o,
  };
  return api as unknown as jest.Mocked<FinetuningApi>;
}
