import { useMemo } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Typography } from '@material-ui/core';
import type { IdleGpu, IdleGpusResponse } from '@kubemate/plugin-gpu-common';
import {
  type Formatters,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
import {
  entityLink,
  formatPercent,
  shortRef,
  testIdPart,
} from '../../lib/format';
import { gpuTranslationRef, type GpuT } from '../../translation';
import { DemoChip } from '../Utilization/UtilizationChart';

const columnsOf = (t: GpuT, f: Formatters): TableColumn<IdleGpu>[] => [
  {
    title: t('idle.columns.pod'),
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
  { title: t('idle.columns.team'), render: g => shortRef(g.team) },
  {
    title: t('idle.columns.gpu'),
    render: g => (
      <>
        <Typography variant="body2">
          {t('idle.gpuOnNode', { node: g.node, gpu: String(g.gpu) })}
        </Typography>
        <Typography variant="caption" color="textSecondary">
          {[g.cluster, g.product].filter(Boolean).join(' · ')}
        </Typography>
      </>
    ),
  },
  {
    title: t('idle.columns.average'),
    field: 'averageUtilization',
    type: 'numeric',
    defaultSort: 'asc',
    render: g => formatPercent(f, g.averageUtilization),
  },
  {
    title: t('idle.columns.highest'),
    field: 'maxUtilization',
    type: 'numeric',
    render: g => formatPercent(f, g.maxUtilization),
  },
];

/** GPUs allocated to a pod but below the idle threshold over the window. */
export function IdleGpus(props: { idle: IdleGpusResponse }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  const f = useFormatters();
  const columns = useMemo(() => columnsOf(t, f), [t, f]);
  const { items, thresholdPercent, windowMinutes, demo } = props.idle;
  return (
    <Table<IdleGpu>
      title={
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <span>
            {t('idle.title', {
              n: String(items.length),
              threshold: String(thresholdPercent),
              minutes: String(windowMinutes),
            })}
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
            {t('idle.empty', {
              threshold: String(thresholdPercent),
              minutes: String(windowMinutes),
            })}
          </Typography>
        </Box>
      }
    />
  );
}
