import { useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, IconButton, TextField, Tooltip } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { UtilizationGroupBy } from '../../api';
import { useIdleGpus, useUtilization } from '../../hooks';
import { IdleGpus } from '../IdleGpus';
import { Loaded } from '../Section';
import { gpuTranslationRef } from '../../translation';
import { UtilizationChart } from './UtilizationChart';

/** The time ranges offered (the backend takes 5..10080 minutes). */
export const RANGES = [
  { minutes: 15, key: 'last15m' },
  { minutes: 60, key: 'last1h' },
  { minutes: 360, key: 'last6h' },
  { minutes: 1440, key: 'last24h' },
  { minutes: 10080, key: 'last7d' },
] as const;

const GROUPS: UtilizationGroupBy[] = ['team', 'workload', 'model'];

/** Utilization over time (grouped, time range) and the idle GPUs. */
export function UtilizationTab() {
  const { t } = useTranslationRef(gpuTranslationRef);
  const [groupBy, setGroupBy] = useState<UtilizationGroupBy>('team');
  const [minutes, setMinutes] = useState(60);
  const [reload, setReload] = useState(0);
  const utilization = useUtilization(groupBy, minutes, reload);
  const idle = useIdleGpus();
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" mb={1}>
        <Box mr={2} minWidth={160}>
          <TextField
            select
            label={t('utilization.groupBy')}
            value={groupBy}
            variant="outlined"
            margin="dense"
            fullWidth
            onChange={e => setGroupBy(e.target.value as UtilizationGroupBy)}
            InputLabelProps={{ shrink: true }}
            SelectProps={{
              native: true,
              inputProps: { 'data-testid': 'gpu-utilization-group' },
            }}
          >
            {GROUPS.map(g => (
              <option key={g} value={g}>
                {t(`utilization.groups.${g}`)}
              </option>
            ))}
          </TextField>
        </Box>
        <Box mr={2} minWidth={180}>
          <TextField
            select
            label={t('utilization.timeRange')}
            value={String(minutes)}
            variant="outlined"
            margin="dense"
            fullWidth
            onChange={e => setMinutes(Number(e.target.value))}
            InputLabelProps={{ shrink: true }}
            SelectProps={{
              native: true,
              inputProps: { 'data-testid': 'gpu-utilization-range' },
            }}
          >
            {RANGES.map(r => (
              <option key={r.minutes} value={r.minutes}>
                {t(`utilization.ranges.${r.key}`)}
              </option>
            ))}
          </TextField>
        </Box>
        <Tooltip title={t('utilization.refreshNow')}>
          <span>
            <IconButton
              aria-label={t('utilization.refreshNow')}
              disabled={utilization.loading}
              onClick={() => setReload(r => r + 1)}
            >
              <RefreshIcon />
            </IconButton>
          </span>
        </Tooltip>
      </Box>
      <Loaded state={utilization} what={t('loaded.what.utilization')}>
        {value => <UtilizationChart utilization={value} />}
      </Loaded>
      <Box mt={3}>
        <Loaded state={idle} what={t('loaded.what.idleGpus')}>
          {value => <IdleGpus idle={value} />}
        </Loaded>
      </Box>
    </>
  );
}
