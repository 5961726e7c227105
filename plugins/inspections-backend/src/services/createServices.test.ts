/*
 * How close two scheduled inspection runs may start before the second is taken for a duplicate
 * claim of the same slot by another replica.
 */
import { scheduledMinGapMs } from './createServices';

describe('scheduledMinGapMs', () => {
  it('is half the interval of a duration schedule, at most 30 s', () => {
    expect(
      scheduledMinGapMs({
        frequency: { seconds: 10 },
        timeout: { minutes: 1 },
      }),
    ).toBe(5_000);
    expect(
      scheduledMinGapMs({ frequency: { hours: 1 }, timeout: { minutes: 1 } }),
    ).toBe(30_000);
    expect(
      scheduledMinGapMs({
        frequency: { minutes: 1, seconds: 20 },
        timeout: { minutes: 1 },
      }),
    ).toBe(30_000);
  });

  it('is 30 s for a 5-field cron and off for a cron with seconds or a manual trigger', () => {
    expect(
      scheduledMinGapMs({
        frequency: { cron: '* * * * *' },
        timeout: { minutes: 5 },
      }),
    ).toBe(30_000);
    expect(
      scheduledMinGapMs({
        frequency: { cron: '*/5 * * * * *' },
        timeout: { minutes: 5 },
      }),
    ).toBe(0);
    expect(
      scheduledMinGapMs({
        frequency: { trigger: 'manual' },
        timeout: { minutes: 5 },
      }),
    ).toBe(0);
  });
});
