import type { PipelineRunSummary } from '@kubemate/plugin-pipelines-common';
import {
  environmentOf,
  filterRuns,
  formatDuration,
  isActive,
  keyOf,
  NO_FILTERS,
} from './runs';

const run = (o: Partial<PipelineRunSummary>) =>
  ({
    cluster: 'dev-cluster',
    namespace: 'payments-dev',
    name: 'r',
    status: 'Succeeded',
    ...o,
  } as PipelineRunSummary);

describe('runs helpers', () => {
  it('keys a run or Pipeline by cluster, namespace and name', () => {
    expect(keyOf({ cluster: 'c', namespace: 'n', name: 'x' })).toBe('c/n/x');
  });

  it('takes the environment from the label, else the namespace suffix', () => {
    expect(environmentOf({ environment: 'prod', namespace: 'a-dev' })).toBe(
      'prod',
    );
    expect(environmentOf({ namespace: 'payments-staging' })).toBe('staging');
    expect(environmentOf({ namespace: 'payments' })).toBeUndefined();
  });

  it('formats durations and tells active runs', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(5)).toBe('5s');
    expect(formatDuration(184)).toBe('3m 4s');
    expect(formatDuration(3720)).toBe('1h 2m');
    expect(isActive('Running')).toBe(true);
    expect(isActive('Pending')).toBe(true);
    expect(isActive('Failed')).toBe(false);
  });

  it('filters runs by status, environment and cluster ("" is all)', () => {
    const runs = [
      run({ name: 'a', status: 'Failed', environment: 'dev' }),
      run({ name: 'b', environment: 'prod', cluster: 'prod-cluster' }),
      run({ name: 'c', environment: 'dev' }),
    ];
    expect(filterRuns(runs, NO_FILTERS)).toHaveLength(3);
    expect(
      filterRuns(runs, { ...NO_FILTERS, status: 'Succeeded' }).map(r => r.name),
    ).toEqual(['b', 'c']);
    expect(
      filterRuns(runs, { status: 'Succeeded', env: 'dev', cluster: '' }).map(
        r => r.name,
      ),
    ).toEqual(['c']);
    expect(
      filterRuns(runs, { ...NO_FILTERS, cluster: 'prod-cluster' }).map(
        r => r.name,
      ),
    ).toEqual(['b']);
  });
});
