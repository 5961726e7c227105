import {
  learningRateAt,
  simulation,
  stepMetrics,
  trainerLogLine,
  workerLogLine,
} from './demoTrainerCurve';

const spec = {
  baseModel: 'smollm2-135m-instruct',
  hyperparameters: {
    rank: 16,
    alpha: 32,
    learningRate: 2e-4,
    epochs: 3,
    batchSize: 8,
  },
  resources: { workers: 2, gpusPerWorker: 1 },
};

describe('demo trainer curve (DEMO DATA)', () => {
  const sim = simulation(spec, 'uid-1');

  it('is deterministic per job uid and differs between jobs', () => {
    expect(stepMetrics(simulation(spec, 'uid-1'), 5)).toEqual(
      stepMetrics(sim, 5),
    );
    expect(stepMetrics(simulation(spec, 'uid-2'), 5).train_loss).not.toBe(
      stepMetrics(sim, 5).train_loss,
    );
  });

  it('plans epochs × steps per epoch with a warmup, from the spec', () => {
    expect(sim.epochs).toBe(3);
    expect(sim.totalSteps).toBe(3 * sim.stepsPerEpoch);
    expect(sim.worldSize).toBe(2);
    expect(sim.warmupSteps).toBeGreaterThanOrEqual(1);
  });

  it('warms the learning rate up to the spec value, then decays it by a cosine to 0', () => {
    expect(learningRateAt(sim, sim.warmupSteps)).toBeCloseTo(2e-4);
    expect(learningRateAt(sim, 1)).toBeLessThanOrEqual(2e-4);
    expect(learningRateAt(sim, sim.totalSteps)).toBeCloseTo(0);
    const mid = Math.round((sim.warmupSteps + sim.totalSteps) / 2);
    expect(learningRateAt(sim, mid)).toBeGreaterThan(
      learningRateAt(sim, sim.totalSteps - 1),
    );
  });

  it('has a falling train loss, eval loss once per epoch slightly above it, epochs up to the spec', () => {
    const all = Array.from({ length: sim.totalSteps }, (_, i) =>
      stepMetrics(sim, i + 1),
    );
    expect(all[all.length - 1].train_loss).toBeLessThan(
      all[0].train_loss * 0.6,
    );
    const evals = all.filter(m => m.eval_loss !== undefined);
    expect(evals.map(m => m.epoch)).toEqual([1, 2, 3]);
    for (const m of evals)
      expect(m.eval_loss!).toBeGreaterThan(m.train_loss * 0.9);
    expect(all[all.length - 1].epoch).toBe(3);
    expect(all.every(m => m.tokens_per_second > 0)).toBe(true);
  });

  it('ends higher with a learning rate far from a good one', () => {
    const bad = simulation(
      {
        ...spec,
        hyperparameters: { ...spec.hyperparameters, learningRate: 1e-6 },
      },
      'uid-1',
    );
    expect(stepMetrics(bad, bad.totalSteps).train_loss).toBeGreaterThan(
      stepMetrics(sim, sim.totalSteps).train_loss,
    );
  });

  it('prints lines as the Trainer and the worker ranks do', () => {
    const m = stepMetrics(sim, sim.stepsPerEpoch);
    const lines = trainerLogLine(m);
    expect(lines[0]).toMatch(
      /^\{'loss': [\d.]+, 'grad_norm': [\d.]+, 'learning_rate': [\d.e-]+, 'epoch': 1\}$/,
    );
    expect(lines[1]).toMatch(/^\{'eval_loss': [\d.]+, /);
    expect(workerLogLine(1, sim, m)).toMatch(
      /^\[rank1\] step \d+\/\d+ epoch 1\.00 local_loss/,
    );
  });
});
