import type {
  FinetuningOptions,
  Hyperparameters,
  LaunchJobRequest,
  SweepDomain,
  SweepParameter,
  SweepRequest,
} from '@kubemate/plugin-finetuning-common';

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

export const HYPERPARAMETERS: Array<{
  key: SweepParameter;
  label: string;
  integer: boolean;
  min: number;
  max: (limits: FinetuningOptions['limits']) => number;
  /** the minimum itself is not allowed */
  exclusiveMin?: boolean;
}> = [
  {
    key: 'rank',
    label: 'LoRA rank (r)',
    integer: true,
    min: 1,
    max: () => 256,
  },
  { key: 'alpha', label: 'LoRA alpha', integer: true, min: 1, max: () => 512 },
  {
    key: 'learningRate',
    label: 'Learning rate',
    integer: false,
    min: 0,
    exclusiveMin: true,
    max: () => 1,
  },
  {
    key: 'epochs',
    label: 'Epochs',
    integer: true,
    min: 1,
    max: l => l.maxEpochs,
  },
  {
    key: 'batchSize',
    label: 'Batch size',
    integer: true,
    min: 1,
    max: () => 1024,
  },
  {
    key: 'dropout',
    label: 'LoRA dropout',
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
  text: string,
  spec: {
    integer: boolean;
    min: number;
    max: number;
    exclusiveMin?: boolean;
  },
): string | undefined {
  if (text.trim() === '') return 'required';
  const v = Number(text);
  if (!Number.isFinite(v)) return 'must be a number';
  if (spec.integer && !Number.isInteger(v)) return 'must be a whole number';
  if (spec.exclusiveMin ? v <= spec.min : v < spec.min) {
    return spec.exclusiveMin
      ? `must be greater than ${spec.min}`
      : `must be at least ${spec.min}`;
  }
  if (v > spec.max) return `must be at most ${spec.max}`;
  return undefined;
}

/**
 * Checks the draft as the backend does (ranges of the contract, limits of the options) and builds
 * the request when nothing is wrong.
 */
export function validateLaunch(
  draft: LaunchDraft,
  options: FinetuningOptions,
): {
  errors: Partial<Record<LaunchField, string>>;
  body?: LaunchJobRequest;
} {
  const errors: Partial<Record<LaunchField, string>> = {};
  const { limits } = options;
  if (!draft.cluster) errors.cluster = 'choose a cluster';
  if (!draft.namespace) errors.namespace = 'choose a namespace';
  if (draft.name && (!DNS_LABEL.test(draft.name) || draft.name.length > 50)) {
    errors.name =
      'lowercase letters, digits and dashes, starting and ending with a letter or digit (at most 50)';
  }
  if (!draft.baseModel) errors.baseModel = 'choose a base model';
  if (!draft.datasetId) errors.datasetId = 'choose a dataset';
  if (!draft.queue) errors.queue = 'choose a queue';
  for (const h of HYPERPARAMETERS) {
    const e = checkNumber(draft[h.key], { ...h, max: h.max(limits) });
    if (e) errors[h.key] = e;
  }
  const w = checkNumber(draft.workers, {
    integer: true,
    min: 1,
    max: limits.maxWorkers,
  });
  if (w) errors.workers = w;
  const g = checkNumber(draft.gpusPerWorker, {
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
export function parseValues(text: string): number[] | string {
  const parts = text
    .split(/[,\s]+/)
    .map(s => s.trim())
    .filter(Boolean);
  if (!parts.length) return 'give at least one value';
  const out: number[] = [];
  for (const p of parts) {
    const v = Number(p);
    if (!Number.isFinite(v)) return `"${p}" is not a number`;
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
  sweep: SweepDraft,
  base: LaunchJobRequest | undefined,
  options: FinetuningOptions,
): { errors: Record<string, string>; body?: SweepRequest } {
  const errors: Record<string, string> = {};
  const space: SweepRequest['space'] = {};
  const chosen = Object.entries(sweep.params) as Array<
    [SweepParameter, NonNullable<SweepDraft['params'][SweepParameter]>]
  >;
  if (!chosen.length) errors.space = 'choose at least one parameter to sweep';
  for (const [key, p] of chosen) {
    const h = HYPERPARAMETERS.find(x => x.key === key)!;
    const spec = { ...h, max: h.max(options.limits) };
    if (sweep.strategy === 'random' && (p.min || p.max)) {
      const a = checkNumber(p.min, spec);
      const b = checkNumber(p.max, spec);
      if (a || b) {
        errors[key] = `range: ${a ? `min ${a}` : `max ${b}`}`;
      } else if (Number(p.min) > Number(p.max)) {
        errors[key] = 'range: min is above max';
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
    const values = parseValues(p.values);
    if (typeof values === 'string') {
      errors[key] = values;
      continue;
    }
    const bad = values
      .map(v => [v, checkNumber(String(v), spec)] as const)
      .find(([, e]) => e);
    if (bad) errors[key] = `${bad[0]} ${bad[1]}`;
    else space[key] = { values };
  }
  const maxTrials = checkNumber(sweep.maxTrials, {
    integer: true,
    min: 1,
    max: options.limits.maxSweepTrials,
  });
  if (maxTrials) errors.maxTrials = maxTrials;
  if (!sweep.metric.trim()) errors.metric = 'required';
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
