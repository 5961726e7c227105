import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { RunStatus } from '@kubemate/plugin-pipelines-common';

const ICONS: Record<RunStatus, typeof StatusOK> = {
  Succeeded: StatusOK,
  Failed: StatusError,
  Running: StatusRunning,
  Pending: StatusPending,
  Cancelled: StatusAborted,
};

/** A run's, TaskRun's or step's status with the matching status icon. */
export function RunStatusLabel(props: { status: RunStatus; reason?: string }) {
  const Icon = ICONS[props.status];
  const text =
    props.reason && props.reason !== props.status
      ? `${props.status} (${props.reason})`
      : props.status;
  return <Icon>{text}</Icon>;
}
