import {
  StatusError,
  StatusOK,
  StatusRunning,
} from '@backstage/core-components';
import type { RunStatus as Status } from '@kubemate/plugin-inspections-common';

const ICONS = {
  running: StatusRunning,
  succeeded: StatusOK,
  failed: StatusError,
};

/** A run's status with its icon; `data-testid="inspection-run-status"` where `testId` is set. */
export function RunStatus(props: { status: Status; testId?: string }) {
  const { status, testId } = props;
  const text = status === 'running' ? 'running…' : status;
  const Icon = ICONS[status];
  return (
    <span data-testid={testId} data-status={status}>
      <Icon>{text}</Icon>
    </span>
  );
}
