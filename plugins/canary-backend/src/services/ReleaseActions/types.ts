import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  GateState,
  ReleaseSummary,
  ReleaseTarget,
  StartReleaseRequest,
} from '@kubemate/plugin-canary-common';

/** The actions on a release: each checks its permission, is audited (denials too), as the user. */
export interface ReleaseActionsService {
  /** New image (and pod-template annotations) on the Canary's target Deployment. */
  start(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    request: StartReleaseRequest,
  ): Promise<ReleaseSummary>;
  /** Opens a gate for the release's current revision. */
  approve(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    gate: 'confirm-rollout' | 'confirm-promotion',
  ): Promise<GateState>;
  /** Closes a gate again. */
  hold(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    gate: 'confirm-rollout' | 'confirm-promotion',
  ): Promise<GateState>;
  /** Promotes now: Flagger skips the rest of the analysis. */
  promote(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<ReleaseSummary>;
  /** Opens the rollback gate: Flagger rolls the canary back. */
  abort(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<GateState>;
}
