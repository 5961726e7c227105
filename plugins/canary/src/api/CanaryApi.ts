import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  GateState,
  GrayRelease,
  ReleaseDetails,
  ReleaseSeries,
  ReleasesOverviewResponse,
  ReleasesResponse,
  ReleaseSummary,
  ReleaseTarget,
  StartReleaseRequest,
  TrafficUpdateRequest,
  TrafficUpdateResponse,
} from '@kubemate/plugin-canary-common';

/** A gate the user opens or closes from the portal. */
export type UserGate = 'confirm-rollout' | 'confirm-promotion';

/** The canary backend (`/api/canary`), as the Releases tab and page use it. */
export interface CanaryApi {
  /** The entity's Canaries and gray releases in every cluster, with per-cluster errors. */
  entityReleases(entityRef: string): Promise<ReleasesResponse>;
  /** Everything progressing, waiting for approval or failed within the window. */
  overview(windowHours?: number): Promise<ReleasesOverviewResponse>;
  /** One Canary with its checks (measured values), weight history and events. */
  details(target: ReleaseTarget): Promise<ReleaseDetails>;
  /** Success rate and p99 latency of primary vs canary over the last minutes (1..1440). */
  series(target: ReleaseTarget, minutes?: number): Promise<ReleaseSeries>;
  start(
    target: ReleaseTarget,
    body: StartReleaseRequest,
  ): Promise<ReleaseSummary>;
  approve(target: ReleaseTarget, gate: UserGate): Promise<GateState>;
  hold(target: ReleaseTarget, gate: UserGate): Promise<GateState>;
  promote(target: ReleaseTarget): Promise<ReleaseSummary>;
  abort(target: ReleaseTarget): Promise<GateState>;
  traffic(target: ReleaseTarget): Promise<GrayRelease>;
  putTraffic(
    target: ReleaseTarget,
    body: TrafficUpdateRequest,
  ): Promise<TrafficUpdateResponse>;
}

export const canaryApiRef = createApiRef<CanaryApi>({
  id: 'plugin.canary.service',
});
