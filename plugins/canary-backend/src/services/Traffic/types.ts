import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  GrayRelease,
  ReleaseTarget,
  TrafficUpdateRequest,
  TrafficUpdateResponse,
} from '@kubemate/plugin-canary-common';

/** Gray releases: a Service's HTTPRoute split over Deployments, with header rules. */
export interface TrafficService {
  get(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<GrayRelease>;
  /** Weights must sum to 100 (400 otherwise); routes managed by Flagger are refused (409). */
  put(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    request: TrafficUpdateRequest,
  ): Promise<TrafficUpdateResponse>;
}
