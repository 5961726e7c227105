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

import {
  TIME_RANGES,
  REFRESH_INTERVALS,
  TimeRangeState,
} from '../../hooks/useTimeRange';

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
