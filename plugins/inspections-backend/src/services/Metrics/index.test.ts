import type {
  CheckRunResult,
  RunSummary,
  Severity,
} from '@kubemate/plugin-inspections-common';
import { scoreRun } from '@kubemate/plugin-inspections-common';
import express from 'express';
import request from 'supertest';
import { createInspectionMetrics } from '.';

const result = (
  checkId: string,
  category: CheckRunResult['category'],
  cluster: string | undefined,
  status: CheckRunResult['status'],
  failed = 0,
): CheckRunResult => ({
  checkId,
  checkVersion: 1,
  category,
  severity: 'high',
  cluster,
  status,
  evaluated: 10,
  failed,
  exempted: 0,
  durationMs: 5,
});

const counts = (c: Partial<Record<Severity, number>>) =>
  ({ critical: 0, high: 0, medium: 0, low: 0, info: 0, ...c } as Record<
    Severity,
    number
  >);

function run(
  id: string,
  finishedAt: string,
  clusters: string[],
  results: CheckRunResult[],
  perCluster?: Record<string, Record<Severity, number>>,
): RunSummary {
  return {
    id,
    trigger: 'schedule',
    scope: { clusters },
    status: 'succeeded',
    startedAt: finishedAt,
    finishedAt,
    rulesetHash: 'h',
    coverage: {
      planned: results.length,
      executed: results.length,
      errors: 0,
      skipped: 0,
    },
    scores: scoreRun(results),
    clusterScores: Object.fromEntries(
      clusters.map(c => [c, scoreRun(results.filter(r => r.cluster === c))]),
    ),
    findingsBySeverity: counts({ high: 7, medium: 1 }),
    clusterFindingsBySeverity: perCluster,
  };
}

// both clusters at 02:00; dev-cluster alone again at 03:00 (so prod's latest is the older run)
const older = run(
  'run-a',
  '2026-12-01T02:00:00.000Z',
  ['dev-cluster', 'prod-cluster'],
  [
    result('cluster.nodes', 'cluster', 'dev-cluster', 'passed'),
    result('cluster.nodes', 'cluster', 'prod-cluster', 'failed', 5),
    result('security.root', 'security', 'prod-cluster', 'error'),
    result('host.disk', 'host', undefined, 'failed', 2),
  ],
  {
    'dev-cluster': counts({}),
    'prod-cluster': counts({ high: 5 }),
  },
);
const newer = run(
  'run-b',
  '2026-12-01T03:00:00.000Z',
  ['dev-cluster'],
  [
    result('cluster.nodes', 'cluster', 'dev-cluster', 'failed', 10),
    result('security.root', 'security', 'dev-cluster', 'passed'),
  ],
  { 'dev-cluster': counts({ high: 10, low: 1 }) },
);

/** `name{labels} value` lines of the exposition, without comments. */
const samples = (text: string) =>
  text.split('\n').filter(l => l && !l.startsWith('#'));

describe('createInspectionMetrics', () => {
  it('exposes each cluster from its latest finished run, reading the runs once per scrape', async () => {
    const latestRuns = jest.fn(async () => [newer, older]);
    const { registry } = createInspectionMetrics({ latestRuns });
    const lines = samples(await registry.metrics());
    expect(latestRuns).toHaveBeenCalledTimes(1);
    expect(lines).toEqual(
      expect.arrayContaining([
        // dev-cluster from run-b: its one cluster check failed 10 of 10 (0), security passed
        'kubemate_inspections_score{cluster="dev-cluster",category="overall"} 50',
        'kubemate_inspections_score{cluster="dev-cluster",category="cluster"} 0',
        'kubemate_inspections_score{cluster="dev-cluster",category="security"} 100',
        'kubemate_inspections_grade{cluster="dev-cluster"} 2',
        'kubemate_inspections_findings{cluster="dev-cluster",severity="high"} 10',
        'kubemate_inspections_findings{cluster="dev-cluster",severity="low"} 1',
        'kubemate_inspections_check_errors{cluster="dev-cluster"} 0',
        'kubemate_inspections_last_run_timestamp_seconds{cluster="dev-cluster"} 1796094000',
        // prod-cluster from run-a: 5 of 10 failing (0.25) and an error (0)
        'kubemate_inspections_score{cluster="prod-cluster",category="overall"} 12.5',
        'kubemate_inspections_score{cluster="prod-cluster",category="security"} 0',
        'kubemate_inspections_grade{cluster="prod-cluster"} 1',
        'kubemate_inspections_findings{cluster="prod-cluster",severity="high"} 5',
        'kubemate_inspections_check_errors{cluster="prod-cluster"} 1',
        'kubemate_inspections_last_run_timestamp_seconds{cluster="prod-cluster"} 1796090400',
        // the latest run as a whole
        'kubemate_inspections_run_score{category="overall"} 50',
        'kubemate_inspections_run_findings{severity="high"} 7',
      ]),
    );
    expect(
      lines.filter(l => l.includes('prod-cluster') && l.includes('host')),
    ).toEqual([]);
    expect(
      lines.filter(l => l.startsWith('kubemate_inspections_grade')),
    ).toHaveLength(2);
  });

  it('forgets clusters that are no longer in the latest runs', async () => {
    let runs = [newer, older];
    const { registry } = createInspectionMetrics({
      latestRuns: async () => runs,
    });
    expect(await registry.metrics()).toContain('prod-cluster');
    runs = [newer];
    const text = await registry.metrics();
    expect(text).not.toContain('prod-cluster');
    expect(text).toContain(
      'kubemate_inspections_grade{cluster="dev-cluster"} 2',
    );
  });

  it('leaves out per-cluster findings of runs without clusterFindingsBySeverity', async () => {
    const { registry } = createInspectionMetrics({
      latestRuns: async () => [
        { ...newer, clusterFindingsBySeverity: undefined },
      ],
    });
    const lines = samples(await registry.metrics());
    expect(
      lines.filter(l => l.startsWith('kubemate_inspections_findings')),
    ).toEqual([]);
    expect(lines).toContain(
      'kubemate_inspections_run_findings{severity="high"} 7',
    );
  });

  it('answers the text format, and 503 naming the cause when the runs cannot be read', async () => {
    let fail = false;
    const { handler } = createInspectionMetrics({
      latestRuns: async () => {
        if (fail) throw new Error('database is down');
        return [older];
      },
    });
    const app = express();
    app.get('/metrics', handler);
    app.use(
      (
        err: Error,
        _req: express.Request,
        res: express.Response,
        _next: express.NextFunction,
      ) => {
        res
          .status(err.name === 'ServiceUnavailableError' ? 503 : 500)
          .send(err.message);
      },
    );
    const ok = await request(app).get('/metrics');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.text).toContain('# TYPE kubemate_inspections_score gauge');
    fail = true;
    const down = await request(app).get('/metrics');
    expect(down.status).toBe(503);
    expect(down.text).toBe(
      'Inspection metrics are unavailable: could not read the latest runs: database is down',
    );
  });
});
