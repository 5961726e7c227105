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

export const isActive = (s: RunStatus) => s === 'Running' || s === 'Pending';

/** `1h 2m`, `3m 4s`, `5s`; a dash when unknown. */
export function formatDuration(seconds?: number): string {
  if (seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

export function formatTime(iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}
