/*
 * The diff of two runs (plain data): states by fingerprint, not comparable findings where head
 * did not run the check cleanly, and the reasons runs are not comparable.
 */
import type {
  CheckRunResult,
  Finding,
  RunDetails,
} from '@kubemate/plugin-inspections-common';
import { diffRuns } from './diff';

const finding = (fp: string, checkId: string, cluster?: string): Finding => ({
  fingerprint: fp,
  checkId,
  checkVersion: 1,
  category: 'cluster',
  severity: 'high',
  title: checkId,
  message: fp,
  object: { ...(cluster ? { cluster } : {}), kind: 'Pod', name: fp },
  evidence: {},
  status: 'failed',
});

const result = (
  checkId: string,
  status: CheckRunResult['status'],
  cluster?: string,
): CheckRunResult => ({
  checkId,
  checkVersion: 1,
  category: 'cluster',
  severity: 'high',
  ...(cluster ? { cluster } : {}),
  status,
  failed: status === 'failed' ? 1 : 0,
  exempted: 0,
  durationMs: 1,
});

const run = (
  id: string,
  checks: CheckRunResult[],
  findings: Finding[],
  extra: Partial<RunDetails> = {},
): RunDetails => ({
  id,
  trigger: 'user',
  scope: { clusters: ['dev-cluster'] },
  status: 'succeeded',
  startedAt: '2026-03-01T00:00:00.000Z',
  rulesetHash: 'a'.repeat(64),
  coverage: { planned: 2, executed: 2, errors: 0, skipped: 0 },
  findingsBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 },
  checks,
  findings,
  hiddenFindings: 0,
  ...extra,
});

describe('diffRuns', () => {
  it('sorts findings into new, resolved, unchanged and not comparable', () => {
    const base = run(
      'base',
      [
        result('cluster.a', 'failed', 'dev-cluster'),
        result('cluster.b', 'failed', 'dev-cluster'),
        result('host.c', 'failed'),
      ],
      [
        finding('kept', 'cluster.a', 'dev-cluster'),
        finding('fixed', 'cluster.a', 'dev-cluster'),
        finding('unknown', 'cluster.b', 'dev-cluster'),
        finding('host-fixed', 'host.c', 'dev-cluster'),
      ],
    );
    const head = run(
      'head',
      [
        result('cluster.a', 'failed', 'dev-cluster'),
        result('cluster.b', 'error', 'dev-cluster'),
        result('host.c', 'passed'),
      ],
      [
        finding('kept', 'cluster.a', 'dev-cluster'),
        finding('fresh', 'cluster.a', 'dev-cluster'),
      ],
    );
    const d = diffRuns(base, head);
    const names = (fs: Finding[]) => fs.map(f => f.fingerprint);
    expect(names(d.new)).toEqual(['fresh']);
    expect(names(d.unchanged)).toEqual(['kept']);
    // a global check's finding naming a cluster is judged on the global execution
    expect(names(d.resolved)).toEqual(['fixed', 'host-fixed']);
    expect(names(d.notComparable)).toEqual(['unknown']);
    expect(d.comparable).toBe(false);
    expect(d.reasons).toEqual([
      'coverage differs: cluster.b on dev-cluster errored in head',
    ]);
    expect(d.base).not.toHaveProperty('findings');
    expect(d.head.id).toBe('head');
  });

  it('is comparable for the same ruleset, scope and clean executions', () => {
    const checks = [result('cluster.a', 'passed', 'dev-cluster')];
    const d = diffRuns(run('b', checks, []), run('h', checks, []));
    expect(d).toMatchObject({ comparable: true, reasons: [] });
  });

  it('names every reason runs are not comparable', () => {
    const base = run('b', [result('cluster.a', 'passed', 'dev-cluster')], [], {
      scope: { clusters: ['dev-cluster'], namespaces: ['payments-*'] },
    });
    const head = run(
      'h',
      [
        result('cluster.a', 'skipped', 'dev-cluster'),
        result('cluster.new', 'passed', 'dev-cluster'),
      ],
      [],
      {
        rulesetHash: 'b'.repeat(64),
        scope: {
          clusters: ['dev-cluster', 'prod-cluster'],
          categories: ['cluster'],
        },
      },
    );
    expect(diffRuns(base, head).reasons).toEqual([
      'the rulesets differ (aaaaaaaaaaaa vs bbbbbbbbbbbb): checks, versions or thresholds changed',
      'the scopes differ: clusters dev-cluster vs dev-cluster, prod-cluster',
      'the scopes differ: namespaces payments-* vs all',
      'the scopes differ: categories all vs cluster',
      'coverage differs: cluster.a on dev-cluster was skipped in head',
      'coverage differs: cluster.new on dev-cluster did not run in base',
    ]);
  });
});
