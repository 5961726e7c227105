import type { RootConfigService as Config } from '@backstage/backend-plugin-api';
import { FinetuningPricing } from '@kubemate/plugin-finetuning-common';
import { TrainerConfig } from './pytorchjob';

export interface BaseModelConfig {
  name: string;
  title: string;
  hfModel: string;
  ollamaModel?: string;
  parameters?: string;
}

/** `kubemate.finetuning.*` with its defaults. */
export interface FinetuningConfig {
  mlflow?: {
    url: string;
    jobTrackingUri: string;
    uiUrl: string;
    experimentPrefix: string;
    timeoutMs: number;
  };
  storage?: {
    endPoint: string;
    port?: number;
    useSSL?: boolean;
    accessKey: string;
    secretKey: string;
    bucket: string;
    region: string;
    timeoutMs: number;
  };
  ollama?: { baseUrl: string; timeoutMs: number };
  baseModels: BaseModelConfig[];
  trainer: TrainerConfig;
  datasets: { maxBytes: number; maxRows: number; previewRows: number };
  limits: {
    maxWorkers: number;
    maxGpusPerWorker: number;
    maxEpochs: number;
    maxSweepTrials: number;
  };
  pricing: FinetuningPricing;
}

export function readFinetuningConfig(root: Config): FinetuningConfig {
  const c = root.getOptionalConfig('kubemate.finetuning');
  const num = (key: string, fallback: number) =>
    c?.getOptionalNumber(key) ?? fallback;
  const m = c?.getOptionalConfig('mlflow');
  const s = c?.getOptionalConfig('storage');
  const o = c?.getOptionalConfig('ollama');
  const t = c?.getOptionalConfig('trainer');
  const storage = s
    ? {
        endPoint: s.getString('endPoint'),
        port: s.getOptionalNumber('port'),
        useSSL: s.getOptionalBoolean('useSSL'),
        accessKey: s.getString('accessKey'),
        secretKey: s.getString('secretKey'),
        bucket: s.getOptionalString('bucket') ?? 'kubemate-finetuning',
        region: s.getOptionalString('region') ?? 'us-east-1',
        timeoutMs: s.getOptionalNumber('timeoutMs') ?? 15_000,
      }
    : undefined;
  const mlflowUrl = m?.getString('url').replace(/\/+$/, '');
  const record = (key: string) =>
    (t?.getOptional<Record<string, string>>(key) ?? {}) as Record<
      string,
      string
    >;
  return {
    mlflow:
      m && mlflowUrl
        ? {
            url: mlflowUrl,
            jobTrackingUri: m.getOptionalString('jobTrackingUri') ?? mlflowUrl,
            uiUrl: (m.getOptionalString('uiUrl') ?? mlflowUrl).replace(
              /\/+$/,
              '',
            ),
            experimentPrefix:
              m.getOptionalString('experimentPrefix') ?? 'kubemate-finetuning',
            timeoutMs: m.getOptionalNumber('timeoutMs') ?? 10_000,
          }
        : undefined,
    storage,
    ollama: o
      ? {
          baseUrl: o.getString('baseUrl').replace(/\/+$/, ''),
          timeoutMs: o.getOptionalNumber('timeoutMs') ?? 120_000,
        }
      : undefined,
    baseModels: (c?.getOptionalConfigArray('baseModels') ?? []).map(b => ({
      name: b.getString('name'),
      title: b.getOptionalString('title') ?? b.getString('name'),
      hfModel: b.getString('hfModel'),
      ollamaModel: b.getOptionalString('ollamaModel'),
      parameters: b.getOptionalString('parameters'),
    })),
    trainer: {
      image:
        t?.getOptionalString('image') ??
        'ghcr.io/kubemate/lora-finetuning-trainer:latest',
      command: t?.getOptionalStringArray('command') ?? [
        'python',
        '/app/train.py',
      ],
      storageSecretName:
        t?.getOptionalString('storageSecretName') ?? 'kubemate-finetuning-s3',
      storageEndpoint:
        t?.getOptionalString('storageEndpoint') ??
        (storage
          ? `${storage.useSSL ? 'https' : 'http'}://${storage.endPoint}${
              storage.port ? `:${storage.port}` : ''
            }`
          : ''),
      cpu: t?.getOptionalString('cpu') ?? '1',
      memory: t?.getOptionalString('memory') ?? '2Gi',
      podAnnotations: record('podAnnotations'),
      podLabels: record('podLabels'),
    },
    datasets: {
      maxBytes: num('datasets.maxBytes', 104_857_600),
      maxRows: num('datasets.maxRows', 1_000_000),
      previewRows: num('datasets.previewRows', 20),
    },
    limits: {
      maxWorkers: num('limits.maxWorkers', 8),
      maxGpusPerWorker: num('limits.maxGpusPerWorker', 8),
      maxEpochs: num('limits.maxEpochs', 20),
      maxSweepTrials: num('limits.maxSweepTrials', 16),
    },
    pricing: {
      currency: c?.getOptionalString('pricing.currency') ?? 'USD',
      gpuHourCost: (c?.getOptional<Record<string, number>>(
        'pricing.gpuHourCost',
      ) ?? { default: 2 }) as Record<string, number>,
      tokensPerSecondPerGpu: (c?.getOptional<Record<string, number>>(
        'pricing.tokensPerSecondPerGpu',
      ) ?? { default: 2000 }) as Record<string, number>,
    },
  };
}
