import { Link, Table, TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { IdleGpu, IdleGpusResponse } from '@kubemate/plugin-gpu-common';
import {
  entityLink,
  formatPercent,
  shortRef,
  testIdPart,
} from '../../lib/format';
import { DemoChip } from '../Utilization/UtilizationChart';

const columns: TableColumn<IdleGpu>[] = [
  {
    title: 'Pod',
    field: 'pod',
    render: g => (
      <Box
        data-testid={`gpu-idle-${testIdPart(
          `${g.cluster}-${g.node}-${g.gpu}`,
        )}`}
      >
        <Typography variant="body2">
          {g.namespace}/{g.pod}
        </Typography>
        {g.entityRef && (
          <Link to={entityLink(g.entityRef, 'gpu')}>
            {shortRef(g.entityRef)}
          </Link>
        )}
      </Box>
    ),
  },
  { title: 'Team', render: g => shortRef(g.team) },
  {
    title: 'GPU',
    render: g => (
      <>
        <Typography variant="body2">
          {g.node} · GPU {g.gpu}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {[g.cluster, g.product].filter(Boolean).join(' · ')}
        </Typography>
      </>
    ),
  },
  {
    title: 'Average',
    field: 'averageUtilization',
    type: 'numeric',
    defaultSort: 'asc',
    render: g => formatPercent(g.averageUtilization),
  },
  {
    title: 'Highest',
    field: 'maxUtilization',
    type: 'numeric',
    render: g => formatPercent(g.maxUtilization),
  },
];

/** GPUs allocated to a pod but below the idle threshold over the window. */
export function IdleGpus(props: { idle: IdleGpusResponse }) {
  const { items, thresholdPercent, windowMinutes, demo } = props.idle;
  return (
    <Table<IdleGpu>
      title={
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <span>
            Idle GPUs ({items.length}): allocated, below {thresholdPercent} % on
            average over {windowMinutes} min
          </span>
          {demo && <DemoChip />}
        </Box>
      }
      options={{
        paging: items.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
      columns={columns}
      data={items.map(g => ({ ...g, id: `${g.cluster}/${g.node}/${g.gpu}` }))}
      emptyContent={
        <Box p={2}>
          <Typography>
            No idle GPUs: every allocated GPU you may see was used above{' '}
            {thresholdPercent} % on average in the last {windowMinutes} minutes.
          </Typography>
        </Box>
      }
    />
  );
}
