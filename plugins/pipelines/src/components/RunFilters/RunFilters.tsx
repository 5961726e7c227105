import { Box, Button, MenuItem, TextField } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  PipelineRunSummary,
  RunStatus,
} from '@kubemate/plugin-pipelines-common';
import { RunFilterValues } from '../../lib/runs';
import { useRunFormat } from '../../hooks/useRunFormat';
import { pipelinesTranslationRef } from '../../translation';

const STATUSES: RunStatus[] = [
  'Running',
  'Pending',
  'Succeeded',
  'Failed',
  'Cancelled',
];

function Filter(props: {
  id: string;
  label: string;
  value: string;
  options: Array<{ value: string; label: string }>;
  onChange: (v: string) => void;
}) {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  return (
    <TextField
      select
      id={`pipelines-filter-${props.id}`}
      size="small"
      variant="outlined"
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: 140, marginRight: 8 }}
    >
      <MenuItem value="">{t('filters.all')}</MenuItem>
      {props.options.map(o => (
        <MenuItem key={o.value} value={o.value}>
          {o.label}
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
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const format = useRunFormat();
  const same = (v: string) => ({ value: v, label: v });
  return (
    <Box mb={1} display="flex" alignItems="center">
      <Filter
        id="status"
        label={t('filters.status')}
        value={value.status}
        options={STATUSES.map(s => ({ value: s, label: format.status(s) }))}
        onChange={status => onChange(f => ({ ...f, status }))}
      />
      <Filter
        id="environment"
        label={t('filters.environment')}
        value={value.env}
        options={['dev', 'staging', 'prod'].map(same)}
        onChange={env => onChange(f => ({ ...f, env }))}
      />
      <Filter
        id="cluster"
        label={t('filters.cluster')}
        value={value.cluster}
        options={[...new Set(props.runs.map(r => r.cluster))].sort().map(same)}
        onChange={cluster => onChange(f => ({ ...f, cluster }))}
      />
      <Button onClick={props.onRefresh}>{t('filters.refresh')}</Button>
    </Box>
  );
}
