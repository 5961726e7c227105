/*
 * The scheduled run's guard against a second replica claiming the same slot: a scheduled run that
 * starts within scheduledMinGapMs of the previous scheduled run is skipped.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { DefaultInspectionRunsService } from './DefaultInspectionRunsService';

function service(lastScheduledStart: number | undefined, minGapMs: number) {
  const start = jest.fn(async () => ({ id: 'run-1' } as any));
  const runs = new DefaultInspectionRunsService({
    store: { latestStartOf: async () => lastScheduledStart } as any,
    engine: { start } as any,
    clusters: { listClusters: () => [{ name: 'dev-cluster' }] } as any,
    permissions: mockServices.permissions(),
    catalog: {} as any,
    audit: {} as any,
    renderer: {} as any,
    logger: mockServices.logger.mock(),
    scheduledMinGapMs: minGapMs,
  });
  return { runs, start };
}

describe('DefaultInspectionRunsService.scheduledRun', () => {
  it('skips a scheduled run when another one started within the guard', async () => {
    const { runs, start } = service(Date.now() - 2_700, 30_000);
    await expect(runs.scheduledRun()).resolves.toBeUndefined();
    expect(start).not.toHaveBeenCalled();
  });

  it('starts one after the guard, with no previous run, or with the guard off', async () => {
    for (const [last, gap] of [
      [Date.now() - 31_000, 30_000],
      [undefined, 30_000],
      [Date.now() - 100, 0],
    ] as const) {
      const { runs, start } = service(last, gap);
      await expect(runs.scheduledRun()).resolves.toEqual({ id: 'run-1' });
      expect(start).toHaveBeenCalledWith({
        trigger: 'schedule',
        scope: { clusters: ['dev-cluster'] },
      });
    }
  });
});
