import {
  entityReleasesLink,
  formatRange,
  pickRelease,
  stepTicks,
  trafficProblem,
} from './releases';

describe('releases helpers', () => {
  it('ticks every step up to the max weight', () => {
    expect(stepTicks(10, 30)).toEqual([10, 20, 30]);
    expect(stepTicks(undefined, 30)).toEqual([]);
    expect(stepTicks(25)).toEqual([25, 50, 75, 100]);
  });

  it('formats thresholds with open sides', () => {
    expect(formatRange({ thresholdMin: 99 })).toBe('≥ 99');
    expect(formatRange({ thresholdMax: 500 })).toBe('≤ 500');
    expect(formatRange({ thresholdMin: 1, thresholdMax: 2 })).toBe('1 … 2');
    expect(formatRange({})).toBe('—');
  });

  it('refuses weights that do not sum to 100 and incomplete rules', () => {
    const backends = [
      { service: 'a', weight: 50 },
      { service: 'b', weight: 40 },
    ];
    expect(trafficProblem(backends, [])).toBe(
      'The weights must sum to 100 (now 90)',
    );
    backends[1].weight = 50;
    expect(trafficProblem(backends, [])).toBe('');
    expect(
      trafficProblem(backends, [
        {
          service: 'b',
          match: [{ header: 'x-beta', value: '', type: 'Exact' }],
        },
      ]),
    ).toBe('Rule 1: the value of x-beta is missing');
    expect(
      trafficProblem(backends, [
        {
          service: 'c',
          match: [{ header: 'x-beta', value: '1', type: 'Exact' }],
        },
      ]),
    ).toBe('Rule 1 routes to c, which is not a backend');
    expect(
      trafficProblem(backends, [
        {
          service: 'a',
          match: [{ header: 'x', value: '(', type: 'RegularExpression' }],
        },
      ]),
    ).toBe('Rule 1: ( is not a regular expression');
  });

  it('picks the active release first, else the latest', () => {
    const r = (name: string, phase: any, t: string) =>
      ({ name, phase, lastTransitionTime: t } as any);
    expect(
      pickRelease([
        r('a', 'Succeeded', '2026-12-01T10:00:00Z'),
        r('b', 'Progressing', '2026-12-01T09:00:00Z'),
      ]).name,
    ).toBe('b');
    expect(
      pickRelease([
        r('a', 'Succeeded', '2026-12-01T08:00:00Z'),
        r('c', 'Failed', '2026-12-01T09:00:00Z'),
      ]).name,
    ).toBe('c');
  });

  it('links to the entity tab', () => {
    expect(entityReleasesLink('component:default/payments-api')).toBe(
      '/catalog/default/component/payments-api/releases',
    );
  });
});
