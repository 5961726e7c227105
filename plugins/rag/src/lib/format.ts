import { parseEntityRef } from '@backstage/catalog-model';

/** A time as the user's locale writes it; '—' when there is none. */
export function formatTime(iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
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
export function formatScore(score: number): string {
  return `${Math.round(score * 100)} %`;
}

/** A duration: `850 ms`, `4.2 s`. */
export function formatMs(ms?: number): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
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
