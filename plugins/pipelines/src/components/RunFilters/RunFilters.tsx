import { Box, Button, MenuItem, TextField } from '@material-ui/core';
import type {
  PipelineRunSummary,
  RunStatus,
} from '@kubemate/plugin-pipelines-common';
import { RunFilterValues } from '../../lib/runs';

const STATUSES: RunStatus[] = [
  'Running',
  'Pending',
  'Succeeded',
  'Failed',
  'Cancelled',
];

function Filter(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  return (
    <TextField
      select
      id={`pipelines-filter-${props.label.toLocaleLowerCase('en-US')}`}
      size="small"
      variant="outlined"
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: 140, marginRight: 8 }}
    >
      <MenuItem value="">all</MenuItem>
      {props.options.map(o => (
        <MenuItem key={o} value={o}>
          {o}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** Status, environment and cluster filters of the runs table, and its refresh button. */
export function RunFilters(props: {
  runs: PipelineRunSummary[];
  value: RunFilterValues;
  onChange: (update: (f: RunFilterValues) => RunFilterValues) => void;
  onRefresh: () => void;
}) {
  const { value, onChange } = props;
  return (
    <Box mb={1} display="flex" alignItems="center">
      <Filter
        label="Status"
        value={value.status}
        options={STATUSES}
        onChange={status => onChange(f => ({ ...f, status }))}
      />
      <Filter
        label="Environment"
        value={value.env}
        options={['dev', 'staging', 'prod']}
        onChange={env => onChange(f => ({ ...f, env }))}
      />
      <Filter
        label="Cluster"
        value={value.cluster}
        options={[...new Set(props.runs.map(r => r.cluster))].sort()}
        onChange={cluster => onChange(f => ({ ...f, cluster }))}
      />
      <Button onClick={props.onRefresh}>Refresh</Button>
    </Box>
  );
}
