import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { CanaryPhase } from '@kubemate/plugin-canary-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { canaryTranslationRef } from '../../translation';

/** A Flagger phase with its status colour. */
export function PhaseLabel(props: { phase: CanaryPhase }) {
  const { phase } = props;
  const { t } = useTranslationRef(canaryTranslationRef);
  const label = t(`phases.${phase}`);
  switch (phase) {
    case 'Succeeded':
    case 'Initialized':
      return <StatusOK>{label}</StatusOK>;
    case 'Failed':
      return <StatusError>{label}</StatusError>;
    case 'Waiting':
    case 'WaitingPromotion':
      return <StatusPending>{label}</StatusPending>;
    case 'Terminating':
    case 'Terminated':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusRunning>{label}</StatusRunning>;
  }
}
