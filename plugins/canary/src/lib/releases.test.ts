import {
  entityReleasesLink,
  formatRange,
  pickRelease,
  stepTicks,
  trafficProblem,
} from './releases';
import { createTestTranslationApi } from '@kubemate/plugin-kubemate-react';
import { canaryTranslationRef } from '../translation';
import zhHans from '../translations/zh-Hans';

const tOf = (language: string) =>
  (
    createTestTranslationApi(language, [zhHans]).getTranslation(
      canaryTranslationRef,
    ) as any
  ).t;
const t = tOf('en');

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
    expect(trafficProblem(backends, [], t)).toBe(
      'The weights must sum to 100 (now 90)',
    );
    backends[1].weight = 50;
    expect(trafficProblem(backends, [], t)).toBe('');
    expect(
      trafficProblem(
        backends,
        [
          {
            service: 'b',
            match: [{ header: 'x-beta', value: '', type: 'Exact' }],
          },
        ],
        t,
      ),
    ).toBe('Rule 1: the value of x-beta is missing');
    expect(
      trafficProblem(
        backends,
        [
          {
            service: 'c',
            match: [{ header: 'x-beta', value: '1', type: 'Exact' }],
          },
        ],
        t,
      ),
    ).toBe('Rule 1 routes to c, which is not a backend');
    expect(
      trafficProblem(
        backends,
        [
          {
            service: 'a',
            match: [{ header: 'x', value: '(', type: 'RegularExpression' }],
          },
        ],
        t,
      ),
    ).toBe('Rule 1: ( is not a regular expression');
    expect(
      trafficProblem(
        backends,
        [{ service: '', match: [{ header: 'x', value: '1', type: 'Exact' }] }],
        t,
      ),
    ).toBe('Rule 1 routes to no service, which is not a backend');
  });

  it('says what is wrong in Chinese', () => {
    const zh = tOf('zh-Hans');
    expect(
      trafficProblem(
        [
          { service: 'a', weight: 50 },
          { service: 'b', weight: 40 },
        ],
        [],
        zh,
      ),
    ).toBe('权重总和必须为 100（当前为 90）');
  });

  it('picks the active release first, else the latest', () => {
    const r = (name: string, phase: any, at: string) =>
      ({ name, phase, lastTransitionTime: at } as any);
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
