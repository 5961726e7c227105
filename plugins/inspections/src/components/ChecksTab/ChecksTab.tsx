import { useState } from 'react';
import {
  Link,
  MarkdownContent,
  Progress,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { TranslatedErrorPanel } from '@kubemate/plugin-kubemate-react';
import { Box, Grid, MenuItem, TextField, Typography } from '@material-ui/core';
import {
  CHECK_CATEGORIES,
  SEVERITIES,
  type CheckCategory,
  type CheckInfo,
  type Severity,
} from '@kubemate/plugin-inspections-common';
import { useChecks } from '../../hooks';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
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
  const { t } = useInspectionsFormat();
  let versionLine:
    | 'checks.versionCluster'
    | 'checks.versionClusterOff'
    | 'checks.versionRun'
    | 'checks.versionRunOff';
  if (check.scope === 'cluster') {
    versionLine = check.enabled
      ? 'checks.versionCluster'
      : 'checks.versionClusterOff';
  } else {
    versionLine = check.enabled ? 'checks.versionRun' : 'checks.versionRunOff';
  }
  return (
    <Box p={2} data-testid={`inspections-check-docs-${check.id}`}>
      <Grid container spacing={2}>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2">
            {t('checks.whatItChecks')}
          </Typography>
          <MarkdownContent content={check.description} />
        </Grid>
        <Grid item xs={12} md={6}>
          <Typography variant="subtitle2">{t('checks.remediation')}</Typography>
          <MarkdownContent content={check.remediation} />
        </Grid>
        <Grid item xs={12}>
          <Typography variant="subtitle2">{t('checks.references')}</Typography>
          {check.references.length === 0 ? (
            <Typography variant="body2" color="textSecondary">
              {t('checks.none')}
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
            {t(versionLine, { version: String(check.version) })}
          </Typography>
        </Grid>
      </Grid>
    </Box>
  );
}

/** The check catalogue: searchable, filtered by category and severity; a row expands to its docs. */
export function ChecksTab() {
  const checks = useChecks();
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const [category, setCategory] = useState<CheckCategory | 'all'>('all');
  const [severity, setSeverity] = useState<Severity | 'all'>('all');

  if (checks.loading && !checks.value) return <Progress />;
  if (checks.error && !checks.value)
    return <TranslatedErrorPanel error={checks.error} />;
  const all = checks.value?.checks ?? [];
  const shown = all.filter(
    c =>
      (category === 'all' || c.category === category) &&
      (severity === 'all' || c.severity === severity),
  );

  const columns: TableColumn<CheckInfo>[] = [
    {
      title: t('checks.columns.check'),
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
    {
      title: t('checks.columns.id'),
      field: 'id',
      hidden: true,
      searchable: true,
    },
    {
      title: t('checks.columns.category'),
      field: 'category',
      render: c => fmt.category(c.category),
    },
    {
      title: t('checks.columns.severity'),
      field: 'severity',
      render: c => <SeverityLabel severity={c.severity} />,
    },
    { title: t('checks.columns.dataSource'), field: 'dataSource' },
    {
      title: t('checks.columns.thresholds'),
      render: c => formatThresholds(c.thresholds),
    },
    {
      title: t('checks.columns.enabled'),
      field: 'enabled',
      render: c => (c.enabled ? t('checks.yes') : t('checks.no')),
    },
  ];

  const select = (
    label: string,
    ariaLabel: string,
    value: string,
    options: Array<{ value: string; label: string }>,
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
            'aria-label': ariaLabel,
          } as any,
        }}
      >
        <MenuItem value="all">{t('common.all')}</MenuItem>
        {options.map(o => (
          <MenuItem key={o.value} value={o.value}>
            {o.label}
          </MenuItem>
        ))}
      </TextField>
    </Box>
  );

  return (
    <>
      <Box display="flex" mb={1}>
        {select(
          t('checks.category'),
          t('checks.filterByCategory'),
          category,
          CHECK_CATEGORIES.map(c => ({ value: c, label: fmt.categoryName(c) })),
          v => setCategory(v as CheckCategory | 'all'),
        )}
        {select(
          t('checks.severity'),
          t('checks.filterBySeverity'),
          severity,
          SEVERITIES.map(s => ({ value: s, label: t(`severities.${s}`) })),
          v => setSeverity(v as Severity | 'all'),
        )}
      </Box>
      <Table<CheckInfo>
        title={t('checks.title', {
          shown: String(shown.length),
          total: String(all.length),
        })}
        subtitle={
          checks.value
            ? t('checks.ruleset', {
                hash: checks.value.rulesetHash.slice(0, 12),
              })
            : undefined
        }
        options={{ paging: shown.length > 50, pageSize: 50, search: true }}
        columns={columns}
        data={shown}
        detailPanel={({ rowData }) => <CheckDocs check={rowData} />}
        onRowClick={(_e, _row, togglePanel) => togglePanel?.()}
        emptyContent={
          <Box p={2}>
            <Typography>{t('checks.empty')}</Typography>
          </Box>
        }
      />
    </>
  );
}
