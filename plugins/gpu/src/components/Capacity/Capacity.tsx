import { useMemo } from 'react';
import { EmptyState, Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Chip, Grid, Typography } from '@material-ui/core';
import type {
  CapacityResponse,
  GpuModelCapacity,
  GpuNode,
} from '@kubemate/plugin-gpu-common';
import { formatMemory, testIdPart } from '../../lib/format';
import { gpuTranslationRef, type GpuT } from '../../translation';

const modelColumns = (t: GpuT): TableColumn<GpuModelCapacity>[] => [
  { title: t('capacity.columns.cluster'), field: 'cluster' },
  {
    title: t('capacity.columns.model'),
    field: 'product',
    render: m => (
      <>
        <Typography variant="body2">{m.product}</Typography>
        {m.flavor && (
          <Typography variant="caption" color="textSecondary">
            {t('capacity.flavor', { flavor: m.flavor })}
          </Typography>
        )}
      </>
    ),
  },
  {
    title: t('capacity.columns.memory'),
    render: m => formatMemory(m.memoryMiB),
  },
  { title: t('capacity.columns.nodes'), field: 'nodes', type: 'numeric' },
  { title: t('capacity.columns.gpus'), field: 'gpus', type: 'numeric' },
  {
    title: t('capacity.columns.allocated'),
    field: 'allocated',
    type: 'numeric',
  },
  { title: t('capacity.columns.free'), field: 'free', type: 'numeric' },
  {
    title: t('capacity.columns.unavailable'),
    field: 'unavailable',
    type: 'numeric',
  },
];

const nodeColumns = (t: GpuT): TableColumn<GpuNode>[] => [
  { title: t('capacity.columns.cluster'), field: 'cluster' },
  {
    title: t('capacity.columns.node'),
    field: 'name',
    render: n => (
      <span data-testid={`gpu-node-${testIdPart(`${n.cluster}-${n.name}`)}`}>
        {n.name}
        {n.simulated && (
          <Chip
            size="small"
            label={t('capacity.simulated')}
            style={{ marginLeft: 8 }}
          />
        )}
      </span>
    ),
  },
  { title: t('capacity.columns.model'), field: 'product' },
  { title: t('capacity.columns.flavor'), render: n => n.flavor ?? '—' },
  {
    title: t('capacity.columns.allocated'),
    render: n =>
      t('capacity.allocatedOf', {
        allocated: String(n.allocated),
        gpus: String(n.gpus),
      }),
  },
  {
    title: t('capacity.columns.state'),
    render: n => {
      if (!n.ready) return t('capacity.nodeState.notReady');
      return n.schedulable
        ? t('capacity.nodeState.ready')
        : t('capacity.nodeState.cordoned');
    },
  },
];

/** A summary tile: total, allocated and free GPUs of one model in one cluster. */
function ModelTile(props: { model: GpuModelCapacity }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  const m = props.model;
  return (
    <Box
      p={2}
      border={1}
      borderColor="divider"
      borderRadius={4}
      data-testid={`gpu-capacity-${testIdPart(`${m.cluster}-${m.product}`)}`}
    >
      <Typography variant="subtitle2">{m.product}</Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {t('capacity.tile', {
          cluster: m.cluster,
          count: m.nodes,
          memory: formatMemory(m.memoryMiB),
        })}
      </Typography>
      <Typography variant="h5">
        {t('capacity.free', { free: String(m.free) })}{' '}
        <small>{t('capacity.ofTotal', { gpus: String(m.gpus) })}</small>
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {m.unavailable
          ? t('capacity.allocatedUnavailable', {
              allocated: String(m.allocated),
              unavailable: String(m.unavailable),
            })
          : t('capacity.allocated', { allocated: String(m.allocated) })}
      </Typography>
    </Box>
  );
}

/** GPU capacity by model and cluster (tiles and a table) and the GPU nodes. */
export function Capacity(props: { capacity: CapacityResponse }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  const { models, nodes } = props.capacity;
  const modelCols = useMemo(() => modelColumns(t), [t]);
  const nodeCols = useMemo(() => nodeColumns(t), [t]);
  if (!models.length && !nodes.length) {
    return (
      <EmptyState
        missing="data"
        title={t('capacity.emptyTitle')}
        description={t('capacity.emptyDescription')}
      />
    );
  }
  return (
    <>
      <Grid container spacing={2}>
        {models.map(m => (
          <Grid item xs={12} sm={6} md={3} key={`${m.cluster}/${m.product}`}>
            <ModelTile model={m} />
          </Grid>
        ))}
      </Grid>
      <Box mt={2}>
        <Table<GpuModelCapacity>
          title={t('capacity.byModel')}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={modelCols}
          data={models}
        />
      </Box>
      <Box mt={2}>
        <Table<GpuNode>
          title={t('capacity.nodesTitle', { n: String(nodes.length) })}
          options={{
            paging: nodes.length > 20,
            pageSize: 20,
            search: nodes.length > 10,
            padding: 'dense',
          }}
          columns={nodeCols}
          data={nodes}
        />
      </Box>
    </>
  );
}
