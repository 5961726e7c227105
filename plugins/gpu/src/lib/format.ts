import { parseEntityRef } from '@backstage/catalog-model';

/** A local date and time, or '—'. */
export function formatTime(iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h`. */
export function formatSeconds(seconds?: number): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

/** `40 GiB` of MiB, '—' when unknown. */
export function formatMemory(mib?: number): string {
  if (mib === undefined || !Number.isFinite(mib)) return '—';
  const gib = mib / 1024;
  return gib >= 1
    ? `${Math.round(gib * 10) / 10} GiB`
    : `${Math.round(mib)} MiB`;
}

/** `42 %` with one decimal below 10. */
export function formatPercent(v?: number): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return `${v < 10 ? Math.round(v * 10) / 10 : Math.round(v)} %`;
}

/** `1 GPU`, `3 GPUs`. */
export const gpusText = (n: number) => `${n} GPU${n === 1 ? '' : 's'}`;

/** The name of an entity ref (`group:default/team-payments` → `team-payments`); other text as is. */
export function shortRef(ref?: string): string {
  if (!ref) return '—';
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** The catalog page of an entity ref. */
export function entityLink(ref: string, tab?: string): string {
  const { kind, namespace, name } = parseEntityRef(ref);
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}${
    tab ? `/${tab}` : ''
  }`;
}

/** What a test id may carry of a name (letters, digits, `.`, `_`, `-`). */
export const testIdPart = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
