import {
  StatusError,
  StatusOK,
  StatusRunning,
} from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { RunStatus as Status } from '@kubemate/plugin-inspections-common';
import { inspectionsTranslationRef } from '../../translation';

const ICONS = {
  running: StatusRunning,
  succeeded: StatusOK,
  failed: StatusError,
};

/** A run's status with its icon; `data-testid="inspection-run-status"` where `testId` is set. */
export function RunStatus(props: { status: Status; testId?: string }) {
  const { status, testId } = props;
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const text = ICONS[status] ? t(`runStatuses.${status}`) : status;
  const Icon = ICONS[status] ?? StatusOK;
  return (
    <span data-testid={testId} data-status={status}>
      <Icon>{text}</Icon>
    </span>
  );
}
