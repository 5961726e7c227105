import { ServiceUnavailableError } from '@backstage/errors';
import type {
  Grade,
  RunScores,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import {
  CHECK_CATEGORIES,
  SEVERITIES,
} from '@kubemate/plugin-inspections-common';
import type { RequestHandler } from 'express';
import { Gauge, Registry } from 'prom-client';

export const GRADE_VALUES: Record<Grade, number> = {
  A: 6,
  B: 5,
  C: 4,
  D: 3,
  E: 2,
  F: 1,
};

export interface InspectionMetricsOptions {
  /** The latest finished run per cluster (read at every scrape). */
  latestRuns: () => Promise<RunSummary[]>;
}

export interface InspectionMetrics {
  registry: Registry;
  /** Answers the Prometheus text exposition format (503 when the runs cannot be read). */
  handler: RequestHandler;
}

interface ClusterView {
  run: RunSummary;
  scores: RunScores;
}

/** Per cluster, the latest finished run that has its own scores. */
function latestPerCluster(runs: RunSummary[]): Map<string, ClusterView> {
  const out = new Map<string, ClusterView>();
  for (const run of runs) {
    if (!run.finishedAt) continue;
    for (const [cluster, scores] of Object.entries(run.clusterScores ?? {})) {
      const seen = out.get(cluster);
      if (!seen || seen.run.finishedAt! < run.finishedAt) {
        out.set(cluster, { run, scores });
      }
    }
  }
  return out;
}

function latestOverall(runs: RunSummary[]): RunSummary | undefined {
  return runs
    .filter(r => r.finishedAt && r.scores)
    .sort((a, b) => b.finishedAt!.localeCompare(a.finishedAt!))[0];
}

/**
 * The inspections' Prometheus metrics in their own registry. Every gauge is computed at scrape
 * time from `latestRuns()` (read once per scrape, shared by the gauges): nothing is kept in
 * memory, so every replica answers the same.
 *
 * Per cluster (its latest finished run, the scores of that cluster's own executions):
 * - `kubemate_inspections_score{cluster, category}` 0–100, category `overall` too;
 * - `kubemate_inspections_grade{cluster}` A=6 … F=1;
 * - `kubemate_inspections_findings{cluster, severity}` non-exempt findings (runs that carry
 *   `clusterFindingsBySeverity`);
 * - `kubemate_inspections_check_errors{cluster}` check executions that errored;
 * - `kubemate_inspections_last_run_timestamp_seconds{cluster}` when that run finished.
 *
 * Of the latest finished run as a whole (global host and database checks included):
 * - `kubemate_inspections_run_score{category}` and `kubemate_inspections_run_findings{severity}`.
 */
export function createInspectionMetrics(
  options: InspectionMetricsOptions,
): InspectionMetrics {
  const registry = new Registry();

  // The gauges' collect() calls of one scrape start together: they share one read.
  let inflight: Promise<RunSummary[]> | undefined;
  const load = () => {
    if (!inflight) {
      inflight = options.latestRuns().finally(() => {
        inflight = undefined;
      });
    }
    return inflight;
  };

  /** A gauge refilled from the latest runs at every scrape. */
  const gauge = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (gauge: Gauge<string>, runs: RunSummary[]) => void,
  ) =>
    registry.registerMetric(
      new Gauge({
        name,
        help,
        labelNames,
        registers: [],
        async collect() {
          const runs = await load();
          this.reset();
          fill(this, runs);
        },
      }),
    );
  const perCluster = (
    name: string,
    help: string,
    labelNames: string[],
    fill: (gauge: Gauge<string>, cluster: string, view: ClusterView) => void,
  ) =>
    gauge(name, help, labelNames, (g, runs) => {
      for (const [cluster, view] of latestPerCluster(runs)) {
        fill(g, cluster, view);
      }
    });

  perCluster(
    'kubemate_inspections_score',
    "Inspection score (0-100) of the cluster's latest finished run, per category and overall",
    ['cluster', 'category'],
    (g, cluster, { scores }) => {
      g.set({ cluster, category: 'overall' }, scores.overall);
      for (const category of CHECK_CATEGORIES) {
        const s = scores.byCategory[category];
        if (s) g.set({ cluster, category }, s.score);
      }
    },
  );
  perCluster(
    'kubemate_inspections_grade',
    "Inspection grade of the cluster's latest finished run (A=6, B=5, C=4, D=3, E=2, F=1)",
    ['cluster'],
    (g, cluster, { scores }) => g.set({ cluster }, GRADE_VALUES[scores.grade]),
  );
  perCluster(
    'kubemate_inspections_findings',
    "Non-exempt findings of the cluster's latest finished run by severity",
    ['cluster', 'severity'],
    (g, cluster, { run }) => {
      const counts = run.clusterFindingsBySeverity?.[cluster];
      if (!counts) return;
      for (const severity of SEVERITIES) {
        g.set({ cluster, severity }, counts[severity] ?? 0);
      }
    },
  );
  perCluster(
    'kubemate_inspections_check_errors',
    "Check executions that errored in the cluster's latest finished run",
    ['cluster'],
    (g, cluster, { scores }) =>
      g.set(
        { cluster },
        Object.values(scores.byCategory).reduce(
          (total, s) => total + (s?.errors ?? 0),
          0,
        ),
      ),
  );
  perCluster(
    'kubemate_inspections_last_run_timestamp_seconds',
    "When the cluster's latest finished inspection run finished (Unix seconds)",
    ['cluster'],
    (g, cluster, { run }) =>
      g.set({ cluster }, Date.parse(run.finishedAt!) / 1000),
  );
  gauge(
    'kubemate_inspections_run_score',
    'Inspection score (0-100) of the latest finished run as a whole (host and database checks included), per category and overall',
    ['category'],
    (g, runs) => {
      const scores = latestOverall(runs)?.scores;
      if (!scores) return;
      g.set({ category: 'overall' }, scores.overall);
      for (const category of CHECK_CATEGORIES) {
        const s = scores.byCategory[category];
        if (s) g.set({ category }, s.score);
      }
    },
  );
  gauge(
    'kubemate_inspections_run_findings',
    'Non-exempt findings of the latest finished run as a whole by severity',
    ['severity'],
    (g, runs) => {
      const run = latestOverall(runs);
      if (!run) return;
      for (const severity of SEVERITIES) {
        g.set({ severity }, run.findingsBySeverity[severity] ?? 0);
      }
    },
  );

  const handler: RequestHandler = async (_req, res, next) => {
    try {
      const body = await registry.metrics();
      // as is: express' send() would put a charset before prom-client's version parameter
      res.setHeader('Content-Type', registry.contentType);
      res.end(body);
    } catch (e) {
      next(
        new ServiceUnavailableError(
          `Inspection metrics are unavailable: could not read the latest runs: ${
            (e as Error).message
          }`,
        ),
      );
    }
  };

  return { registry, handler };
}
