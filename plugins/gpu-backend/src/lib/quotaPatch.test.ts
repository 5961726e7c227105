/* The ClusterQueue quota change computed before the conflict-safe patch (pure). */
import { applyFlavorChanges } from './quotaPatch';
import { ClusterQueueObject } from './kueue';

const cq = (): ClusterQueueObject => ({
  metadata: { name: 'team-payments', resourceVersion: '7' },
  spec: {
    resourceGroups: [
      {
        coveredResources: ['cpu', 'nvidia.com/gpu'],
        flavors: [
          {
            name: 'a100',
            resources: [
              { name: 'cpu', nominalQuota: '16' },
              { name: 'nvidia.com/gpu', nominalQuota: 2, borrowingLimit: '2' },
            ],
          },
        ],
      },
    ],
  },
});

describe('applyFlavorChanges', () => {
  it('adds and subtracts GPUs (never below 0) and leaves the other resources alone', () => {
    const original = cq();
    const added = applyFlavorChanges(original, [
      { flavor: 'a100', nominalDelta: 3 },
    ]);
    expect(added.nominal).toEqual({ a100: { before: 2, after: 5 } });
    const resources = added.resourceGroups[0].flavors![0].resources!;
    expect(resources).toEqual([
      { name: 'cpu', nominalQuota: '16' },
      { name: 'nvidia.com/gpu', nominalQuota: '5', borrowingLimit: '2' },
    ]);
    // the object read is not modified
    expect(
      original.spec.resourceGroups![0].flavors![0].resources![1].nominalQuota,
    ).toBe(2);
    expect(
      applyFlavorChanges(original, [{ flavor: 'a100', nominalDelta: -9 }])
        .nominal.a100.after,
    ).toBe(0);
  });

  it('sets absolute values and removes a limit given null', () => {
    const { resourceGroups } = applyFlavorChanges(cq(), [
      { flavor: 'a100', nominal: 8, borrowingLimit: null, lendingLimit: 4 },
    ]);
    expect(resourceGroups[0].flavors![0].resources![1]).toEqual({
      name: 'nvidia.com/gpu',
      nominalQuota: '8',
      lendingLimit: '4',
    });
  });

  it('refuses a flavor without GPU quota in the queue, naming it', () => {
    expect(() =>
      applyFlavorChanges(cq(), [{ flavor: 'h100', nominalDelta: 1 }]),
    ).toThrow(
      /flavor: ClusterQueue team-payments has no nvidia.com\/gpu quota in flavor 'h100'/,
    );
  });
});
