import { useState } from 'react';
import { Box, IconButton, TextField, Tooltip } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { UtilizationGroupBy } from '../../api';
import { useIdleGpus, useUtilization } from '../../hooks';
import { IdleGpus } from '../IdleGpus';
import { Loaded } from '../Section';
import { UtilizationChart } from './UtilizationChart';

/** The time ranges offered (the backend takes 5..10080 minutes). */
export const RANGES = [
  { minutes: 15, label: 'Last 15 minutes' },
  { minutes: 60, label: 'Last hour' },
  { minutes: 360, label: 'Last 6 hours' },
  { minutes: 1440, label: 'Last 24 hours' },
  { minutes: 10080, label: 'Last 7 days' },
];

const GROUPS: Array<{ value: UtilizationGroupBy; label: string }> = [
  { value: 'team', label: 'Team' },
  { value: 'workload', label: 'Workload' },
  { value: 'model', label: 'GPU model' },
];

/** Utilization over time (grouped, time range) and the idle GPUs. */
export function UtilizationTab() {
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
            label="Group by"
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
              <option key={g.value} value={g.value}>
                {g.label}
              </option>
            ))}
          </TextField>
        </Box>
        <Box mr={2} minWidth={180}>
          <TextField
            select
            label="Time range"
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
                {r.label}
              </option>
            ))}
          </TextField>
        </Box>
        <Tooltip title="Refresh now">
          <span>
            <IconButton
              aria-label="Refresh now"
              disabled={utilization.loading}
              onClick={() => setReload(r => r + 1)}
            >
              <RefreshIcon />
            </IconButton>
          </span>
        </Tooltip>
      </Box>
      <Loaded state={utilization} what="the utilization">
        {value => <UtilizationChart utilization={value} />}
      </Loaded>
      <Box mt={3}>
        <Loaded state={idle} what="the idle GPUs">
          {value => <IdleGpus idle={value} />}
        </Loaded>
      </Box>
    </>
  );
}
