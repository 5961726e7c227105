import { useMemo, useState } from 'react';
import { Box, TextField } from '@material-ui/core';
import type { GpuWorkload, WorkloadState } from '@kubemate/plugin-gpu-common';
import { useQueues, useWorkloads } from '../../hooks';
import { Loaded } from '../Section';
import { WORKLOAD_STATES } from './StateChip';
import { WorkloadsTable } from './WorkloadsTable';

const ALL = '';

/** Pending first (by ClusterQueue and position), then the rest newest first. */
export function queueOrder(a: GpuWorkload, b: GpuWorkload): number {
  const pa = a.position !== undefined;
  const pb = b.position !== undefined;
  if (pa !== pb) return pa ? -1 : 1;
  if (pa && pb) {
    return (
      (a.clusterQueue ?? '').localeCompare(b.clusterQueue ?? '') ||
      a.position! - b.position!
    );
  }
  return b.createdAt.localeCompare(a.createdAt);
}

function Filter(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
  allLabel: string;
}) {
  return (
    <Box mr={2} minWidth={180}>
      <TextField
        select
        label={props.label}
        value={props.value}
        variant="outlined"
        margin="dense"
        fullWidth
        onChange={e => props.onChange(String(e.target.value))}
        InputLabelProps={{ shrink: true }}
        SelectProps={{
          native: true,
          inputProps: {
            'aria-label': `Filter by ${props.label.toLocaleLowerCase('en-US')}`,
            'data-testid': `gpu-filter-${props.label.toLocaleLowerCase(
              'en-US',
            )}`,
          },
        }}
      >
        <option value={ALL}>{props.allLabel}</option>
        {props.options.map(o => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </TextField>
    </Box>
  );
}

function emptyText(state: string, filtered: boolean): string {
  if (state === 'pending') return 'No pending workloads.';
  if (filtered) return 'No workload matches these filters.';
  return 'No pending workloads: no GPU workload in the queues you may see.';
}

/** The queue: workloads of the queues the user sees, filtered by cluster, namespace and state. */
export function QueueTab() {
  const [cluster, setCluster] = useState(ALL);
  const [namespace, setNamespace] = useState(ALL);
  const [state, setState] = useState(ALL);
  const queues = useQueues();
  const workloads = useWorkloads({
    cluster: cluster || undefined,
    namespace: namespace || undefined,
    state: (state || undefined) as WorkloadState | undefined,
  });
  const clusters = useMemo(
    () => [...new Set(queues.value?.queues.map(q => q.cluster))].sort(),
    [queues.value],
  );
  const namespaces = useMemo(
    () =>
      [
        ...new Set(
          queues.value?.queues
            .filter(q => !cluster || q.cluster === cluster)
            .flatMap(q => q.localQueues.map(l => l.namespace)),
        ),
      ].sort(),
    [queues.value, cluster],
  );
  const filtered = Boolean(cluster || namespace || state);
  return (
    <>
      <Box display="flex" flexWrap="wrap" mb={1}>
        <Filter
          label="Cluster"
          value={cluster}
          options={clusters}
          onChange={v => {
            setCluster(v);
            setNamespace(ALL);
          }}
          allLabel="All clusters"
        />
        <Filter
          label="Namespace"
          value={namespace}
          options={namespaces}
          onChange={setNamespace}
          allLabel="All namespaces"
        />
        <Filter
          label="State"
          value={state}
          options={WORKLOAD_STATES}
          onChange={setState}
          allLabel="All states"
        />
      </Box>
      <Loaded state={workloads} what="the workloads">
        {value => {
          const list = [...value.workloads].sort(queueOrder);
          const pending = list.filter(w => w.state === 'pending').length;
          return (
            <WorkloadsTable
              workloads={list}
              title={`Workloads (${list.length}, ${pending} pending)`}
              emptyText={emptyText(state, filtered)}
            />
          );
        }}
      </Loaded>
    </>
  );
}
