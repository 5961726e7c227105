import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { CanaryPhase } from '@kubemate/plugin-canary-common';

/** A Flagger phase with its status colour. */
export function PhaseLabel(props: { phase: CanaryPhase }) {
  const { phase } = props;
  switch (phase) {
    case 'Succeeded':
    case 'Initialized':
      return <StatusOK>{phase}</StatusOK>;
    case 'Failed':
      return <StatusError>{phase}</StatusError>;
    case 'Waiting':
    case 'WaitingPromotion':
      return <StatusPending>{phase}</StatusPending>;
    case 'Terminating':
    case 'Terminated':
      return <StatusAborted>{phase}</StatusAborted>;
    default:
      return <StatusRunning>{phase}</StatusRunning>;
  }
}
