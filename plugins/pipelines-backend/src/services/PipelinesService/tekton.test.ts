import { statusOf, toRun, toTaskRun, TektonObject } from './tekton';

const obj = (status?: any, spec?: any): TektonObject => ({
  metadata: {
    name: 'r',
    namespace: 'ns',
    creationTimestamp: '2026-01-01T00:00:00Z',
  },
  spec,
  status,
});
const cond = (s: string, reason: string, message = '') => ({
  conditions: [{ type: 'Succeeded', status: s, reason, message }],
});

describe('statusOf (Tekton Succeeded condition)', () => {
  it('maps the controller conditions', () => {
    expect(statusOf(obj()).status).toBe('Pending');
    expect(statusOf(obj(cond('Unknown', 'Running'))).status).toBe('Running');
    expect(statusOf(obj(cond('Unknown', 'PipelineRunPending'))).status).toBe(
      'Pending',
    );
    expect(statusOf(obj(cond('Unknown', 'Pending'))).status).toBe('Pending');
    expect(statusOf(obj(cond('True', 'Succeeded')))).toEqual({
      status: 'Succeeded',
      reason: 'Succeeded',
      message: '',
    });
    expect(statusOf(obj(cond('False', 'Failed', 'step test failed')))).toEqual({
      status: 'Failed',
      reason: 'Failed',
      message: 'step test failed',
    });
    expect(statusOf(obj(cond('False', 'PipelineRunTimeout'))).status).toBe(
      'Failed',
    );
    expect(statusOf(obj(cond('False', 'Cancelled'))).status).toBe('Cancelled');
  });

  it('a cancel request shows before the controller has acted on it', () => {
    expect(
      statusOf(obj(cond('Unknown', 'Running'), { status: 'Cancelled' })),
    ).toEqual({ status: 'Cancelled', reason: 'Cancelling' });
  });
});

describe('toRun', () => {
  it('takes the duration from the controller times, or until now while running', () => {
    const done = toRun(
      'c1',
      obj({
        ...cond('True', 'Succeeded'),
        startTime: '2026-01-01T00:00:10Z',
        completionTime: '2026-01-01T00:01:15Z',
      }),
      undefined,
      [],
    );
    expect(done.durationSeconds).toBe(65);
    const running = toRun(
      'c1',
      obj({ ...cond('Unknown', 'Running'), startTime: '2026-01-01T00:00:10Z' }),
      undefined,
      [],
      Date.parse('2026-01-01T00:00:40Z'),
    );
    expect(running.durationSeconds).toBe(30);
  });
});

// TaskRuns as the Tekton controller writes them after a step failed
const meta = (name: string, labels: Record<string, string> = {}) => ({
  name,
  namespace: 'ns',
  labels,
});

const failedTaskRun = (
  name: string,
  task: string,
  finishedAt: string,
): TektonObject => ({
  metadata: meta(name, { 'tekton.dev/pipelineTask': task }),
  status: {
    podName: `${name}-pod`,
    conditions: [
      {
        type: 'Succeeded',
        status: 'False',
        reason: 'Failed',
        message: '"step-unit" exited with code 2',
      },
    ],
    results: [{ name: 'digest', type: 'string', value: 'sha256:1' }],
    steps: [
      {
        name: 'unit',
        container: 'step-unit',
        terminated: {
          exitCode: 2,
          reason: 'Error',
          startedAt: '2026-12-01T10:00:00Z',
          finishedAt,
        },
      },
      {
        name: 'lint',
        container: 'step-lint',
        terminationReason: 'Skipped',
        terminated: { exitCode: 1, reason: 'Error', finishedAt },
      },
    ],
  },
});

describe('toTaskRun', () => {
  it('maps steps with exit codes and reasons; a step skipped after a failure is Cancelled, not Failed', () => {
    const tr = toTaskRun(
      failedTaskRun('r-test', 'test', '2026-12-01T10:00:05Z'),
    );
    expect(tr).toMatchObject({
      status: 'Failed',
      reason: 'Failed',
      message: '"step-unit" exited with code 2',
      results: { digest: 'sha256:1' },
    });
    expect(tr.steps).toEqual([
      {
        name: 'unit',
        container: 'step-unit',
        status: 'Failed',
        reason: 'Error',
        exitCode: 2,
        startTime: '2026-12-01T10:00:00Z',
        completionTime: '2026-12-01T10:00:05Z',
      },
      expect.objectContaining({
        name: 'lint',
        status: 'Cancelled',
        reason: 'Skipped',
      }),
    ]);
  });
});

describe('toRun: the failing step', () => {
  const run = (status: 'True' | 'False'): TektonObject => ({
    metadata: meta('r', { 'tekton.dev/pipeline': 'p' }),
    spec: { pipelineRef: { name: 'p' } },
    status: {
      startTime: '2026-12-01T10:00:00Z',
      conditions: [{ type: 'Succeeded', status, reason: 'Failed' }],
    },
  });

  it('names the failing step of a failed run: the earliest one to fail', () => {
    const summary = toRun('c', run('False'), undefined, [
      failedTaskRun('r-late', 'late', '2026-12-01T10:00:09Z'),
      failedTaskRun('r-early', 'early', '2026-12-01T10:00:04Z'),
    ]);
    expect(summary.failedStep).toEqual({
      taskRun: 'r-early',
      pipelineTask: 'early',
      step: 'unit',
      exitCode: 2,
      message: '"step-unit" exited with code 2',
    });
  });

  it('names no step when the run did not fail', () => {
    expect(toRun('c', run('True'), undefined, []).failedStep).toBeUndefined();
  });
});
