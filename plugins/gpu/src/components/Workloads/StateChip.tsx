import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Chip } from '@material-ui/core';
import type { WorkloadState } from '@kubemate/plugin-gpu-common';
import { gpuTranslationRef } from '../../translation';

export const STATE_COLOURS: Record<WorkloadState, string> = {
  pending: '#f9a825',
  reserved: '#0288d1',
  admitted: '#2e7d32',
  finished: '#757575',
  evicted: '#6d4c41',
  inadmissible: '#c62828',
};

export const WORKLOAD_STATES = Object.keys(STATE_COLOURS) as WorkloadState[];

/** A workload's state as a coloured chip. */
export function StateChip(props: { state: WorkloadState }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  return (
    <Chip
      size="small"
      label={t(`workloads.states.${props.state}`)}
      style={{ background: STATE_COLOURS[props.state], color: '#fff' }}
    />
  );
}
