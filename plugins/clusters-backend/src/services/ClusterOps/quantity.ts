const BINARY: Record<string, number> = {
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
  Pi: 1024 ** 5,
  Ei: 1024 ** 6,
};
const DECIMAL: Record<string, number> = {
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
};

/** Parses a Kubernetes quantity ("100m", "2", "64Mi", "1e3") into a plain number of units. */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined || q === null) {
    return 0;
  }
  if (typeof q === 'number') {
    return q;
  }
  const m = String(q)
    .trim()
    .match(/^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/);
  if (!m) {
    return 0;
  }
  const value = Number(m[1]);
  const suffix = m[2];
  if (suffix in BINARY) {
    return value * BINARY[suffix];
  }
  if (suffix in DECIMAL) {
    return value * DECIMAL[suffix];
  }
  return 0;
}

/** CPU in millicores. */
export const parseCpu = (q: string | number | undefined) =>
  Math.round(parseQuantity(q) * 1000);
