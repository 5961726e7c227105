import { Link, Table, TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { GpuWorkload } from '@kubemate/plugin-gpu-common';
import {
  entityLink,
  formatPercent,
  formatSeconds,
  formatTime,
  shortRef,
  testIdPart,
} from '../../lib/format';
import { PendingReason } from '../PendingReason';
import { StateChip } from './StateChip';

const WAITING = new Set(['pending', 'inadmissible', 'evicted']);

/** The test id of a workload's row (`gpu-workload-<cluster>-<namespace>-<name>`). */
export const workloadTestId = (w: GpuWorkload) =>
  `gpu-workload-${testIdPart(`${w.cluster}-${w.namespace}-${w.name}`)}`;

function Evictions(props: { workload: GpuWorkload }) {
  const { evictions } = props.workload;
  if (!evictions.length) return null;
  const [last] = evictions;
  return (
    <Box mt={1}>
      <Typography variant="caption" color="error" component="div">
        Evicted {evictions.length}× · last {formatTime(last.at)}: {last.reason}
      </Typography>
      <Typography variant="caption" component="div" color="textSecondary">
        {last.message}
      </Typography>
    </Box>
  );
}

const columns: TableColumn<GpuWorkload>[] = [
  {
    title: 'Workload',
    field: 'name',
    cellStyle: { minWidth: 200 },
    render: w => (
      <Box
        data-testid={workloadTestId(w)}
        data-state={w.state}
        data-position={w.position ?? ''}
      >
        <Typography variant="body2">
          {w.owner ? `${w.owner.kind} ${w.owner.name}` : w.name}
        </Typography>
        <Typography variant="caption" color="textSecondary" component="div">
          {w.cluster}/{w.namespace}
          {w.owner ? ` · ${w.name}` : ''}
        </Typography>
        {w.entityRef && (
          <Link to={entityLink(w.entityRef, 'gpu')}>
            {shortRef(w.entityRef)}
          </Link>
        )}
      </Box>
    ),
  },
  {
    title: 'Queue',
    field: 'queue',
    render: w => (
      <>
        <Typography variant="body2">
          {w.queue}
          {w.clusterQueue ? ` → ${w.clusterQueue}` : ''}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {w.priorityClass
            ? `${w.priorityClass} (${w.priority})`
            : `priority ${w.priority}`}
        </Typography>
      </>
    ),
  },
  { title: 'GPUs', field: 'gpus', type: 'numeric' },
  {
    title: 'State',
    field: 'state',
    render: w => (
      <>
        <StateChip state={w.state} />
        {w.position !== undefined && (
          <Typography variant="caption" component="div">
            #{w.position} in {w.clusterQueue ?? 'the queue'}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: 'Reason / admission',
    sorting: false,
    cellStyle: { minWidth: 360 },
    render: w => (
      <Box>
        {WAITING.has(w.state) ? (
          <PendingReason
            reason={w.reason}
            testId={`${workloadTestId(w)}-reason`}
          />
        ) : (
          <Typography variant="body2">
            {w.flavor ? `flavor ${w.flavor}` : '—'}
            {w.admittedAt ? ` · admitted ${formatTime(w.admittedAt)}` : ''}
          </Typography>
        )}
        <Evictions workload={w} />
      </Box>
    ),
  },
  {
    title: 'Waited',
    field: 'waitSeconds',
    type: 'numeric',
    render: w => formatSeconds(w.waitSeconds),
  },
  {
    title: 'Util. (15 min)',
    field: 'utilization',
    type: 'numeric',
    render: w => formatPercent(w.utilization),
  },
];

/** Kueue workloads: pending ones with Kueue's reason and position, admitted ones with flavor and wait. */
export function WorkloadsTable(props: {
  workloads: GpuWorkload[];
  title: string;
  emptyText: string;
}) {
  const { workloads } = props;
  return (
    <Table<GpuWorkload>
      title={props.title}
      options={{
        paging: workloads.length > 20,
        pageSize: 20,
        search: true,
        padding: 'dense',
      }}
      columns={columns}
      data={workloads.map(w => ({
        ...w,
        id: `${w.cluster}/${w.namespace}/${w.name}`,
      }))}
      emptyContent={
        <Box p={2}>
          <Typography>{props.emptyText}</Typography>
        </Box>
      }
    />
  );
}
