import { ReleaseEvent, WeightPoint } from '@kubemate/plugin-canary-common';

/** One release, as the history stores it. */
export interface ReleaseRef {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * The release history in the plugin database: Flagger's events (kept beyond the apiserver's event
 * TTL, deduplicated), the portal's own audited actions, and the canary weight over time.
 */
export interface ReleaseHistory {
  recordEvents(release: ReleaseRef, events: ReleaseEvent[]): Promise<void>;
  /** Records a point when the weight or phase differs from the last one recorded. */
  recordWeight(release: ReleaseRef, point: WeightPoint): Promise<void>;
  events(
    release: ReleaseRef,
    options?: { limit?: number },
  ): Promise<ReleaseEvent[]>;
  weights(
    release: ReleaseRef,
    options?: { sinceMs?: number },
  ): Promise<WeightPoint[]>;
}
