import { sweepTrials } from './sweep';

const base = {
  rank: 8,
  alpha: 16,
  learningRate: 2e-4,
  epochs: 1,
  batchSize: 4,
};

describe('sweepTrials', () => {
  it('grid: the cartesian product in a stable order, truncated to maxTrials', () => {
    const trials = sweepTrials({
      base,
      strategy: 'grid',
      space: {
        rank: { values: [4, 8] },
        learningRate: { values: [1e-4, 3e-4] },
      },
      maxTrials: 3,
      seed: 1,
    });
    expect(trials.map(t => [t.learningRate, t.rank])).toEqual([
      [1e-4, 4],
      [1e-4, 8],
      [3e-4, 4],
    ]);
    expect(trials[0]).toMatchObject({ alpha: 16, epochs: 1, batchSize: 4 });
  });

  it('random: seeded (same seed, same trials), ranges inside their bounds, integers rounded, lr log-uniform', () => {
    const request = {
      base,
      strategy: 'random' as const,
      space: {
        learningRate: { min: 1e-5, max: 1e-2 },
        rank: { min: 4, max: 64 },
        batchSize: { values: [2, 4, 8] },
      },
      maxTrials: 50,
      seed: 42,
    };
    const a = sweepTrials(request);
    expect(sweepTrials(request)).toEqual(a);
    expect(sweepTrials({ ...request, seed: 43 })).not.toEqual(a);
    for (const t of a) {
      expect(t.learningRate).toBeGreaterThanOrEqual(1e-5);
      expect(t.learningRate).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(t.rank)).toBe(true);
      expect([2, 4, 8]).toContain(t.batchSize);
    }
    // log-uniform: about a third of the samples below 1e-4 (uniform would give ~1%)
    const low = a.filter(t => t.learningRate < 1e-4).length;
    expect(low).toBeGreaterThan(5);
  });

  it('refuses an empty space, a range in a grid, a bad range', () => {
    expect(() =>
      sweepTrials({ base, strategy: 'grid', space: {}, maxTrials: 2, seed: 1 }),
    ).toThrow('space: sweep at least one hyperparameter');
    expect(() =>
      sweepTrials({
        base,
        strategy: 'grid',
        space: { rank: { min: 1, max: 4 } },
        maxTrials: 2,
        seed: 1,
      }),
    ).toThrow('space.rank: a grid search needs a list of values');
    expect(() =>
      sweepTrials({
        base,
        strategy: 'random',
        space: { rank: { min: 5, max: 4 } },
        maxTrials: 2,
        seed: 1,
      }),
    ).toThrow('space.rank: min must not be above max');
  });
});
