/*
 * The store on SQLite: run listing by cluster and paging, the previous run over the same
 * clusters, findings in chunks, one open exemption per finding, expiry and the one-time warning,
 * the event archive's upsert, and retention.
 */
import type {
  Exemption,
  Finding,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import { testStore } from '../../__testUtils__/fakes';

const summary = (
  id: string,
  clusters: string[],
  startedAt: string,
  status: RunSummary['status'] = 'succeeded',
): RunSummary => ({
  id,
  trigger: 'schedule',
  scope: { clusters },
  status,
  startedAt,
  rulesetHash: 'h',
  coverage: { planned: 0, executed: 0, errors: 0, skipped: 0 },
  findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
});

const finding = (i: number): Finding => ({
  fingerprint: `fp-${i}`,
  checkId: 'cluster.a',
  checkVersion: 1,
  category: 'cluster',
  severity: 'low',
  title: 'A',
  message: `finding ${i}`,
  object: {
    cluster: 'dev_cluster',
    namespace: 'ns',
    kind: 'Pod',
    name: `p-${i}`,
  },
  evidence: { measured: `${i}` },
  status: 'failed',
});

const exemption = (
  id: string,
  expiresAt: string,
  status: Exemption['status'] = 'pending',
): Exemption => ({
  id,
  fingerprint: 'fp-1',
  checkId: 'cluster.a',
  object: { cluster: 'dev_cluster', namespace: 'ns', kind: 'Pod', name: 'p-1' },
  reason: 'r',
  ticket: 'T-1',
  requestedBy: 'user:default/bob',
  requestedAt: '2026-03-01T00:00:00.000Z',
  expiresAt,
  status,
});

describe('DatabaseInspectionStore', () => {
  it('lists runs by cluster, pages them and finds the previous run over the same clusters', async () => {
    const store = await testStore();
    await store.insertRun(
      summary('r1', ['dev_cluster'], '2026-03-01T00:00:00.000Z'),
    );
    await store.insertRun(
      summary('r2', ['dev_cluster', 'prod'], '2026-03-02T00:00:00.000Z'),
    );
    await store.insertRun(
      summary('r3', ['devxcluster'], '2026-03-03T00:00:00.000Z'),
    );
    await store.insertRun(
      summary('r4', ['dev_cluster'], '2026-03-04T00:00:00.000Z', 'running'),
    );
    // `_` is a LIKE wildcard: devxcluster must not count as dev_cluster
    const dev = await store.listRuns({ cluster: 'dev_cluster' });
    expect(dev.runs.map(r => r.id)).toEqual(['r4', 'r2', 'r1']);
    expect(dev.total).toBe(3);
    const page = await store.listRuns({ limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 4, runs: [{ id: 'r3' }] });
    expect(
      (await store.finishedRunsOf('dev_cluster', 5)).map(r => r.id),
    ).toEqual(['r2', 'r1']);
    expect((await store.runningRunsOf('dev_cluster')).map(r => r.id)).toEqual([
      'r4',
    ]);
    expect(
      (await store.previousRun(['dev_cluster'], '2026-03-05T00:00:00.000Z'))
        ?.id,
    ).toBe('r1');
    expect(
      (
        await store.previousRun(
          ['prod', 'dev_cluster'],
          '2026-03-05T00:00:00.000Z',
        )
      )?.id,
    ).toBe('r2');
    expect(
      await store.previousRun(['dev_cluster'], '2026-03-01T00:00:00.000Z'),
    ).toBeUndefined();
    // the newest start by trigger (the scheduled-run guard of several replicas)
    expect(await store.latestStartOf('schedule')).toBe(
      Date.parse('2026-03-04T00:00:00.000Z'),
    );
    expect(await store.latestStartOf('user')).toBeUndefined();
  });

  it('stores a completed run with many findings (chunked) and deletes old runs', async () => {
    const store = await testStore();
    const run = summary(
      'r1',
      ['dev_cluster'],
      '2026-03-01T00:00:00.000Z',
      'running',
    );
    await store.insertRun(run);
    const findings = Array.from({ length: 500 }, (_, i) => finding(i));
    await store.completeRun({
      summary: {
        ...run,
        status: 'succeeded',
        finishedAt: '2026-03-01T00:01:00.000Z',
      },
      checks: [
        {
          checkId: 'cluster.a',
          checkVersion: 1,
          category: 'cluster',
          severity: 'low',
          cluster: 'dev_cluster',
          status: 'failed',
          evaluated: 600,
          failed: 500,
          exempted: 0,
          durationMs: 12.7,
        },
      ],
      findings,
      history: [
        {
          checkId: 'cluster.a',
          key: 'k',
          value: 1.5,
          at: new Date('2026-03-01T00:01:00Z'),
        },
      ],
    });
    expect((await store.getRun('r1'))?.status).toBe('succeeded');
    const stored = await store.findings('r1');
    expect(stored).toHaveLength(500);
    expect(stored[7]).toEqual(findings[7]);
    expect(await store.finding('r1', 'fp-3')).toEqual(findings[3]);
    expect((await store.checkResults('r1'))[0]).toMatchObject({
      evaluated: 600,
      durationMs: 13,
    });
    expect(await store.previousValue('cluster.a', 'k')).toEqual({
      value: 1.5,
      at: new Date('2026-03-01T00:01:00Z'),
    });
    // a run another replica declared stopped does not complete
    await store.insertRun(
      summary('r2', ['dev_cluster'], '2026-03-01T00:00:00.000Z', 'running'),
    );
    await store.failRun(
      'r2',
      'its replica stopped',
      new Date('2026-03-01T00:05:00Z'),
    );
    await expect(
      store.completeRun({
        summary: summary('r2', ['dev_cluster'], '2026-03-01T00:00:00.000Z'),
        checks: [],
        findings: [finding(1)],
        history: [],
      }),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    expect(await store.getRun('r2')).toMatchObject({
      status: 'failed',
      message: 'its replica stopped',
    });
    expect(await store.findings('r2')).toEqual([]);
    expect(await store.deleteRunsBefore(new Date('2026-03-02T00:00:00Z'))).toBe(
      2,
    );
    expect(await store.getRun('r1')).toBeUndefined();
    expect(await store.findings('r1')).toEqual([]);
    expect(await store.previousValue('cluster.a', 'k')).toBeUndefined();
  });

  it('keeps one open exemption per finding; expires and warns once', async () => {
    const store = await testStore();
    await store.insertExemption(exemption('e1', '2026-03-10T00:00:00.000Z'));
    await expect(
      store.insertExemption(exemption('e2', '2026-03-10T00:00:00.000Z')),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: 'finding fp-1 already has a pending exemption (e1)',
    });
    const at = new Date('2026-03-02T00:00:00Z');
    expect(
      await store.decideExemption('e1', 'pending', 'active', {
        by: 'user:default/admin',
        at,
      }),
    ).toBe(true);
    expect(
      await store.decideExemption('e1', 'pending', 'active', {
        by: 'user:default/admin',
        at,
      }),
    ).toBe(false);
    // warned once when within the window
    const now = new Date('2026-03-05T00:00:00Z');
    expect(
      (await store.takeExpiring(new Date('2026-03-12T00:00:00Z'), now)).map(
        e => e.id,
      ),
    ).toEqual(['e1']);
    expect(
      await store.takeExpiring(new Date('2026-03-12T00:00:00Z'), now),
    ).toEqual([]);
    expect(await store.expireDue(now)).toEqual([]);
    const expired = await store.expireDue(new Date('2026-03-10T00:00:00Z'));
    expect(expired.map(e => [e.id, e.status])).toEqual([['e1', 'expired']]);
    // a new request is possible again once the old one is closed
    await store.insertExemption(exemption('e3', '2026-04-01T00:00:00.000Z'));
    expect(
      (await store.listExemptions({ status: ['pending'] })).map(e => e.id),
    ).toEqual(['e3']);
  });

  it('upserts archived events by cluster and uid and drops old ones', async () => {
    const store = await testStore();
    const event = {
      uid: 'u1',
      cluster: 'dev_cluster',
      namespace: 'ns',
      kind: 'Pod',
      name: 'p',
      reason: 'BackOff',
      message: 'Back-off restarting failed container',
      count: 1,
      firstSeen: new Date('2026-03-01T00:00:00Z'),
      lastSeen: new Date('2026-03-01T00:00:00Z'),
    };
    await store.upsertEvents([event]);
    await store.upsertEvents([
      { ...event, count: 7, lastSeen: new Date('2026-03-01T01:00:00Z') },
    ]);
    await store.upsertEvents([{ ...event, cluster: 'prod' }]);
    const warnings = await store.warnings(
      'dev_cluster',
      new Date('2026-02-28T00:00:00Z'),
    );
    expect(warnings).toEqual([
      {
        cluster: 'dev_cluster',
        namespace: 'ns',
        kind: 'Pod',
        name: 'p',
        reason: 'BackOff',
        message: 'Back-off restarting failed container',
        count: 7,
        firstSeen: new Date('2026-03-01T00:00:00Z'),
        lastSeen: new Date('2026-03-01T01:00:00Z'),
      },
    ]);
    expect(
      await store.warnings('dev_cluster', new Date('2026-03-01T02:00:00Z')),
    ).toEqual([]);
    expect(
      await store.deleteEventsBefore(new Date('2026-03-01T00:30:00Z')),
    ).toBe(1);
    expect(await store.warnings('prod', new Date(0))).toEqual([]);
  });
});
