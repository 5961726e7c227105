/*
 * Sweep trials: a grid (the cartesian product in a stable order: parameters in a fixed order,
 * values as given, truncated to maxTrials) or a seeded random search (values picked from lists,
 * ranges sampled uniformly or log-uniformly). Pure: the same request and seed give the same trials.
 */
import { InputError } from '@backstage/errors';
import {
  Hyperparameters,
  SweepDomain,
  SweepParameter,
} from '@kubemate/plugin-finetuning-common';

export const SWEEP_PARAMETERS: SweepParameter[] = [
  'learningRate',
  'rank',
  'alpha',
  'epochs',
  'batchSize',
  'dropout',
];

const INTEGER_PARAMETERS = new Set<SweepParameter>([
  'rank',
  'alpha',
  'epochs',
  'batchSize',
]);

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed from a string (the sweep id), so a sweep's trials can be recomputed. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  }
  return h >>> 0;
}

function checkDomain(p: SweepParameter, d: SweepDomain) {
  if ('values' in d) {
    if (!d.values.length) {
      throw new InputError(`space.${p}: give at least one value`);
    }
    return;
  }
  if (!(d.min <= d.max)) {
    throw new InputError(`space.${p}: min must not be above max`);
  }
  if (d.scale === 'log' && d.min <= 0) {
    throw new InputError(`space.${p}: a log scale needs min > 0`);
  }
}

/**
 * The hyperparameters of each trial: `base` with the swept parameters replaced. Grid needs value
 * lists; random samples lists and ranges (learningRate on a log scale unless told otherwise).
 */
export function sweepTrials(options: {
  base: Hyperparameters;
  strategy: 'grid' | 'random';
  space: Partial<Record<SweepParameter, SweepDomain>>;
  maxTrials: number;
  seed: number;
}): Array<Partial<Hyperparameters> & Hyperparameters> {
  const { base, strategy, space, maxTrials } = options;
  const params = SWEEP_PARAMETERS.filter(p => space[p] !== undefined);
  if (!params.length) {
    throw new InputError('space: sweep at least one hyperparameter');
  }
  for (const p of params) checkDomain(p, space[p]!);
  if (strategy === 'grid') {
    const lists = params.map(p => {
      const d = space[p]!;
      if (!('values' in d)) {
        throw new InputError(
          `space.${p}: a grid search needs a list of values (a range is for random search)`,
        );
      }
      return d.values;
    });
    const out: Hyperparameters[] = [];
    const walk = (i: number, current: Hyperparameters) => {
      if (out.length >= maxTrials) return;
      if (i === params.length) {
        out.push({ ...current });
        return;
      }
      for (const v of lists[i]) {
        walk(i + 1, { ...current, [params[i]]: v });
        if (out.length >= maxTrials) return;
      }
    };
    walk(0, { ...base });
    return out;
  }
  const random = seededRandom(options.seed);
  const out: Hyperparameters[] = [];
  for (let t = 0; t < maxTrials; t++) {
    const trial: Hyperparameters = { ...base };
    for (const p of params) {
      const d = space[p]!;
      let v: number;
      if ('values' in d) {
        v = d.values[Math.floor(random() * d.values.length)];
      } else {
        const log =
          d.scale === 'log' || (d.scale === undefined && p === 'learningRate');
        const u = random();
        v = log
          ? Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min)))
          : d.min + u * (d.max - d.min);
        if (d.integer || INTEGER_PARAMETERS.has(p)) v = Math.round(v);
        else v = Number(v.toPrecision(4));
      }
      (trial as any)[p] = v;
    }
    out.push(trial);
  }
  return out;
}
