import { useMemo, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, TextField } from '@material-ui/core';
import type { GpuWorkload, WorkloadState } from '@kubemate/plugin-gpu-common';
import { useQueues, useWorkloads } from '../../hooks';
import { Loaded } from '../Section';
import { gpuTranslationRef, type GpuT } from '../../translation';
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
  /** The test id's last part (`gpu-filter-<id>`). */
  id: string;
  label: string;
  ariaLabel: string;
  /** The text of an option (its value by default). */
  optionLabel?: (o: string) => string;
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
            'aria-label': props.ariaLabel,
            'data-testid': `gpu-filter-${props.id}`,
          },
        }}
      >
        <option value={ALL}>{props.allLabel}</option>
        {props.options.map(o => (
          <option key={o} value={o}>
            {props.optionLabel ? props.optionLabel(o) : o}
          </option>
        ))}
      </TextField>
    </Box>
  );
}

function emptyText(t: GpuT, state: string, filtered: boolean): string {
  if (state === 'pending') return t('workloads.noPending');
  if (filtered) return t('workloads.noMatch');
  return t('workloads.nothingQueued');
}

/** The queue: workloads of the queues the user sees, filtered by cluster, namespace and state. */
export function QueueTab() {
  const { t } = useTranslationRef(gpuTranslationRef);
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
          id="cluster"
          label={t('workloads.filters.cluster')}
          ariaLabel={t('workloads.filters.clusterAria')}
          value={cluster}
          options={clusters}
          onChange={v => {
            setCluster(v);
            setNamespace(ALL);
          }}
          allLabel={t('workloads.filters.allClusters')}
        />
        <Filter
          id="namespace"
          label={t('workloads.filters.namespace')}
          ariaLabel={t('workloads.filters.namespaceAria')}
          value={namespace}
          options={namespaces}
          onChange={setNamespace}
          allLabel={t('workloads.filters.allNamespaces')}
        />
        <Filter
          id="state"
          label={t('workloads.filters.state')}
          ariaLabel={t('workloads.filters.stateAria')}
          optionLabel={o => t(`workloads.states.${o as WorkloadState}`)}
          value={state}
          options={WORKLOAD_STATES}
          onChange={setState}
          allLabel={t('workloads.filters.allStates')}
        />
      </Box>
      <Loaded state={workloads} what={t('loaded.what.workloads')}>
        {value => {
          const list = [...value.workloads].sort(queueOrder);
          const pending = list.filter(w => w.state === 'pending').length;
          return (
            <WorkloadsTable
              workloads={list}
              title={t('workloads.title', {
                n: String(list.length),
                pending: String(pending),
              })}
              emptyText={emptyText(t, state, filtered)}
            />
          );
        }}
      </Loaded>
    </>
  );
}
