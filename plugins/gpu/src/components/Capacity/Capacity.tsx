import { EmptyState, Table, TableColumn } from '@backstage/core-components';
import { Box, Chip, Grid, Typography } from '@material-ui/core';
import type {
  CapacityResponse,
  GpuModelCapacity,
  GpuNode,
} from '@kubemate/plugin-gpu-common';
import { formatMemory, testIdPart } from '../../lib/format';

const modelColumns: TableColumn<GpuModelCapacity>[] = [
  { title: 'Cluster', field: 'cluster' },
  {
    title: 'Model',
    field: 'product',
    render: m => (
      <>
        <Typography variant="body2">{m.product}</Typography>
        {m.flavor && (
          <Typography variant="caption" color="textSecondary">
            flavor {m.flavor}
          </Typography>
        )}
      </>
    ),
  },
  { title: 'Memory / GPU', render: m => formatMemory(m.memoryMiB) },
  { title: 'Nodes', field: 'nodes', type: 'numeric' },
  { title: 'GPUs', field: 'gpus', type: 'numeric' },
  { title: 'Allocated', field: 'allocated', type: 'numeric' },
  { title: 'Free', field: 'free', type: 'numeric' },
  { title: 'Unavailable', field: 'unavailable', type: 'numeric' },
];

const nodeColumns: TableColumn<GpuNode>[] = [
  { title: 'Cluster', field: 'cluster' },
  {
    title: 'Node',
    field: 'name',
    render: n => (
      <span data-testid={`gpu-node-${testIdPart(`${n.cluster}-${n.name}`)}`}>
        {n.name}
        {n.simulated && (
          <Chip size="small" label="simulated" style={{ marginLeft: 8 }} />
        )}
      </span>
    ),
  },
  { title: 'Model', field: 'product' },
  { title: 'Flavor', render: n => n.flavor ?? '—' },
  {
    title: 'Allocated',
    render: n => `${n.allocated} of ${n.gpus}`,
  },
  {
    title: 'State',
    render: n => {
      if (!n.ready) return 'not ready';
      return n.schedulable ? 'ready' : 'cordoned';
    },
  },
];

/** A summary tile: total, allocated and free GPUs of one model in one cluster. */
function ModelTile(props: { model: GpuModelCapacity }) {
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
        {m.cluster} · {m.nodes} node{m.nodes === 1 ? '' : 's'} ·{' '}
        {formatMemory(m.memoryMiB)} each
      </Typography>
      <Typography variant="h5">
        {m.free} free <small>of {m.gpus}</small>
      </Typography>
      <Typography variant="caption" color="textSecondary">
        {m.allocated} allocated
        {m.unavailable ? ` · ${m.unavailable} unavailable` : ''}
      </Typography>
    </Box>
  );
}

/** GPU capacity by model and cluster (tiles and a table) and the GPU nodes. */
export function Capacity(props: { capacity: CapacityResponse }) {
  const { models, nodes } = props.capacity;
  if (!models.length && !nodes.length) {
    return (
      <EmptyState
        missing="data"
        title="No GPU nodes"
        description="No node of the clusters advertises nvidia.com/gpu (GPU feature discovery labels)."
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
          title="Capacity by model"
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={modelColumns}
          data={models}
        />
      </Box>
      <Box mt={2}>
        <Table<GpuNode>
          title={`GPU nodes (${nodes.length})`}
          options={{
            paging: nodes.length > 20,
            pageSize: 20,
            search: nodes.length > 10,
            padding: 'dense',
          }}
          columns={nodeColumns}
          data={nodes}
        />
      </Box>
    </>
  );
}
