import { useState } from 'react';
import {
  Link,
  MarkdownContent,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Box, Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import {
  CHECK_CATEGORIES,
  SEVERITIES,
  type CheckCategory,
  type CheckInfo,
  type Severity,
} from '@kubemate/plugin-inspections-common';
import { useChecks } from '../../hooks';
import { CATEGORY_TITLES } from '../../lib/format';
import { SeverityLabel } from '../SeverityChips';

/** `cpuPercent = 90, days = 30`, or '—'. */
export function formatThresholds(t: Record<string, number>): string {
  const entries = Object.entries(t);
  return entries.length
    ? entries.map(([k, v]) => `${k} = ${v}`).join(', ')
    : '—';
}

function CheckDocs(props: { check: CheckInfo }) {
  const { check } = props;
  return (
    <Box p={2} data-testid={`inspections-check-docs-${check.id}`}>
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2">What it checks</Typography>
          <MarkdownContent content={check.description} />
        </Grid>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2">Remediation</Typography>
          <MarkdownContent content={check.remediation} />
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2">References</Typography>
          {check.references.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              None
            </Typography>
          ) : (
            <ul style={{ margin: 0 }}>
              {check.references.map(r => (
                <li key={`${r.source}:${r.id}`}>
                  {r.url ? (
                    <Link to={r.url}>
                      {r.source} {r.id}
                    </Link>
                  ) : (
                    `${r.source} ${r.id}`
                  )}
                </li>
              ))}
            </ul>
          )}
          <Typography variant="body2" color="textSecondary">
            Version {check.version} · runs{' '}
            {check.scope === 'cluster' ? 'once per cluster' : 'once per run'}
            {check.enabled ? '' : ' · switched off in the configuration'}
          </Typography>
        </Grid>
      </Grid>
    </Box>
  );
}

/** The check catalogue: searchable, filtered by category and severity; a row expands to its docs. */
export function ChecksTab() {
  const checks = useChecks();
  const [category, setCategory] = useState<CheckCategory | 'all'>('all');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');

  if (checks.loading && !checks.value) return <Progress />;
  if (checks.error && !checks.value)
    return <ResponseErrorPanel error={checks.error} />;
  const all = checks.value?.checks ?? [];
  const shown = all.filter(
    c =>
      (category === 'all' || c.category === category) &&
      (severity === 'all' || c.severity === severity),
  );

  const columns: TableColumn<CheckInfo>[] = [
    {
      title: 'Check',
      field: 'title',
      render: c => (
        <>
          <Typography variant="body2">{c.title}</Typography>
          <Typography variant="caption" color="textSecondary">
            {c.id}
          </Typography>
        </>
      ),
    },
    { title: 'Id', field: 'id', hidden: true, searchable: true },
    {
      title: 'Category',
      field: 'category',
      render: c => CATEGORY_TITLES[c.category],
    },
    {
      title: 'Severity',
      field: 'severity',
      render: c => <SeverityLabel severity={c.severity} />,
    },
    { title: 'Data source', field: 'dataSource' },
    { title: 'Thresholds', render: c => formatThresholds(c.thresholds) },
    {
      title: 'Enabled',
      field: 'enabled',
      render: c => (c.enabled ? 'yes' : 'no'),
    },
  ];

  const select = (
    label: string,
    value: string,
    options: string[],
    onChange: (v: string) => void,
  ) => (
    <Box mr={2} minWidth={180}>
      <TextField
        select
        label={label}
        value={value}
        onChange={e => onChange(e.target.value)}
        fullWidth
        variant="outlined"
        margin="dense"
        SelectProps={{
          SelectDisplayProps: {
            'aria-label': `Filter by ${label.toLowerCase()}`,
          } as any,
        }}
      >
        <MenuItem value="all">all</MenuItem>
        {options.map(o => (
          <MenuItem key={o} value={o}>
            {o}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );

  return (
    <>
      <Box display="flex" mb={1}>
        {select('Category', category, CHECK_CATEGORIES, v =>
          setCategory(v as CheckCategory | 'all'),
        )}
        {select('Severity', severity, SEVERITIES, v =>
          setSeverity(v as Severity | 'all'),
        )}
      </Box>
      <Table<CheckInfo>
        title={`Checks (${shown.length} of ${all.length})`}
        subtitle={
          checks.value
            ? `Ruleset ${checks.value.rulesetHash.slice(0, 12)}`
            : undefined
        }
        options={{ paging: shown.length > 50, pageSize: 50, search: true }}
        columns={columns}
        data={shown}
        detailPanel={({ rowData }) => <CheckDocs check={rowData} />}
        onRowClick={(_e, _row, togglePanel) => togglePanel?.()}
        emptyContent={
          <Box p={2}>
            <Typography>No check matches.</Typography>
          </Box>
        }
      />
    </>
  );
}
