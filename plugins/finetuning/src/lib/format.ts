import { parseEntityRef } from '@backstage/catalog-model';

/** `1.2 kB`, `3.4 MB`. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

/** A metric value with 4 significant digits. */
export function formatMetric(v?: number): string {
  if (v === undefined || !Number.isFinite(v)) return '—';
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5)) {
    return v.toExponential(3);
  }
  return String(Number(v.toPrecision(4)));
}

/** `12.50 USD`. */
export const formatCost = (v: number, currency: string) =>
  `${v.toFixed(2)} ${currency}`;

/** The name of an entity ref; other text as is. */
export function shortRef(ref?: string): string {
  if (!ref) return '—';
  try {
    return parseEntityRef(ref).name;
  } catch {
    return ref;
  }
}

/** What a test id may carry of a name (letters, digits, `.`, `_`, `-`). */
export const testIdPart = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
