import { parseEntityRef } from '@backstage/catalog-model';

import type { Formatters } from '@kubemate/plugin-kubemate-react';
import type { GpuT } from '../translation';

/** A date and time in the app's language, or '—'. */
export function formatTime(f: Formatters, iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.dateTime(d);
}

/** `45 s`, `12 min`, `3 h 5 min`, `2 d 4 h` (in the app's language). */
export function formatSeconds(t: GpuT, seconds?: number): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return '—';
  }
  const s = Math.round(seconds);
  if (s < 60) return t('duration.seconds', { s: String(s) });
  const m = Math.floor(s / 60);
  if (m < 60) return t('duration.minutes', { m: String(m) });
  const h = Math.floor(m / 60);
  if (h < 24) {
    return m % 60
      ? t('duration.hoursMinutes', { h: String(h), m: String(m % 60) })
      : t('duration.hours', { h: String(h) });
  }
  const d = Math.floor(h / 24);
  return h % 24
    ? t('duration.daysHours', { d: String(d), h: String(h % 24) })
    : t('duration.days', { d: String(d) });
}

/** `40 GiB` of MiB, '—' when unknown. */
export function formatMemory(mib?: number): string {
  if (mib === undefined || !Number.isFinite(mib)) return '—';
  const gib = mib / 1024;
  return gib >= 1
    ? `${Math.round(gib * 10) / 10} GiB`
    : `${Math.round(mib)} MiB`;
}

/** `42 %` with one decimal below 10 (a percentage 0..100). */
export function formatPercent(f: Formatters, v?: number): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  return `${f.number(v, { maximumFractionDigits: v < 10 ? 1 : 0 })} %`;
}

/** `1 GPU`, `3 GPUs`. */
export const gpusText = (t: GpuT, n: number) => t('common.gpus', { count: n });

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
