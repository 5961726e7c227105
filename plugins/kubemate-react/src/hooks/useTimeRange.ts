import { useEffect, useMemo, useState } from 'react';

export const TIME_RANGES = [
  { key: '15m', label: 'Last 15 minutes', seconds: 15 * 60 },
  { key: '1h', label: 'Last hour', seconds: 3600 },
  { key: '6h', label: 'Last 6 hours', seconds: 6 * 3600 },
  { key: '24h', label: 'Last 24 hours', seconds: 86_400 },
  { key: '7d', label: 'Last 7 days', seconds: 7 * 86_400 },
  { key: '30d', label: 'Last 30 days', seconds: 30 * 86_400 },
];

export const REFRESH_INTERVALS = [
  { key: 'off', label: 'Off', ms: 0 },
  { key: '15s', label: '15 s', ms: 15_000 },
  { key: '30s', label: '30 s', ms: 30_000 },
  { key: '1m', label: '1 min', ms: 60_000 },
];

export interface TimeRange {
  start: number;
  end: number;
}

/**
 * The selected time range, moved forward on every refresh (by hand or on the auto-refresh
 * interval): `range` changes identity only then, so it can drive data loading.
 */
export function useTimeRange(initial = '1h') {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const [rangeKey, setRangeKeyState] = useState(initial);
  const [refreshKey, setRefreshKey] = useState('off');
  const [end, setEnd] = useState(nowSeconds);
  const refreshMs = REFRESH_INTERVALS.find(r => r.key === refreshKey)?.ms ?? 0;
  useEffect(() => {
    if (!refreshMs) return undefined;
    const id = setInterval(() => setEnd(nowSeconds()), refreshMs);
    return () => clearInterval(id);
  }, [refreshMs]);
  const seconds = TIME_RANGES.find(r => r.key === rangeKey)?.seconds ?? 3600;
  const range = useMemo<TimeRange>(
    () => ({ start: end - seconds, end }),
    [end, seconds],
  );
  return {
    range,
    rangeKey,
    setRangeKey: (key: string) => {
      setRangeKeyState(key);
      setEnd(nowSeconds());
    },
    refreshKey,
    setRefreshKey,
    // a new object even within the same second: a click always reloads
    refresh: () => setEnd(nowSeconds() + Math.random() * 1e-3),
  };
}

export type TimeRangeState = ReturnType<typeof useTimeRange>;
