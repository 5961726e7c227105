/*
 * The engine on a real SQLite plugin database with test checks (plain functions over fixed data):
 * isolation of a throwing and a hanging check, stable fingerprints, the run's namespace scope,
 * entity mapping, exemptions (active hides, expired fails again), the ruleset hash, locks.
 */
import { mockServices } from '@backstage/backend-test-utils';
import type {
  Exemption,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import type {
  FindingDraft,
  InspectionCheck,
} from '@kubemate/plugin-inspections-node';
import {
  fakeCatalog,
  fakeNotifier,
  testCheck,
  testStore,
} from '../../__testUtils__/fakes';
import type { InspectionNotifier } from '../Notifier/types';
import { DatabaseInspectionStore } from '../Store';
import { DefaultInspectionEngine } from './DefaultInspectionEngine';
import { Ruleset } from './ruleset';

const pod = (
  namespace: string,
  name: string,
  labels?: Record<string, string>,
): FindingDraft => ({
  object: { namespace, kind: 'Pod', name },
  message: `${name} is crash-looping`,
  evidence: { measured: '12 restarts', expected: '< 5' },
  labels,
});

async function engine(
  checks: InspectionCheck[],
  opts?: {
    store?: DatabaseInspectionStore;
    now?: () => Date;
    overrides?: Record<string, unknown>;
    notifier?: InspectionNotifier;
  },
) {
  const store = opts?.store ?? (await testStore());
  const notifier = opts?.notifier ?? fakeNotifier();
  const e = new DefaultInspectionEngine({
    store,
    ruleset: new Ruleset(checks, {
      overrides: opts?.overrides,
      defaultTimeoutMs: 2000,
    }),
    sources: {} as any,
    catalog: fakeCatalog(),
    auth: mockServices.auth(),
    notifier,
    logger: mockServices.logger.mock(),
    now: opts?.now,
  });
  return { engine: e, store, notifier };
}

async function runToEnd(
  e: DefaultInspectionEngine,
  store: DatabaseInspectionStore,
  scope: Partial<RunSummary['scope']> = {},
) {
  const started = await e.start({
    trigger: 'user',
    triggeredBy: 'user:default/admin',
    scope: { clusters: ['dev-cluster'], ...scope },
  });
  expect(started.status).toBe('running');
  await e.idle();
  const run = (await store.getRun(started.id))!;
  return {
    run,
    checks: await store.checkResults(started.id),
    findings: await store.findings(started.id),
  };
}

describe('DefaultInspectionEngine', () => {
  it('isolates checks: a throw and a hang are errors, the others still run', async () => {
    let sawAbort = false;
    const { engine: e, store } = await engine([
      testCheck('cluster.throws', async () => {
        throw new Error('informer not synced');
      }),
      testCheck(
        'cluster.hangs',
        ctx =>
          new Promise(() => {
            ctx.signal.addEventListener('abort', () => {
              sawAbort = true;
            });
          }),
        { timeoutMs: 50 },
      ),
      testCheck('cluster.finds', async () => ({
        findings: [pod('payments-dev', 'api-1')],
        evaluated: 4,
      })),
      testCheck('cluster.skips', async () => ({
        findings: [],
        skipped: 'no etcd configured',
      })),
    ]);
    const { run, checks } = await runToEnd(e, store);
    const byId = Object.fromEntries(checks.map(c => [c.checkId, c]));
    expect(byId['cluster.throws']).toMatchObject({
      status: 'error',
      message: 'informer not synced',
      cluster: 'dev-cluster',
    });
    expect(byId['cluster.hangs']).toMatchObject({
      status: 'error',
      message: 'timed out after 50 ms',
    });
    expect(sawAbort).toBe(true);
    expect(byId['cluster.finds']).toMatchObject({
      status: 'failed',
      failed: 1,
      evaluated: 4,
    });
    expect(byId['cluster.skips']).toMatchObject({
      status: 'skipped',
      message: 'no etcd configured',
    });
    expect(run.status).toBe('succeeded');
    expect(run.coverage).toEqual({
      planned: 4,
      executed: 1,
      errors: 2,
      skipped: 1,
    });
    // errors weigh as 0: (0 + 0 + 5 × 0.5 × 3/4) / 15
    expect(run.scores?.overall).toBe(12.5);
    expect(run.clusterScores?.['dev-cluster']?.overall).toBe(12.5);
    expect(run.findingsBySeverity.high).toBe(1);
  });

  it('gives the same fingerprints to the same objects in two runs', async () => {
    let restarts = 10;
    const { engine: e, store } = await engine([
      testCheck('cluster.restarts', async () => ({
        findings: [
          pod('payments-dev', 'api-1'),
          pod('risk-dev', 'scorer-0'),
        ].map(f => ({
          ...f,
          evidence: { measured: `${restarts++} restarts` },
        })),
      })),
    ]);
    const first = await runToEnd(e, store);
    const second = await runToEnd(e, store);
    expect(first.run.id).not.toBe(second.run.id);
    expect(second.findings.map(f => f.fingerprint)).toEqual(
      first.findings.map(f => f.fingerprint),
    );
    expect(new Set(first.findings.map(f => f.fingerprint)).size).toBe(2);
    expect(first.findings[0].object.cluster).toBe('dev-cluster');
    expect(second.findings[0].evidence.measured).not.toBe(
      first.findings[0].evidence.measured,
    );
  });

  it("drops findings outside the run's namespaces; keeps those without a namespace", async () => {
    const seen: boolean[] = [];
    const { engine: e, store } = await engine([
      testCheck('cluster.mixed', async ctx => {
        seen.push(
          ctx.namespaceInScope('payments-dev'),
          ctx.namespaceInScope('kube-system'),
        );
        return {
          findings: [
            pod('payments-dev', 'api-1'),
            pod('kube-system', 'coredns-1'),
            {
              object: { kind: 'Node', name: 'node-1' },
              message: 'NotReady',
              evidence: {},
            },
          ],
        };
      }),
    ]);
    const { findings, run } = await runToEnd(e, store, {
      namespaces: ['payments-*'],
    });
    expect(seen).toEqual([true, false]);
    expect(findings.map(f => f.object.name).sort()).toEqual([
      'api-1',
      'node-1',
    ]);
    expect(run.scope.namespaces).toEqual(['payments-*']);
  });

  it('maps findings to components by labels, to cluster resources, and keeps a given entityRef', async () => {
    const { engine: e, store } = await engine([
      testCheck('cluster.mapped', async () => ({
        findings: [
          pod('payments-dev', 'api-1', {
            'backstage.io/kubernetes-id': 'payments-api',
          }),
          pod('payments-dev', 'other-1', { app: 'other' }),
          {
            object: { kind: 'Node', name: 'node-1' },
            message: 'NotReady',
            evidence: {},
          },
          {
            object: { kind: 'Database', name: 'portal' },
            message: 'slow',
            evidence: {},
            entityRef: 'component:default/payments-api',
          },
        ],
      })),
    ]);
    const { findings } = await runToEnd(e, store);
    const byName = Object.fromEntries(findings.map(f => [f.object.name, f]));
    expect(byName['api-1']).toMatchObject({
      entityRef: 'component:default/payments-api',
      owner: 'group:default/team-payments',
    });
    expect(byName['other-1'].entityRef).toBeUndefined();
    expect(byName['node-1']).toMatchObject({
      entityRef: 'resource:default/dev-cluster',
      owner: 'group:default/platform',
    });
    expect(byName.portal.entityRef).toBe('component:default/payments-api');
  });

  it('exempts findings with an active exemption; once expired they fail again and are notified', async () => {
    let now = new Date('2026-03-01T10:00:00Z');
    const store = await testStore();
    const notifier = fakeNotifier();
    const { engine: e } = await engine(
      [
        testCheck('cluster.restarts', async () => ({
          findings: [
            pod('payments-dev', 'api-1'),
            pod('payments-dev', 'api-2'),
          ],
        })),
      ],
      { store, now: () => now, notifier },
    );
    const first = await runToEnd(e, store);
    const target = first.findings.find(f => f.object.name === 'api-1')!;
    const exemption: Exemption = {
      id: 'ex-1',
      fingerprint: target.fingerprint,
      checkId: target.checkId,
      object: target.object,
      reason: 'accepted until the migration',
      ticket: 'CHG-1',
      requestedBy: 'user:default/alice',
      requestedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 3600_000).toISOString(),
      status: 'pending',
    };
    await store.insertExemption(exemption);
    expect(
      await store.decideExemption('ex-1', 'pending', 'active', {
        by: 'user:default/admin',
        at: now,
      }),
    ).toBe(true);

    // a minute later (runs of the same instant would have no order to tell the previous one by)
    now = new Date(now.getTime() + 60_000);
    const second = await runToEnd(e, store);
    const hidden = second.findings.find(f => f.object.name === 'api-1')!;
    expect(hidden).toMatchObject({ status: 'exempted', exemptionId: 'ex-1' });
    expect(second.checks[0]).toMatchObject({ failed: 1, exempted: 1 });
    expect(second.run.findingsBySeverity.high).toBe(1);

    now = new Date(now.getTime() + 2 * 3600_000);
    const third = await runToEnd(e, store);
    expect(third.findings.find(f => f.object.name === 'api-1')).toMatchObject({
      status: 'failed',
    });
    expect(third.run.findingsBySeverity.high).toBe(2);
    expect((await store.getExemption('ex-1'))?.status).toBe('expired');
    expect(notifier.exemptionsExpired).toHaveBeenCalledWith([
      expect.objectContaining({ id: 'ex-1', status: 'expired' }),
    ]);
    expect(notifier.runFinished).toHaveBeenCalledTimes(3);
    const last = (notifier.runFinished.mock.calls as any[])[2][0];
    expect(last.run.id).toBe(third.run.id);
    expect(last.previous.id).toBe(second.run.id);
  });

  it('keeps check history between runs', async () => {
    const previous: unknown[] = [];
    let size = 100;
    const { engine: e, store } = await engine([
      testCheck('database.table-growth', async ctx => {
        previous.push((await ctx.history.previous('portal/t1'))?.value);
        ctx.history.record('portal/t1', size);
        size += 50;
        return { findings: [] };
      }),
    ]);
    await runToEnd(e, store);
    await runToEnd(e, store);
    expect(previous).toEqual([undefined, 100]);
  });

  it('runs global checks once and filters by category', async () => {
    const calls: (string | undefined)[] = [];
    const { engine: e, store } = await engine([
      testCheck(
        'host.cpu',
        async ctx => {
          calls.push(ctx.cluster);
          return { findings: [] };
        },
        { scope: 'global', category: 'host' },
      ),
      testCheck('cluster.nodes', async ctx => {
        calls.push(ctx.cluster);
        return { findings: [] };
      }),
    ]);
    const { run } = await runToEnd(e, store, {
      clusters: ['dev-cluster', 'prod-cluster'],
    });
    expect(calls.sort()).toEqual(['dev-cluster', 'prod-cluster', undefined]);
    expect(run.coverage.planned).toBe(3);
    calls.length = 0;
    await runToEnd(e, store, {
      clusters: ['dev-cluster', 'prod-cluster'],
      categories: ['host'],
    });
    expect(calls).toEqual([undefined]);
  });
});

describe('Ruleset', () => {
  const checks = [
    testCheck('cluster.a', async () => ({ findings: [] }), {
      thresholds: { days: 30 },
    }),
    testCheck('cluster.b', async () => ({ findings: [] })),
  ];

  it('changes its hash with thresholds, versions and enabled checks, not with order', () => {
    const base = new Ruleset(checks, { defaultTimeoutMs: 1 });
    expect(
      new Ruleset([...checks].reverse(), { defaultTimeoutMs: 1 }).hash,
    ).toBe(base.hash);
    const tuned = new Ruleset(checks, {
      defaultTimeoutMs: 1,
      overrides: { 'cluster.a': { thresholds: { days: 7 } } },
    });
    expect(tuned.hash).not.toBe(base.hash);
    expect(tuned.infos()[0].thresholds).toEqual({ days: 7 });
    const nested = new Ruleset(checks, {
      defaultTimeoutMs: 1,
      overrides: { cluster: { a: { thresholds: { days: 7 } } } },
    });
    expect(nested.hash).toBe(tuned.hash);
    const off = new Ruleset(checks, {
      defaultTimeoutMs: 1,
      overrides: { 'cluster.b': { enabled: false, timeoutMs: 5 } },
    });
    expect(off.hash).not.toBe(base.hash);
    expect(off.enabled().map(c => c.info.id)).toEqual(['cluster.a']);
    expect(off.checks[1]).toMatchObject({ timeoutMs: 5 });
    const bumped = new Ruleset([{ ...checks[0], version: 2 }, checks[1]], {
      defaultTimeoutMs: 1,
    });
    expect(bumped.hash).not.toBe(base.hash);
  });

  it('refuses two checks with one id', () => {
    expect(
      () => new Ruleset([checks[0], checks[0]], { defaultTimeoutMs: 1 }),
    ).toThrow(
      'inspections: two checks have the id cluster.a; check ids must be unique',
    );
  });
});

describe('cluster locks', () => {
  it('refuses a second run on a busy cluster (409) and releases the locks at the end', async () => {
    let release!: () => void;
    const gate = new Promise<void>(r => {
      release = r;
    });
    const { engine: e, store } = await engine([
      testCheck('cluster.slow', async () => {
        await gate;
        return { findings: [] };
      }),
    ]);
    const first = await e.start({
      trigger: 'user',
      scope: { clusters: ['dev-cluster', 'prod-cluster'] },
    });
    await expect(
      e.start({ trigger: 'schedule', scope: { clusters: ['prod-cluster'] } }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      message: `prod-cluster is being inspected by run ${first.id}`,
    });
    expect((await store.runningRunsOf('prod-cluster')).map(r => r.id)).toEqual([
      first.id,
    ]);
    release();
    await e.idle();
    const second = await e.start({
      trigger: 'schedule',
      scope: { clusters: ['prod-cluster'] },
    });
    await e.idle();
    expect((await store.getRun(second.id))?.status).toBe('succeeded');
  });

  it('steals a lock whose heartbeat is stale and marks its run failed', async () => {
    const store = await testStore();
    const now = new Date('2026-03-01T10:00:00Z');
    const stale: RunSummary = {
      id: 'dead-run',
      trigger: 'schedule',
      scope: { clusters: ['dev-cluster'] },
      status: 'running',
      startedAt: new Date(now.getTime() - 600_000).toISOString(),
      rulesetHash: 'x',
      coverage: { planned: 1, executed: 0, errors: 0, skipped: 0 },
      findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
    };
    await store.insertRun(stale);
    await store.lockClusters(
      'dead-run',
      ['dev-cluster'],
      new Date(now.getTime() - 600_000),
      new Date(0),
    );
    const { engine: e } = await engine(
      [testCheck('cluster.ok', async () => ({ findings: [] }))],
      { store, now: () => now },
    );
    const run = await e.start({
      trigger: 'user',
      scope: { clusters: ['dev-cluster'] },
    });
    await e.idle();
    expect((await store.getRun(run.id))?.status).toBe('succeeded');
    expect(await store.getRun('dead-run')).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/^its replica stopped/),
    });
  });
});
