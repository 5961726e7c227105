import { useMemo } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Typography } from '@material-ui/core';
import type { GpuWorkload } from '@kubemate/plugin-gpu-common';
import {
  type Formatters,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
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
import { gpuTranslationRef, type GpuT } from '../../translation';

const WAITING = new Set(['pending', 'inadmissible', 'evicted']);

/** The test id of a workload's row (`gpu-workload-<cluster>-<namespace>-<name>`). */
export const workloadTestId = (w: GpuWorkload) =>
  `gpu-workload-${testIdPart(`${w.cluster}-${w.namespace}-${w.name}`)}`;

function Evictions(props: { workload: GpuWorkload }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  const f = useFormatters();
  const { evictions } = props.workload;
  if (!evictions.length) return null;
  const [last] = evictions;
  return (
    <Box mt={1}>
      <Typography variant="caption" color="error" component="div">
        {t('workloads.evicted', {
          n: String(evictions.length),
          time: formatTime(f, last.at),
          reason: last.reason,
        })}
      </Typography>
      <Typography variant="caption" component="div" color="textSecondary">
        {last.message}
      </Typography>
    </Box>
  );
}

/** Where an admitted workload runs: `flavor a100-40gb · admitted <time>`. */
function admissionText(t: GpuT, f: Formatters, w: GpuWorkload): string {
  if (!w.admittedAt) {
    return w.flavor ? t('workloads.flavor', { flavor: w.flavor }) : '—';
  }
  const time = formatTime(f, w.admittedAt);
  return w.flavor
    ? t('workloads.flavorAdmitted', { flavor: w.flavor, time })
    : t('workloads.admitted', { time });
}

const columnsOf = (t: GpuT, f: Formatters): TableColumn<GpuWorkload>[] => [
  {
    title: t('workloads.columns.workload'),
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
    title: t('workloads.columns.queue'),
    field: 'queue',
    render: w => (
      <>
        {/* Kubernetes object names: LocalQueue → ClusterQueue */}
        <Typography variant="body2" translate="no">
          {w.queue}
          {w.clusterQueue ? ` → ${w.clusterQueue}` : ''}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {w.priorityClass
            ? `${w.priorityClass} (${w.priority})`
            : t('workloads.priority', { priority: String(w.priority) })}
        </Typography>
      </>
    ),
  },
  { title: t('workloads.columns.gpus'), field: 'gpus', type: 'numeric' },
  {
    title: t('workloads.columns.state'),
    field: 'state',
    render: w => (
      <>
        <StateChip state={w.state} />
        {w.position !== undefined && (
          <Typography variant="caption" component="div">
            {w.clusterQueue
              ? t('workloads.positionIn', {
                  position: String(w.position),
                  queue: w.clusterQueue,
                })
              : t('workloads.positionInQueue', {
                  position: String(w.position),
                })}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: t('workloads.columns.reason'),
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
          <Typography variant="body2">{admissionText(t, f, w)}</Typography>
        )}
        <Evictions workload={w} />
      </Box>
    ),
  },
  {
    title: t('workloads.columns.waited'),
    field: 'waitSeconds',
    type: 'numeric',
    render: w => formatSeconds(t, w.waitSeconds),
  },
  {
    title: t('workloads.columns.utilization'),
    field: 'utilization',
    type: 'numeric',
    render: w => formatPercent(f, w.utilization),
  },
];

/** Kueue workloads: pending ones with Kueue's reason and position, admitted ones with flavor and wait. */
export function WorkloadsTable(props: {
  workloads: GpuWorkload[];
  title: string;
  emptyText: string;
}) {
  const { workloads } = props;
  const { t } = useTranslationRef(gpuTranslationRef);
  const f = useFormatters();
  const columns = useMemo(() => columnsOf(t, f), [t, f]);
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
