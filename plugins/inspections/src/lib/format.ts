import { parseEntityRef } from '@backstage/catalog-model';
import type {
  CheckCategory,
  FindingObject,
  Grade,
  RunScope,
  Severity,
} from '@kubemate/plugin-inspections-common';

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

export const CATEGORY_TITLES: Record<CheckCategory, string> = {
  cluster: 'Cluster',
  host: 'Host',
  application: 'Application',
  database: 'Database',
  security: 'Security',
};

/** Most severe first. */
export const severityRank = (s: Severity) =>
  ['critical', 'high', 'medium', 'low', 'info'].indexOf(s);

export function formatTime(iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

export function formatDate(iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleDateString();
}

/** `850 ms`, `12 s`, `3 min 5 s`, `1 h 2 min`; '—' while running. */
export function formatDuration(ms?: number): string {
  if (ms === undefined || Number.isNaN(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** Duration of a run from its start and end times. */
export function runDuration(r: {
  startedAt: string;
  finishedAt?: string;
}): string {
  if (!r.finishedAt) return '—';
  return formatDuration(Date.parse(r.finishedAt) - Date.parse(r.startedAt));
}

/** `expires in 3 days`, `expires today`, `expired 2 days ago`. */
export function expiresIn(iso: string, now = Date.now()): string {
  const days = Math.floor((Date.parse(iso) - now) / 86_400_000);
  if (Number.isNaN(days)) return '';
  if (days < 0) {
    const ago = -days - 1;
    return ago === 0
      ? 'expired today'
      : `expired ${ago} day${ago === 1 ? '' : 's'} ago`;
  }
  if (days === 0) return 'expires today';
  return `expires in ${days} day${days === 1 ? '' : 's'}`;
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
export function formatScope(s: RunScope): string {
  return [
    s.clusters.length ? s.clusters.join(', ') : 'all clusters',
    s.namespaces?.length ? s.namespaces.join(', ') : 'all namespaces',
    s.categories?.length ? s.categories.join(', ') : 'all categories',
  ].join(' · ');
}
