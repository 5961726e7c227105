import { statusOf, toRun, TektonObject } from './tekton';

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
