/*
 * The release history on SQLite (the plugin database of the tests): events deduplicated by
 * Flagger's uid and count, weight points recorded on change only, and the collector's pass over
 * fake clusters (one cluster failing is reported, the others recorded).
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type {
  ClusterRegistryService,
  KubeClients,
} from '@kubemate/plugin-kubemate-node';
import { CanaryObject, toReleaseEvent } from '../Releases/flagger';
import { DatabaseReleaseHistory } from './DatabaseReleaseHistory';
import { ReleaseHistoryCollector } from './ReleaseHistoryCollector';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
const REF = { cluster: 'dev-cluster', namespace: 'payments-dev', name: 'api' };

async function history() {
  const knex = await databases.init('SQLITE_3');
  return new DatabaseReleaseHistory({
    getClient: async () => knex,
  } as any);
}

const kubeEvent = (
  uid: string,
  count: number,
  at: string,
  message: string,
) => ({
  metadata: { uid, name: `api.${uid}` },
  involvedObject: { kind: 'Canary', name: 'api', namespace: 'payments-dev' },
  type: message.startsWith('Halt') ? 'Warning' : 'Normal',
  reason: 'Synced',
  message,
  count,
  lastTimestamp: new Date(at),
});

describe('DatabaseReleaseHistory', () => {
  it('keeps each occurrence of an event once: uid and count', async () => {
    const h = await history();
    const first = [
      kubeEvent('u1', 1, '2026-01-01T00:00:00Z', 'New revision detected'),
      kubeEvent(
        'u2',
        1,
        '2026-01-01T00:00:10Z',
        'Advance api.payments-dev canary weight 10',
      ),
    ].map(toReleaseEvent);
    await h.recordEvents(REF, first);
    await h.recordEvents(REF, first); // the same list again (next collector pass)
    // the apiserver aggregated a repeat of u2: count 2, a later lastTimestamp
    await h.recordEvents(REF, [
      toReleaseEvent(
        kubeEvent(
          'u2',
          2,
          '2026-01-01T00:00:20Z',
          'Advance api.payments-dev canary weight 10',
        ),
      ),
    ]);
    const events = await h.events(REF);
    expect(events.map(e => [e.at, e.message])).toEqual([
      ['2026-01-01T00:00:20.000Z', 'Advance api.payments-dev canary weight 10'],
      ['2026-01-01T00:00:10.000Z', 'Advance api.payments-dev canary weight 10'],
      ['2026-01-01T00:00:00.000Z', 'New revision detected'],
    ]);
    expect(events[0]).toMatchObject({ source: 'flagger', type: 'Normal' });
    expect(await h.events({ ...REF, name: 'other' })).toEqual([]);
    expect(await h.events(REF, { limit: 1 })).toHaveLength(1);
  });

  it('keeps portal events (no key) once, with their actor', async () => {
    const h = await history();
    const e = {
      at: '2026-01-01T00:01:00.000Z',
      type: 'Normal' as const,
      reason: 'Approved',
      message: 'confirm-promotion opened',
      source: 'portal' as const,
      actor: 'user:default/alice',
    };
    await h.recordEvents(REF, [e, e]);
    await h.recordEvents(REF, [e]);
    expect(await h.events(REF)).toEqual([e]);
  });

  it('records a weight point only when the weight or phase changed', async () => {
    const h = await history();
    const at = (s: number) =>
      new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    await h.recordWeight(REF, {
      at: at(0),
      canaryWeight: 0,
      phase: 'Initialized',
    });
    await h.recordWeight(REF, {
      at: at(10),
      canaryWeight: 0,
      phase: 'Initialized',
    });
    await h.recordWeight(REF, {
      at: at(20),
      canaryWeight: 10,
      phase: 'Progressing',
    });
    await h.recordWeight(REF, {
      at: at(30),
      canaryWeight: 10,
      phase: 'Progressing',
    });
    await h.recordWeight(REF, {
      at: at(40),
      canaryWeight: 20,
      phase: 'Progressing',
    });
    await h.recordWeight(REF, {
      at: at(50),
      canaryWeight: 0,
      phase: 'Succeeded',
    });
    expect(await h.weights(REF)).toEqual([
      { at: at(0), canaryWeight: 0, phase: 'Initialized' },
      { at: at(20), canaryWeight: 10, phase: 'Progressing' },
      { at: at(40), canaryWeight: 20, phase: 'Progressing' },
      { at: at(50), canaryWeight: 0, phase: 'Succeeded' },
    ]);
    expect(await h.weights(REF, { sinceMs: Date.parse(at(40)) })).toHaveLength(
      2,
    );
  });
});

describe('ReleaseHistoryCollector', () => {
  const canary = (name: string, weight: number): CanaryObject => ({
    metadata: { name, namespace: 'payments-dev' },
    spec: { targetRef: { kind: 'Deployment', name } },
    status: { phase: 'Progressing', canaryWeight: weight },
  });

  it('records every Canary of every cluster with its events; a failing cluster is reported', async () => {
    const h = await history();
    const dev = {
      cluster: { name: 'dev-cluster' },
      custom: {
        listClusterCustomObject: async (r: any) => {
          expect(r).toMatchObject({ group: 'flagger.app', plural: 'canaries' });
          return { items: [canary('api', 20), canary('web', 0)] };
        },
      },
      core: {
        listEventForAllNamespaces: async (r: any) => {
          expect(r.fieldSelector).toBe('involvedObject.kind=Canary');
          return {
            items: [
              kubeEvent(
                'u1',
                1,
                '2026-01-01T00:00:00Z',
                'New revision detected',
              ),
            ],
          };
        },
      },
    } as unknown as KubeClients;
    const clusters = {
      listClusters: () => [{ name: 'dev-cluster' }, { name: 'broken' }],
      portalClients: (name: string) => {
        if (name === 'broken') {
          return {
            custom: {
              listClusterCustomObject: async () => {
                throw new Error('connect ECONNREFUSED');
              },
            },
            core: { listEventForAllNamespaces: async () => ({ items: [] }) },
          };
        }
        return dev;
      },
    } as unknown as ClusterRegistryService;
    const collector = new ReleaseHistoryCollector({
      clusters,
      history: h,
      logger: mockServices.logger.mock(),
    });
    const result = await collector.collect();
    expect(result).toEqual({
      canaries: 2,
      errors: ['broken: connect ECONNREFUSED'],
    });
    expect((await h.weights(REF)).map(p => p.canaryWeight)).toEqual([20]);
    expect(
      (await h.weights({ ...REF, name: 'web' })).map(p => p.phase),
    ).toEqual(['Progressing']);
    expect((await h.events(REF)).map(e => e.message)).toEqual([
      'New revision detected',
    ]);
    expect(await h.events({ ...REF, name: 'web' })).toEqual([]);
  });

  it('schedules itself globally at the configured interval', async () => {
    const scheduler = mockServices.scheduler.mock();
    const collector = new ReleaseHistoryCollector({
      clusters: { listClusters: () => [] } as any,
      history: await history(),
      logger: mockServices.logger.mock(),
    });
    await collector.schedule(scheduler, 15);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'canary-release-history',
        scope: 'global',
        frequency: { seconds: 15 },
      }),
    );
  });
});
