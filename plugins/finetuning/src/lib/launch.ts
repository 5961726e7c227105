import type { TranslationFunction } from '@backstage/frontend-plugin-api';
import type {
  FinetuningOptions,
  Hyperparameters,
  LaunchJobRequest,
  SweepDomain,
  SweepParameter,
  SweepRequest,
} from '@kubemate/plugin-finetuning-common';
import type { finetuningTranslationRef } from '../translation';

/** The plugin's translation function (validation messages are in the user's language). */
export type FinetuningT = TranslationFunction<
  typeof finetuningTranslationRef.T
>;

/** The launch form's fields, as typed (strings until validated). */
export interface LaunchDraft {
  cluster: string;
  namespace: string;
  name: string;
  baseModel: string;
  datasetId: string;
  rank: string;
  alpha: string;
  learningRate: string;
  epochs: string;
  batchSize: string;
  dropout: string;
  workers: string;
  gpusPerWorker: string;
  flavor: string;
  queue: string;
  priorityClass: string;
  entityRef: string;
}

export type LaunchField = keyof LaunchDraft;

/** The hyperparameters of the form; their labels are `launch.params.<key>`. */
export const HYPERPARAMETERS: Array<{
  key: SweepParameter;
  integer: boolean;
  min: number;
  max: (limits: FinetuningOptions['limits']) => number;
  /** the minimum itself is not allowed */
  exclusiveMin?: boolean;
}> = [
  {
    key: 'rank',
    integer: true,
    min: 1,
    max: () => 256,
  },
  { key: 'alpha', integer: true, min: 1, max: () => 512 },
  {
    key: 'learningRate',
    integer: false,
    min: 0,
    exclusiveMin: true,
    max: () => 1,
  },
  {
    key: 'epochs',
    integer: true,
    min: 1,
    max: l => l.maxEpochs,
  },
  {
    key: 'batchSize',
    integer: true,
    min: 1,
    max: () => 1024,
  },
  {
    key: 'dropout',
    integer: false,
    min: 0,
    max: () => 0.9,
  },
];

export const DEFAULT_DRAFT: Omit<
  LaunchDraft,
  'cluster' | 'namespace' | 'baseModel' | 'datasetId' | 'queue' | 'entityRef'
> = {
  name: '',
  rank: '8',
  alpha: '16',
  learningRate: '0.0002',
  epochs: '3',
  batchSize: '8',
  dropout: '0.05',
  workers: '2',
  gpusPerWorker: '1',
  flavor: '',
  priorityClass: '',
};

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The message of a number outside [min, max] (as the backend words its limits). */
export function checkNumber(
  t: FinetuningT,
  text: string,
  spec: {
    integer: boolean;
    min: number;
    max: number;
    exclusiveMin?: boolean;
  },
): string | undefined {
  if (text.trim() === '') return t('validation.required');
  const v = Number(text);
  if (!Number.isFinite(v)) return t('validation.notNumber');
  if (spec.integer && !Number.isInteger(v)) {
    return t('validation.notInteger');
  }
  if (spec.exclusiveMin ? v <= spec.min : v < spec.min) {
    return spec.exclusiveMin
      ? t('validation.greaterThan', { min: String(spec.min) })
      : t('validation.atLeast', { min: String(spec.min) });
  }
  if (v > spec.max) return t('validation.atMost', { max: String(spec.max) });
  return undefined;
}

/**
 * Checks the draft as the backend does (ranges of the contract, limits of the options) and builds
 * the request when nothing is wrong.
 */
export function validateLaunch(
  t: FinetuningT,
  draft: LaunchDraft,
  options: FinetuningOptions,
): {
  errors: Partial<Record<LaunchField, string>>;
  body?: LaunchJobRequest;
} {
  const errors: Partial<Record<LaunchField, string>> = {};
  const { limits } = options;
  if (!draft.cluster) errors.cluster = t('validation.chooseCluster');
  if (!draft.namespace) errors.namespace = t('validation.chooseNamespace');
  if (draft.name && (!DNS_LABEL.test(draft.name) || draft.name.length > 50)) {
    errors.name = t('validation.name');
  }
  if (!draft.baseModel) errors.baseModel = t('validation.chooseBaseModel');
  if (!draft.datasetId) errors.datasetId = t('validation.chooseDataset');
  if (!draft.queue) errors.queue = t('validation.chooseQueue');
  for (const h of HYPERPARAMETERS) {
    const e = checkNumber(t, draft[h.key], { ...h, max: h.max(limits) });
    if (e) errors[h.key] = e;
  }
  const w = checkNumber(t, draft.workers, {
    integer: true,
    min: 1,
    max: limits.maxWorkers,
  });
  if (w) errors.workers = w;
  const g = checkNumber(t, draft.gpusPerWorker, {
    integer: true,
    min: 0,
    max: limits.maxGpusPerWorker,
  });
  if (g) errors.gpusPerWorker = g;
  if (Object.keys(errors).length) return { errors };
  const hyperparameters: Hyperparameters = {
    rank: Number(draft.rank),
    alpha: Number(draft.alpha),
    learningRate: Number(draft.learningRate),
    epochs: Number(draft.epochs),
    batchSize: Number(draft.batchSize),
    dropout: Number(draft.dropout),
  };
  const body: LaunchJobRequest = {
    cluster: draft.cluster,
    namespace: draft.namespace,
    baseModel: draft.baseModel,
    datasetId: draft.datasetId,
    hyperparameters,
    resources: {
      workers: Number(draft.workers),
      gpusPerWorker: Number(draft.gpusPerWorker),
      ...(draft.flavor ? { flavor: draft.flavor } : {}),
    },
    queue: draft.queue,
    ...(draft.name ? { name: draft.name } : {}),
    ...(draft.priorityClass ? { priorityClass: draft.priorityClass } : {}),
    ...(draft.entityRef ? { entityRef: draft.entityRef } : {}),
  };
  return { errors, body };
}

/** The field a backend 400 names (`rank: must be …`, `dataset … not found`), if any. */
export function fieldOfServerError(message: string): LaunchField | undefined {
  const m = message.toLowerCase();
  const keys: Array<[LaunchField, RegExp]> = [
    ['learningRate', /learning ?rate|learningrate/],
    ['gpusPerWorker', /gpusperworker|gpus per worker/],
    ['batchSize', /batch ?size/],
    ['datasetId', /dataset/],
    ['baseModel', /base ?model/],
    ['rank', /\brank\b/],
    ['alpha', /\balpha\b/],
    ['epochs', /\bepochs?\b/],
    ['dropout', /dropout/],
    ['workers', /\bworkers?\b/],
    ['flavor', /flavou?r/],
    ['queue', /\bqueue\b/],
    ['namespace', /\bnamespace\b/],
    ['cluster', /\bcluster\b/],
    ['name', /^name\b/],
  ];
  return keys.find(([, re]) => re.test(m))?.[0];
}

/** A sweep's search space as typed: per chosen parameter, values `a, b, c` or a range. */
export interface SweepDraft {
  strategy: 'grid' | 'random';
  maxTrials: string;
  metric: string;
  goal: 'minimize' | 'maximize';
  params: Partial<
    Record<
      SweepParameter,
      { values: string; min: string; max: string; log: boolean }
    >
  >;
}

/** Parses `1, 2, 4` into numbers, or the message of what is wrong. */
export function parseValues(t: FinetuningT, text: string): number[] | string {
  const parts = text
    .split(/[,\s]+/)
    .map(s => s.trim())
    .filter(Boolean);
  if (!parts.length) return t('validation.atLeastOneValue');
  const out: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isFinite(v)) return t('validation.notANumber', { value: p });
    out.push(v);
  }
  return out;
}

/** How many trials a grid has (the product of the value counts). */
export function gridSize(space: SweepRequest['space']): number {
  return Object.values(space).reduce(
    (n, d) =>
      n * ('values' in (d as SweepDomain) ? (d as any).values.length : 1),
    1,
  );
}

/** Checks the sweep part (each value within its parameter's range) and builds the request. */
export function validateSweep(
  t: FinetuningT,
  sweep: SweepDraft,
  base: LaunchJobRequest | undefined,
  options: FinetuningOptions,
): { errors: Record<string, string>; body?: SweepRequest } {
  const errors: Record<string, string> = {};
  const space: SweepRequest['space'] = {};
  const chosen = Object.entries(sweep.params) as Array<
    [SweepParameter, NonNullable<SweepDraft['params'][SweepParameter]>]
  >;
  if (!chosen.length) errors.space = t('validation.chooseParameter');
  for (const [key, p] of chosen) {
    const h = HYPERPARAMETERS.find(x => x.key === key)!;
    const spec = { ...h, max: h.max(options.limits) };
    if (sweep.strategy === 'random' && (p.min || p.max)) {
      const a = checkNumber(t, p.min, spec);
      const b = checkNumber(t, p.max, spec);
      if (a || b) {
        errors[key] = a
          ? t('validation.rangeMin', { error: a })
          : t('validation.rangeMax', { error: b ?? '' });
      } else if (Number(p.min) > Number(p.max)) {
        errors[key] = t('validation.rangeOrder');
      } else {
        space[key] = {
          min: Number(p.min),
          max: Number(p.max),
          scale: p.log ? 'log' : 'linear',
          integer: h.integer,
        };
      }
      continue;
    }
    const values = parseValues(t, p.values);
    if (typeof values === 'string') {
      errors[key] = values;
      continue;
    }
    const bad = values
      .map(v => [v, checkNumber(t, String(v), spec)] as const)
      .find(([, e]) => e);
    if (bad) {
      errors[key] = t('validation.badValue', {
        value: String(bad[0]),
        error: bad[1] ?? '',
      });
    } else space[key] = { values };
  }
  const maxTrials = checkNumber(t, sweep.maxTrials, {
    integer: true,
    min: 1,
    max: options.limits.maxSweepTrials,
  });
  if (maxTrials) errors.maxTrials = maxTrials;
  if (!sweep.metric.trim()) errors.metric = t('validation.required');
  if (Object.keys(errors).length || !base) return { errors };
  return {
    errors,
    body: {
      base,
      strategy: sweep.strategy,
      space,
      maxTrials: Number(sweep.maxTrials),
      objective: { metric: sweep.metric.trim(), goal: sweep.goal },
    },
  };
}
