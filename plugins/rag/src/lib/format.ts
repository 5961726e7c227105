import { useMemo } from 'react';
import { parseEntityRef } from '@backstage/catalog-model';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import type { Formatters } from '@kubemate/plugin-kubemate-react';

/** A time in the app's language; '—' when there is none. */
export function formatTime(f: Formatters, iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.dateTime(d);
}

/** `group:default/team-payments` → `team-payments`; other namespaces stay (`ns/name`). */
export function shortRef(ref?: string): string {
  if (!ref) return '—';
  try {
    const { namespace, name } = parseEntityRef(ref);
    return namespace === 'default' ? name : `${namespace}/${name}`;
  } catch {
    return ref;
  }
}

/** A cosine similarity 0..1 as a percentage: `82 %`. */
export function formatScore(f: Formatters, score: number): string {
  return `${f.number(Math.round(score * 100))} %`;
}

/** A duration: `850 ms`, `4.2 s` (the units stay; the numbers in the app's language). */
export function formatMs(f: Formatters, ms?: number): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000
    ? `${f.number(Math.round(ms))} ms`
    : `${f.number(ms / 1000, {
        minimumFractionDigits: 1,
        maximumFractionDigits: 1,
      })} s`;
}

/** Times, scores and durations in the app's language. */
export function useRagFormat() {
  const f = useFormatters();
  return useMemo(
    () => ({
      time: (iso?: string) => formatTime(f, iso),
      score: (score: number) => formatScore(f, score),
      ms: (ms?: number) => formatMs(f, ms),
      number: (n: number, o?: Intl.NumberFormatOptions) => f.number(n, o),
    }),
    [f],
  );
}

/** The catalog page of an entity ref (`component:default/payments-api` → `/catalog/default/component/payments-api`). */
export function entityLink(ref: string): string | undefined {
  try {
    const { kind, namespace, name } = parseEntityRef(ref);
    return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
      kind.toLocaleLowerCase('en-US'),
    )}/${encodeURIComponent(name)}`;
  } catch {
    return undefined;
  }
}
