import type {
  CategoryScore,
  CheckCategory,
  CheckRunResult,
  Grade,
  RunScores,
  Severity,
} from './types';

/**
 * Scoring (documented in the inspections README):
 *
 * - every check execution (a check on a cluster, or a global check once) weighs its check's
 *   default severity: critical 10, high 5, medium 3, low 1, info 0; skipped executions do not
 *   count;
 * - an execution scores 1 when it found nothing (exempted findings do not count), 0 when it
 *   errored (a crash or a data source that is down is never a pass), and when it found problems
 *   `0.5 × (1 − failed / evaluated)`: a failing check always loses at least half its weight, the
 *   rest in proportion to the share of objects that fail (0 when it does not say how many
 *   objects it evaluated);
 * - a score is `100 × Σ weight × execution score / Σ weight` over the category's executions (the
 *   overall score over all of them), rounded to one decimal; 100 when nothing weighs;
 * - grades: A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, E ≥ 50, F below.
 */
export const SEVERITY_WEIGHTS: Record<Severity, number> = {
  critical: 10,
  high: 5,
  medium: 3,
  low: 1,
  info: 0,
};

export function gradeOf(score: number): Grade {
  if (score >= 90) return 'A';
  if (score >= 80) return 'B';
  if (score >= 70) return 'C';
  if (score >= 60) return 'D';
  if (score >= 50) return 'E';
  return 'F';
}

/** The score (0..1) of one check execution; undefined for a skipped one. */
export function executionScore(result: CheckRunResult): number | undefined {
  switch (result.status) {
    case 'skipped':
      return undefined;
    case 'error':
      return 0;
    default:
      if (result.failed === 0) return 1;
      if (!result.evaluated || result.evaluated <= 0) return 0;
      return 0.5 * Math.max(0, 1 - result.failed / result.evaluated);
  }
}

function scoreOf(results: CheckRunResult[]): number {
  let total = 0;
  let got = 0;
  for (const r of results) {
    const s = executionScore(r);
    if (s === undefined) continue;
    const w = SEVERITY_WEIGHTS[r.severity];
    total += w;
    got += w * s;
  }
  return total === 0 ? 100 : Math.round((1000 * got) / total) / 10;
}

function categoryScore(results: CheckRunResult[]): CategoryScore {
  const score = scoreOf(results);
  const count = (status: CheckRunResult['status']) =>
    results.filter(r => r.status === status).length;
  return {
    score,
    grade: gradeOf(score),
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
  };
}

/** Scores per category that ran and overall (see above). */
export function scoreRun(results: CheckRunResult[]): RunScores {
  const byCategory: Partial<Record<CheckCategory, CategoryScore>> = {};
  const categories = [...new Set(results.map(r => r.category))];
  for (const c of categories) {
    byCategory[c] = categoryScore(results.filter(r => r.category === c));
  }
  const overall = scoreOf(results);
  return { overall, grade: gradeOf(overall), byCategory };
}
