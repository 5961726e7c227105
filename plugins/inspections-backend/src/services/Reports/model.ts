import type {
  CheckInfo,
  CheckRunResult,
  Finding,
  FindingObject,
  RunSummary,
  Severity,
} from '@kubemate/plugin-inspections-common';
import { SEVERITIES } from '@kubemate/plugin-inspections-common';

/** What every format shares: how objects, scopes and times are written, and orderings. */

/** `dev-cluster/shop/Pod/web-1 (app)`; global objects start with their kind. */
export function objectLabel(o: FindingObject): string {
  const path = [o.cluster, o.namespace, o.kind, o.name]
    .filter(Boolean)
    .join('/');
  return o.part ? `${path} (${o.part})` : path;
}

/** `clusters: a, b · namespaces: risk-* · categories: all`. */
export function scopeLabel(run: RunSummary): string {
  const list = (values: string[] | undefined) =>
    values && values.length > 0 ? values.join(', ') : 'all';
  return [
    `clusters: ${list(run.scope.clusters)}`,
    `namespaces: ${list(run.scope.namespaces)}`,
    `categories: ${list(run.scope.categories)}`,
  ].join(' · ');
}

export function triggerLabel(run: RunSummary): string {
  return run.trigger === 'schedule'
    ? 'scheduled'
    : `on demand${run.triggeredBy ? ` by ${run.triggeredBy}` : ''}`;
}

/** `2026-12-01 21:39 UTC`. */
export function formatTime(at: string | Date | undefined): string {
  if (!at) return '–';
  const d = typeof at === 'string' ? new Date(at) : at;
  if (Number.isNaN(d.getTime())) return String(at);
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const severityRank = new Map(SEVERITIES.map((s, i) => [s, i]));

/** Most severe first, then by check and object (a stable order for every format). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    (severityRank.get(a.severity) ?? 99) -
      (severityRank.get(b.severity) ?? 99) ||
    a.checkId.localeCompare(b.checkId) ||
    objectLabel(a.object).localeCompare(objectLabel(b.object))
  );
}

/** Groups in the order of `order` (keys missing from it last, sorted), empty groups left out. */
export function groupBy<T, K extends string>(
  items: T[],
  keyOf: (item: T) => K,
  order: readonly K[] = [],
): Array<[K, T[]]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const rank = (k: K) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return [...groups.entries()].sort(
    ([a], [b]) => rank(a) - rank(b) || a.localeCompare(b),
  );
}

export function bySeverity(findings: Finding[]): Array<[Severity, Finding[]]> {
  return groupBy(
    [...findings].sort(compareFindings),
    f => f.severity,
    SEVERITIES,
  );
}

/** The findings of one check execution (a cluster check on its cluster, a global check). */
export function findingsOf(result: CheckRunResult, findings: Finding[]) {
  return findings.filter(
    f =>
      f.checkId === result.checkId &&
      (f.object.cluster ?? undefined) === (result.cluster ?? undefined),
  );
}

export function checksById(checks: CheckInfo[]): Map<string, CheckInfo> {
  return new Map(checks.map(c => [c.id, c]));
}

/** `measured 97 % · expected < 90 %` (what a one-line evidence says). */
export function evidenceLine(f: Finding): string {
  const parts: string[] = [];
  if (f.evidence.measured) parts.push(`measured ${f.evidence.measured}`);
  if (f.evidence.expected) parts.push(`expected ${f.evidence.expected}`);
  return parts.join(' · ');
}

/** `inspection-<first 8 of the run id>-<yyyymmdd>.<ext>` (UTC date of generation). */
export function reportFilename(
  runId: string,
  generatedAt: Date,
  ext: string,
): string {
  const id = runId.replace(/[^A-Za-z0-9-]/g, '').slice(0, 8) || 'run';
  const day = generatedAt.toISOString().slice(0, 10).replace(/-/g, '');
  return `inspection-${id}-${day}.${ext}`;
}
