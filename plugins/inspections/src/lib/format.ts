import { parseEntityRef } from '@backstage/catalog-model';
import type { TranslationFunction } from '@backstage/frontend-plugin-api';
import type { Formatters } from '@kubemate/plugin-kubemate-react';
import {
  CHECK_CATEGORIES,
  type CheckCategory,
  type FindingObject,
  type Grade,
  type RunScope,
  type Severity,
} from '@kubemate/plugin-inspections-common';
import { inspectionsTranslationRef } from '../translation';

/** The plugin's translation function. */
export type InspectionsT = TranslationFunction<
  typeof inspectionsTranslationRef.T
>;

/** Grade colours, green (A) to red (F). */
export const GRADE_COLOURS: Record<Grade, string> = {
  A: '#2e7d32',
  B: '#689f38',
  C: '#f9a825',
  D: '#ef6c00',
  E: '#e64a19',
  F: '#c62828',
};

export const SEVERITY_COLOURS: Record<Severity, string> = {
  critical: '#b71c1c',
  high: '#e64a19',
  medium: '#f9a825',
  low: '#1976d2',
  info: '#757575',
};

/** Most severe first. */
export const severityRank = (s: Severity) =>
  ['critical', 'high', 'medium', 'low', 'info'].indexOf(s);

/** A time in the app's language; '—' when there is none. */
export function formatTime(f: Formatters, iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.dateTime(d);
}

/** A date in the app's language; '—' when there is none. */
export function formatDate(f: Formatters, iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.date(d);
}

/** `850 ms`, `12 s`, `3.1 min` in the app's language; '—' while running. */
export function formatDuration(f: Formatters, ms?: number): string {
  if (ms === undefined || Number.isNaN(ms) || ms < 0) return '—';
  return f.duration(ms);
}

/** Duration of a run from its start and end times. */
export function runDuration(
  f: Formatters,
  r: {
    startedAt: string;
    finishedAt?: string;
  },
): string {
  if (!r.finishedAt) return '—';
  return formatDuration(f, Date.parse(r.finishedAt) - Date.parse(r.startedAt));
}

/** A score with one decimal (`72.5`, `65.0`). */
export function formatScore(f: Formatters, score: number): string {
  return f.number(score, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
}

/** `expires in 3 days`, `expires today`, `expired 2 days ago`. */
export function expiresIn(
  t: InspectionsT,
  iso: string,
  now = Date.now(),
): string {
  const days = Math.floor((Date.parse(iso) - now) / 86_400_000);
  if (Number.isNaN(days)) return '';
  if (days < 0) {
    const ago = -days - 1;
    return ago === 0
      ? t('expiry.expiredToday')
      : t('expiry.expiredDaysAgo', { count: ago });
  }
  if (days === 0) return t('expiry.today');
  return t('expiry.inDays', { count: days });
}

/** `dev-cluster/payments-dev/Pod/web-1 (app)`; global objects without a cluster. */
export function formatObject(o: FindingObject): string {
  const path = [o.cluster, o.namespace, o.kind, o.name]
    .filter(Boolean)
    .join('/');
  return o.part ? `${path} (${o.part})` : path;
}

/** `user:default/alice` → `alice`. */
export function shortRef(ref?: string): string {
  if (!ref) return '—';
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** The catalog page of an entity ref. */
export function entityLink(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}`;
}

/** `all clusters · payments-* · cluster, security`. */
export function formatScope(t: InspectionsT, s: RunScope): string {
  return [
    s.clusters.length ? s.clusters.join(', ') : t('scope.allClusters'),
    s.namespaces?.length ? s.namespaces.join(', ') : t('scope.allNamespaces'),
    s.categories?.length
      ? s.categories.map(c => categoryName(t, c)).join(', ')
      : t('scope.allCategories'),
  ].join(' · ');
}

/** A category's title (`Cluster`); an unknown one as sent. */
export function categoryTitle(t: InspectionsT, c: string): string {
  return (CHECK_CATEGORIES as string[]).includes(c)
    ? t(`categories.${c as CheckCategory}`)
    : c;
}

/** A category's name in running text (`cluster`); an unknown one as sent. */
export function categoryName(t: InspectionsT, c: string): string {
  return (CHECK_CATEGORIES as string[]).includes(c)
    ? t(`categoryNames.${c as CheckCategory}`)
    : c;
}
