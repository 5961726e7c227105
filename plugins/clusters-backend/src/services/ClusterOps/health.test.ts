import { V1Pod } from '@kubernetes/client-node';
import { podHealth, summarizePod, workloadHealth } from './health';

const pod = (status: V1Pod['status'], extra: Partial<V1Pod> = {}): V1Pod => ({
  metadata: { name: 'p', namespace: 'ns' },
  status,
  ...extra,
});

describe('podHealth', () => {
  it('recognises crash loops, image pull failures and OOM kills', () => {
    expect(
      podHealth(
        pod({
          phase: 'Running',
          containerStatuses: [
            {
              name: 'c',
              image: 'i',
              imageID: '',
              ready: false,
              restartCount: 4,
              state: { waiting: { reason: 'CrashLoopBackOff' } },
              lastState: { terminated: { exitCode: 1, reason: 'Error' } },
            },
          ],
        }),
      ),
    ).toMatchObject({ status: 'error', reason: 'CrashLoopBackOff' });
    expect(
      podHealth(
        pod({
          phase: 'Pending',
          containerStatuses: [
            {
              name: 'c',
              image: 'i:nope',
              imageID: '',
              ready: false,
              restartCount: 0,
              state: { waiting: { reason: 'ImagePullBackOff' } },
            },
          ],
        }),
      ),
    ).toMatchObject({ status: 'error', reason: 'ImagePullBackOff' });
    expect(
      podHealth(
        pod({
          phase: 'Running',
          containerStatuses: [
            {
              name: 'c',
              image: 'i',
              imageID: '',
              ready: true,
              restartCount: 1,
              state: { running: {} },
              lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
            },
          ],
        }),
      ),
    ).toMatchObject({ status: 'error', reason: 'OOMKilled' });
  });

  it('recognises unschedulable, pending, not ready, restarting and healthy pods', () => {
    expect(
      podHealth(
        pod({
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/5 nodes are available',
            },
          ],
        }),
      ),
    ).toEqual({
      status: 'error',
      reason: 'Unschedulable',
      message: '0/5 nodes are available',
    });
    expect(podHealth(pod({ phase: 'Pending' })).reason).toBe('Pending');
    const running = (ready: boolean, restartCount: number) =>
      pod({
        phase: 'Running',
        containerStatuses: [
          {
            name: 'c',
            image: 'i',
            imageID: '',
            ready,
            restartCount,
            state: { running: {} },
          },
        ],
      });
    expect(podHealth(running(false, 0)).reason).toBe('NotReady');
    expect(podHealth(running(true, 2))).toMatchObject({
      status: 'warning',
      reason: 'Restarting',
    });
    expect(podHealth(running(true, 0))).toEqual({
      status: 'ok',
      reason: 'Healthy',
    });
    expect(summarizePod(running(true, 3)).restarts).toBe(3);
  });
});

describe('workloadHealth', () => {
  it('reports the worst pod and missing replicas', () => {
    expect(workloadHealth([], 2, 0)).toMatchObject({
      status: 'warning',
      reason: 'Progressing',
    });
    expect(workloadHealth([], 2, 2)).toEqual({
      status: 'ok',
      reason: 'Healthy',
    });
  });
});
