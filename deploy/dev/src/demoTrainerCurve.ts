/*
 * The demo trainer's simulated training (DEMO DATA, see src/demoTrainer.ts): a deterministic,
 * plausible LoRA fine-tuning run derived from the job's spec and seeded by its uid — the metrics a
 * Transformers Trainer + MLflow callback would log per step, and the lines it would print. Pure, no
 * I/O (unit-tested in demoTrainerCurve.test.ts).
 */
import { createHash } from 'node:crypto';

/** The parts of the portal's FinetuningJobSpec the simulation reads (all optional: jobs made by hand). */
export interface SimulationSpec {
  baseModel?: string;
  datasetName?: string;
  hyperparameters?: {
    rank?: number;
    alpha?: number;
    learningRate?: number;
    epochs?: number;
    batchSize?: number;
    dropout?: number;
  };
  resources?: { workers?: number; gpusPerWorker?: number; flavor?: string };
}

export interface Simulation {
  seed: number;
  totalSteps: number;
  stepsPerEpoch: number;
  warmupSteps: number;
  epochs: number;
  learningRate: number;
  rank: number;
  alpha: number;
  batchSize: number;
  worldSize: number;
  tokensPerSecondBase: number;
}

export interface StepMetrics {
  step: number;
  train_loss: number;
  learning_rate: number;
  epoch: number;
  tokens_per_second: number;
  grad_norm: number;
  /** at the end of each epoch (and the last step) */
  eval_loss?: number;
}

const OPTIMAL_LR = 2e-4;

/** mulberry32 seeded from a string */
function seeded(s: string): () => number {
  let a = createHash('sha256').update(s).digest().readUInt32BE(0);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function num(v: unknown, fallback: number, min: number, max: number): number {
  const n = Number(v);
  return Number.isFinite(n) && n >= min && n <= max ? n : fallback;
}

export function simulation(spec: SimulationSpec, uid: string): Simulation {
  const h = spec.hyperparameters ?? {};
  const r = spec.resources ?? {};
  const rand = seeded(`${uid}/plan`);
  const epochs = Math.round(num(h.epochs, 3, 1, 100));
  const stepsPerEpoch = 12 + Math.floor(rand() * 9); // 12-20
  const totalSteps = epochs * stepsPerEpoch;
  const workers = Math.round(num(r.workers, 1, 1, 64));
  const gpus = Math.round(num(r.gpusPerWorker, 1, 0, 16));
  const batchSize = Math.round(num(h.batchSize, 8, 1, 1024));
  const perDevice = /a10g/i.test(r.flavor ?? '') ? 700 : 1500; // tokens/s/GPU for a 135M model + LoRA
  return {
    seed: createHash('sha256').update(uid).digest().readUInt32BE(4),
    totalSteps,
    stepsPerEpoch,
    warmupSteps: Math.max(1, Math.round(totalSteps * 0.06)),
    epochs,
    learningRate: num(h.learningRate, OPTIMAL_LR, 1e-8, 1),
    rank: Math.round(num(h.rank, 8, 1, 1024)),
    alpha: Math.round(num(h.alpha, 16, 1, 4096)),
    batchSize,
    worldSize: workers * Math.max(1, gpus),
    tokensPerSecondBase:
      perDevice *
      Math.max(1, gpus) *
      workers *
      Math.min(2, Math.sqrt(batchSize / 8)) *
      (gpus === 0 ? 0.02 : 1),
  };
}

/** warmup, then cosine decay to 0 (Transformers' get_cosine_schedule_with_warmup) */
export function learningRateAt(sim: Simulation, step: number): number {
  if (step <= sim.warmupSteps)
    return (sim.learningRate * step) / sim.warmupSteps;
  const p =
    (step - sim.warmupSteps) / Math.max(1, sim.totalSteps - sim.warmupSteps);
  return sim.learningRate * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, p)));
}

/**
 * The metrics of step 1..totalSteps. Loss falls with the learning already done (the integral of the
 * schedule) toward a floor that is higher the further the learning rate is from ~2e-4 and a little
 * lower with a larger rank; eval loss tracks it slightly above and rises again late in long runs
 * (overfitting), so it has a minimum.
 */
export function stepMetrics(sim: Simulation, step: number): StepMetrics {
  const rand = seeded(`${sim.seed}/${step}`);
  const noise = () => (rand() + rand() + rand() - 1.5) / 1.5; // ~N(0, 0.33), bounded
  const planRand = seeded(`${sim.seed}/curve`);
  const start = 2.4 + 0.5 * planRand();
  const lrPenalty =
    0.35 * Math.min(3, Math.abs(Math.log10(sim.learningRate / OPTIMAL_LR)));
  const rankBonus = 0.04 * Math.log2(Math.max(1, sim.rank) / 8);
  const floor = Math.max(0.25, 0.6 + 0.3 * planRand() + lrPenalty - rankBonus);
  // fraction of the run's total learning (area under the schedule) done by this step
  let area = 0;
  let total = 0;
  for (let s = 1; s <= sim.totalSteps; s++) {
    const lr = learningRateAt(sim, s);
    total += lr;
    if (s <= step) area += lr;
  }
  const p = total > 0 ? area / total : step / sim.totalSteps;
  const speed =
    4 * Math.min(1.5, Math.max(0.2, sim.learningRate / OPTIMAL_LR) ** 0.35);
  const smooth = floor + (start - floor) * Math.exp(-speed * p);
  const train = smooth + noise() * 0.06 * (1 - 0.6 * p) * smooth;
  const epoch = step / sim.stepsPerEpoch;
  const out: StepMetrics = {
    step,
    train_loss: round(Math.max(0.05, train), 4),
    learning_rate: Number(learningRateAt(sim, step).toPrecision(6)),
    epoch: round(epoch, 4),
    tokens_per_second: round(sim.tokensPerSecondBase * (1 + noise() * 0.04), 1),
    grad_norm: round(
      Math.max(0.05, 0.4 + 1.6 * Math.exp(-3 * p) + noise() * 0.15),
      4,
    ),
  };
  if (step % sim.stepsPerEpoch === 0 || step === sim.totalSteps) {
    const overfit =
      sim.epochs > 2
        ? 0.12 * Math.max(0, epoch / sim.epochs - 0.55) ** 2 * sim.epochs
        : 0;
    out.eval_loss = round(smooth * 1.06 + 0.04 + overfit + noise() * 0.01, 4);
  }
  return out;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/** what the Transformers Trainer prints for a logging step (its `{'loss': ...}` dict lines) */
export function trainerLogLine(m: StepMetrics): string[] {
  const lines = [
    `{'loss': ${m.train_loss}, 'grad_norm': ${m.grad_norm}, 'learning_rate': ${m.learning_rate}, 'epoch': ${m.epoch}}`,
  ];
  if (m.eval_loss !== undefined)
    lines.push(
      `{'eval_loss': ${m.eval_loss}, 'eval_runtime': ${(
        3 +
        (m.step % 7) * 0.31
      ).toFixed(4)}, 'eval_samples_per_second': ${(
        m.tokens_per_second / 180
      ).toFixed(3)}, 'epoch': ${m.epoch}}`,
    );
  return lines;
}

/** what a worker rank prints (torchrun / DDP) for a step */
export function workerLogLine(
  rank: number,
  sim: Simulation,
  m: StepMetrics,
): string {
  return `[rank${rank}] step ${m.step}/${
    sim.totalSteps
  } epoch ${m.epoch.toFixed(2)} local_loss ${(
    m.train_loss *
    (1 + ((rank * 7 + m.step) % 5) * 0.004)
  ).toFixed(4)} tokens/s ${(
    m.tokens_per_second / Math.max(1, sim.worldSize)
  ).toFixed(1)}`;
}

/** the parameters a Trainer + PEFT run logs (names as Transformers' MLflow callback logs them) */
export function trainerParams(
  sim: Simulation,
  spec: SimulationSpec,
): Record<string, string> {
  return {
    num_train_epochs: String(sim.epochs),
    max_steps: String(sim.totalSteps),
    per_device_train_batch_size: String(sim.batchSize),
    gradient_accumulation_steps: '1',
    lr_scheduler_type: 'cosine',
    warmup_steps: String(sim.warmupSteps),
    optim: 'adamw_torch',
    bf16: 'True',
    world_size: String(sim.worldSize),
    'peft.r': String(sim.rank),
    'peft.lora_alpha': String(sim.alpha),
    'peft.lora_dropout': String(spec.hyperparameters?.dropout ?? 0.05),
    'peft.target_modules': 'q_proj,v_proj',
  };
}
