import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { RunStatus } from '@kubemate/plugin-pipelines-common';
import { pipelinesTranslationRef } from '../../translation';

const ICONS: Record<RunStatus, typeof StatusOK> = {
  Succeeded: StatusOK,
  Failed: StatusError,
  Running: StatusRunning,
  Pending: StatusPending,
  Cancelled: StatusAborted,
};

/** A run's, TaskRun's or step's status with the matching status icon. */
export function RunStatusLabel(props: { status: RunStatus; reason?: string }) {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const Icon = ICONS[props.status];
  const status = t(`status.${props.status}`);
  const text =
    props.reason && props.reason !== props.status
      ? t('statusWithReason', { status, reason: props.reason })
      : status;
  return <Icon>{text}</Icon>;
}
