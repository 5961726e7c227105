import { useEffect, useMemo, useState } from 'react';
import {
  Box,
  FormControl,
  IconButton,
  InputLabel,
  MenuItem,
  Select,
  Tooltip,
  Typography,
} from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';

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

/** Time range picker, auto-refresh interval and a refresh button. */
export function TimeRangeControls(props: {
  state: TimeRangeState;
  loading?: boolean;
}) {
  const { state, loading } = props;
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 16 }}>
      <FormControl variant="outlined" size="small" style={{ minWidth: 180 }}>
        <InputLabel id="kubemate-time-range-label">Time range</InputLabel>
        <Select
          labelId="kubemate-time-range-label"
          id="kubemate-time-range"
          label="Time range"
          value={state.rangeKey}
          onChange={e => state.setRangeKey(String(e.target.value))}
        >
          {TIME_RANGES.map(r => (
            <MenuItem key={r.key} value={r.key}>
              {r.label}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl variant="outlined" size="small" style={{ minWidth: 140 }}>
        <InputLabel id="kubemate-refresh-label">Auto-refresh</InputLabel>
        <Select
          labelId="kubemate-refresh-label"
          id="kubemate-refresh"
          label="Auto-refresh"
          value={state.refreshKey}
          onChange={e => state.setRefreshKey(String(e.target.value))}
        >
          {REFRESH_INTERVALS.map(r => (
            <MenuItem key={r.key} value={r.key}>
              {r.label}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Tooltip title="Refresh now">
        <span>
          <IconButton
            aria-label="Refresh now"
            onClick={state.refresh}
            disabled={loading}
          >
            <RefreshIcon />
          </IconButton>
        </span>
      </Tooltip>
      <Typography variant="caption" color="textSecondary">
        {loading
          ? 'Loading…'
          : `Until ${new Date(state.range.end * 1000).toLocaleTimeString()}`}
      </Typography>
    </Box>
  );
}
