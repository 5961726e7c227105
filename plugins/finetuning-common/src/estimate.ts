import { FinetuningPricing, Hyperparameters, JobResources } from './types';

/** Characters per token assumed for English text with a BPE tokenizer. */
export const CHARS_PER_TOKEN = 4;
/** Minutes of start-up (image pull, model load) added to every job. */
export const STARTUP_MINUTES = 5;

export interface JobEstimate {
  tokens: number;
  gpus: number;
  /** wall-clock hours */
  hours: number;
  gpuHours: number;
  cost: number;
  currency: string;
  /** what the numbers assume, in words */
  assumptions: string;
}

function pick(table: Record<string, number>, keys: Array<string | undefined>) {
  for (const key of keys) {
    if (key && table[key] !== undefined) return table[key];
  }
  return table.default;
}

/**
 * A rough cost and GPU-hours estimate of a LoRA job: the dataset's tokens × epochs at the
 * configured per-GPU throughput (data parallel over every GPU), plus a fixed start-up. The same
 * function runs in the launch form and in the backend.
 */
export function estimateJob(options: {
  rows: number;
  avgChars: number;
  hyperparameters: Pick<Hyperparameters, 'epochs'>;
  resources: JobResources;
  /** the flavor's GPU product, looked up after the flavor name */
  product?: string;
  pricing: FinetuningPricing;
}): JobEstimate {
  const { rows, avgChars, hyperparameters, resources, product, pricing } =
    options;
  const tokens = Math.ceil(
    (rows * Math.max(avgChars, 1) * hyperparameters.epochs) / CHARS_PER_TOKEN,
  );
  const gpus = resources.workers * resources.gpusPerWorker;
  const perGpu =
    pick(pricing.tokensPerSecondPerGpu, [resources.flavor, product]) ?? 1000;
  const devices = Math.max(gpus, 1);
  const hours = tokens / (perGpu * devices) / 3600 + STARTUP_MINUTES / 60;
  const gpuHours = hours * gpus;
  const hourCost = pick(pricing.gpuHourCost, [resources.flavor, product]) ?? 0;
  return {
    tokens,
    gpus,
    hours,
    gpuHours,
    cost: gpuHours * hourCost,
    currency: pricing.currency,
    assumptions: `${CHARS_PER_TOKEN} characters per token, ${perGpu} tokens/s per GPU, ${STARTUP_MINUTES} min start-up`,
  };
}
