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
import { useOptionalTranslationRef } from '../../i18n/useOptionalTranslationRef';
import { kubemateReactTranslationRef } from '../../translation';
import { useFormatters } from '../../i18n/format';

import {
  TIME_RANGES,
  REFRESH_INTERVALS,
  TimeRangeState,
} from '../../hooks/useTimeRange';

type TimeRangeKey = '15m' | '1h' | '6h' | '24h' | '7d' | '30d';
type RefreshKey = 'off' | '15s' | '30s' | '1m';

/** Time range picker, auto-refresh interval and a refresh button. */
export function TimeRangeControls(props: {
  state: TimeRangeState;
  loading?: boolean;
}) {
  const { state, loading } = props;
  const { t } = useOptionalTranslationRef(kubemateReactTranslationRef);
  const format = useFormatters();
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 16 }}>
      <FormControl variant="outlined" size="small" style={{ minWidth: 180 }}>
        <InputLabel id="kubemate-time-range-label">
          {t('timeRange.label')}
        </InputLabel>
        <Select
          labelId="kubemate-time-range-label"
          id="kubemate-time-range"
          label={t('timeRange.label')}
          value={state.rangeKey}
          onChange={e => state.setRangeKey(String(e.target.value))}
        >
          {TIME_RANGES.map(r => (
            <MenuItem key={r.key} value={r.key}>
              {t(`timeRange.ranges.${r.key as TimeRangeKey}`)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <FormControl variant="outlined" size="small" style={{ minWidth: 140 }}>
        <InputLabel id="kubemate-refresh-label">
          {t('timeRange.autoRefresh')}
        </InputLabel>
        <Select
          labelId="kubemate-refresh-label"
          id="kubemate-refresh"
          label={t('timeRange.autoRefresh')}
          value={state.refreshKey}
          onChange={e => state.setRefreshKey(String(e.target.value))}
        >
          {REFRESH_INTERVALS.map(r => (
            <MenuItem key={r.key} value={r.key}>
              {t(`timeRange.refresh.${r.key as RefreshKey}`)}
            </MenuItem>
          ))}
        </Select>
      </FormControl>
      <Tooltip title={t('timeRange.refreshNow')}>
        <span>
          <IconButton
            aria-label={t('timeRange.refreshNow')}
            onClick={state.refresh}
            disabled={loading}
          >
            <RefreshIcon />
          </IconButton>
        </span>
      </Tooltip>
      <Typography variant="caption" color="textSecondary">
        {loading
          ? t('timeRange.loading')
          : t('timeRange.until', {
              time: format.time(state.range.end * 1000),
            })}
      </Typography>
    </Box>
  );
}
