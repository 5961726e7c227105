import type { GoldenSignalResult } from '@kubemate/plugin-metrics-common';

export type Unit = GoldenSignalResult['unit'] | 'cores' | 'bytes' | 'none';

const BYTES = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A value with its unit, short enough for an axis tick. */
export function formatValue(value: number, unit: Unit): string {
  if (!Number.isFinite(value)) return '–';
  switch (unit) {
    case 'seconds':
      if (value < 1) return `${+(value * 1000).toPrecision(3)} ms`;
      return `${+value.toPrecision(3)} s`;
    case 'ratio':
      return `${+(value * 100).toPrecision(3)} %`;
    case 'requests/s':
      return `${+value.toPrecision(3)} req/s`;
    case 'cores':
      return value < 1
        ? `${Math.round(value * 1000)}m`
        : `${+value.toPrecision(3)}`;
    case 'bytes': {
      let v = value;
      let i = 0;
      while (Math.abs(v) >= 1024 && i < BYTES.length - 1) {
        v /= 1024;
        i++;
      }
      return `${+v.toPrecision(3)} ${BYTES[i]}`;
    }
    default:
      return `${+value.toPrecision(4)}`;
  }
}

/** Axis time label: HH:MM for ranges under two days, else MM-DD HH:MM. */
export function formatTime(unixSeconds: number, rangeSeconds: number): string {
  const d = new Date(unixSeconds * 1000);
  const hm = d.toLocaleTimeString('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
  });
  if (rangeSeconds < 2 * 86_400) return hm;
  return `${d.toLocaleDateString('en-CA', {
    month: '2-digit',
    day: '2-digit',
  })} ${hm}`;
}

/** How long ago, as a unit and a whole number of it: `{ unit: 'min', n: 5 }`. */
export function sinceParts(
  iso: string,
  now = Date.now(),
): { unit: 's' | 'min' | 'h' | 'd'; n: number } {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return { unit: 's', n: s };
  if (s < 3600) return { unit: 'min', n: Math.round(s / 60) };
  if (s < 86_400) return { unit: 'h', n: Math.round(s / 3600) };
  return { unit: 'd', n: Math.round(s / 86_400) };
}

/** How long ago, in English words: `5 min ago`, `3 h ago`, `2 d ago` (the UI translates sinceParts). */
export function since(iso: string, now = Date.now()): string {
  const { unit, n } = sinceParts(iso, now);
  return `${n} ${unit} ago`;
}
