import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  Link,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import {
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { Box, Button, Typography } from '@material-ui/core';
import type { RunSummary } from '@kubemate/plugin-inspections-common';
import { useRuns } from '../../hooks';
import { shortRef } from '../../lib/format';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
import { useInspectionsPaths } from '../../lib/paths';
import { GradeBadge } from '../GradeBadge';
import { RunStatus } from '../RunStatus';
import { SeverityChips } from '../SeverityChips';

/** How many of the latest runs the list reads. */
export const RUNS_SHOWN = 100;

/** The two selected runs as base (older) and head (newer). */
export function compareOrder(a: RunSummary, b: RunSummary) {
  return a.startedAt <= b.startedAt
    ? { base: a, head: b }
    : { base: b, head: a };
}

/** Runs, newest first; pick two to compare them. */
export function RunsTab() {
  const runs = useRuns(RUNS_SHOWN, 0);
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const errorMessage = useErrorMessage();
  const paths = useInspectionsPaths();
  const navigate = useNavigate();
  const [selected, setSelected] = useState<RunSummary[]>([]);

  if (runs.loading && !runs.value) return <Progress />;
  if (runs.error && !runs.value)
    return <TranslatedErrorPanel error={runs.error} />;
  const list = runs.value?.runs ?? [];
  const total = runs.value?.total ?? 0;

  const columns: TableColumn<RunSummary>[] = [
    {
      title: t('runs.columns.started'),
      field: 'startedAt',
      render: r => <Link to={paths.run(r.id)}>{fmt.time(r.startedAt)}</Link>,
    },
    {
      title: t('runs.columns.trigger'),
      field: 'trigger',
      render: r =>
        r.trigger === 'schedule' || r.trigger === 'user'
          ? t(`triggers.${r.trigger}`)
          : r.trigger,
    },
    {
      title: t('runs.columns.by'),
      render: r =>
        r.triggeredBy ? shortRef(r.triggeredBy) : t('runs.scheduler'),
    },
    { title: t('runs.columns.scope'), render: r => fmt.scope(r.scope) },
    {
      title: t('runs.columns.status'),
      field: 'status',
      render: r => <RunStatus status={r.status} />,
    },
    {
      title: t('runs.columns.grade'),
      render: r =>
        r.scores ? (
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <GradeBadge grade={r.scores.grade} size="small" />
            {fmt.score(r.scores.overall)}
          </Box>
        ) : (
          '—'
        ),
    },
    {
      title: t('runs.columns.findings'),
      render: r => <SeverityChips counts={r.findingsBySeverity} />,
    },
    { title: t('runs.columns.duration'), render: r => fmt.runDuration(r) },
  ];

  const pair =
    selected.length === 2 ? compareOrder(selected[0], selected[1]) : undefined;
  return (
    <>
      {runs.error && (
        <WarningPanel
          severity="warning"
          title={t('runs.refreshFailed')}
          message={errorMessage(runs.error)}
        />
      )}
      <Box mb={1} display="flex" alignItems="center" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          color="primary"
          disabled={!pair}
          onClick={() =>
            pair && navigate(paths.compare(pair.base.id, pair.head.id))
          }
          data-testid="inspections-compare-selected"
        >
          {t('runs.compare')}
        </Button>
        <Typography variant="body2" color="textSecondary">
          {pair
            ? `${fmt.time(pair.base.startedAt)} → ${fmt.time(
                pair.head.startedAt,
              )}`
            : t('runs.selectTwo')}
        </Typography>
      </Box>
      <Table<RunSummary>
        title={
          total > list.length
            ? t('runs.titleLatest', {
                shown: String(list.length),
                total: String(total),
              })
            : t('runs.titleAll', { total: String(total) })
        }
        options={{
          selection: true,
          showTextRowsSelected: false,
          paging: list.length > 20,
          pageSize: 20,
          search: false,
        }}
        onSelectionChange={rows => setSelected(rows)}
        columns={columns}
        data={list}
        emptyContent={
          <Box p={2}>
            <Typography>{t('runs.empty')}</Typography>
          </Box>
        }
      />
    </>
  );
}
