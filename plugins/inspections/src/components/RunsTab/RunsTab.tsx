import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { Box, Button, Typography } from '@material-ui/core';
import type { RunSummary } from '@kubemate/plugin-inspections-common';
import { useRuns } from '../../hooks';
import {
  formatScope,
  formatTime,
  runDuration,
  shortRef,
} from '../../lib/format';
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
  const paths = useInspectionsPaths();
  const navigate = useNavigate();
  const [selected, setSelected] = useState<RunSummary[]>([]);

  if (runs.loading && !runs.value) return <Progress />;
  if (runs.error && !runs.value)
    return <ResponseErrorPanel error={runs.error} />;
  const list = runs.value?.runs ?? [];
  const total = runs.value?.total ?? 0;

  const columns: TableColumn<RunSummary>[] = [
    {
      title: 'Started',
      field: 'startedAt',
      render: r => <Link to={paths.run(r.id)}>{formatTime(r.startedAt)}</Link>,
    },
    { title: 'Trigger', field: 'trigger' },
    {
      title: 'By',
      render: r => (r.triggeredBy ? shortRef(r.triggeredBy) : 'scheduler'),
    },
    { title: 'Scope', render: r => formatScope(r.scope) },
    {
      title: 'Status',
      field: 'status',
      render: r => <RunStatus status={r.status} />,
    },
    {
      title: 'Grade',
      render: r =>
        r.scores ? (
          <Box display="flex" alignItems="center" style={{ gap: 8 }}>
            <GradeBadge grade={r.scores.grade} size="small" />
            {r.scores.overall.toFixed(1)}
          </Box>
        ) : (
          '—'
        ),
    },
    {
      title: 'Findings',
      render: r => <SeverityChips counts={r.findingsBySeverity} />,
    },
    { title: 'Duration', render: r => runDuration(r) },
  ];

  const pair =
    selected.length === 2 ? compareOrder(selected[0], selected[1]) : undefined;
  return (
    <>
      {runs.error && (
        <WarningPanel
          severity="warning"
          title="Refreshing the runs failed; showing the last result"
          message={runs.error.message}
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
          Compare
        </Button>
        <Typography variant="body2" color="textSecondary">
          {pair
            ? `${formatTime(pair.base.startedAt)} → ${formatTime(
                pair.head.startedAt,
              )}`
            : 'Select two runs to compare them'}
        </Typography>
      </Box>
      <Table<RunSummary>
        title={
          total > list.length
            ? `Runs (the latest ${list.length} of ${total})`
            : `Runs (${total})`
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
            <Typography>
              No inspection has run yet: start one with Run now.
            </Typography>
          </Box>
        }
      />
    </>
  );
}
