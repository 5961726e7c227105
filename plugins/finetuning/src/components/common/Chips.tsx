import { Chip, Tooltip } from '@material-ui/core';
import type { JobState } from '@kubemate/plugin-finetuning-common';

const COLORS: Record<JobState, string> = {
  Queued: '#f9a825',
  Starting: '#0288d1',
  Running: '#1565c0',
  Succeeded: '#2e7d32',
  Failed: '#c62828',
  Cancelled: '#616161',
  Unknown: '#9e9e9e',
};

/** A job's state as a coloured chip. */
export function StateChip(props: { state: JobState; testId?: string }) {
  return (
    <Chip
      size="small"
      label={props.state}
      data-testid={props.testId}
      data-state={props.state}
      style={{ background: COLORS[props.state] ?? '#9e9e9e', color: '#fff' }}
    />
  );
}

/** The chip saying a run's metrics and logs come from the dev stack's demo trainer. */
export function DemoChip(props: { testId?: string }) {
  return (
    <Tooltip title="The dev stack's demo trainer logged these metrics and log lines (MLflow tag kubemate.demo=true): the controller, Kueue and the pods are real, the training compute is simulated">
      <Chip
        size="small"
        label="demo data — simulated training"
        data-testid={props.testId ?? 'ft-demo-chip'}
        style={{ background: '#6a1b9a', color: '#fff' }}
      />
    </Tooltip>
  );
}

/** The label of an untrained (zero-initialised) adapter. */
export function UntrainedChip() {
  return (
    <Tooltip title="A zero-initialised LoRA adapter written by the demo trainer or a test (tag kubemate.adapter.untrained): it changes nothing in the base model">
      <Chip
        size="small"
        variant="outlined"
        label="untrained adapter"
        data-testid="ft-untrained-chip"
      />
    </Tooltip>
  );
}
