import type {
  CheckContext,
  CheckOutcome,
} from '@kubemate/plugin-inspections-node';

/** A threshold of the check (defaults merged with config by the engine); a missing one is a bug. */
export function threshold(ctx: CheckContext, name: string): number {
  const value = ctx.thresholds[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`threshold '${name}' is not set`);
  }
  return value;
}

export function skipped(reason: string): CheckOutcome {
  return { findings: [], skipped: reason };
}

/** The cluster of a cluster-scoped execution (the engine always sets it). */
export function clusterOf(ctx: CheckContext): string {
  if (!ctx.cluster) {
    throw new Error('this check runs per cluster but no cluster was given');
  }
  return ctx.cluster;
}

/** A time of a Kubernetes object: a Date from the typed client or an ISO string from watches. */
export function toTime(
  value: Date | string | undefined | null,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  const t = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

export function percent(value: number, digits = 1): string {
  return `${value.toFixed(digits)} %`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function bytes(value: number): string {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v.toFixed(0) : v.toFixed(1)} ${BYTE_UNITS[i]}`;
}

/** A duration as its largest sensible unit: `45 s`, `12 min`, `5.2 h`, `17 days`. */
export function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 120) return `${Math.round(s)} s`;
  if (s < 7200) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${(s / 3600).toFixed(1)} h`;
  return `${Math.floor(s / 86_400)} days`;
}

const QUANTITY_SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes resource quantity (`500m`, `256Mi`, `1.5G`, `2e3`) as a number; NaN if invalid. */
export function parseQuantity(quantity: string | number | undefined): number {
  if (quantity === undefined) return NaN;
  if (typeof quantity === 'number') return quantity;
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(
    quantity.trim(),
  );
  if (!m) return NaN;
  const factor = QUANTITY_SUFFIXES[m[2]];
  return factor === undefined ? NaN : Number(m[1]) * factor;
}

/** Escapes a value for a PromQL / LogQL label matcher string. */
export function promString(value: string): string {
  return JSON.stringify(value);
}
