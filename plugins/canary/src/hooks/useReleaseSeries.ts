import { useApi } from '@backstage/core-plugin-api';
import type {
  ReleaseSeries,
  ReleaseTarget,
} from '@kubemate/plugin-canary-common';
import { canaryApiRef } from '../api/CanaryApi';
import { usePolledAsync } from './usePolledAsync';

/** While a release is active its success rate and latency are re-read this often. */
export const SERIES_POLL_MS = 15_000;

/**
 * The window to ask for: from the first observed weight (plus a minute) to now, at least 15
 * minutes, at most the backend's 24 hours; an hour without a weight history.
 */
export function seriesMinutes(since: number | undefined, now = Date.now()) {
  if (since === undefined || Number.isNaN(since)) return 60;
  const minutes = Math.ceil((now - since) / 60_000) + 1;
  return Math.min(1440, Math.max(15, minutes));
}

/**
 * Success rate and p99 latency of primary vs canary of one Canary since `since` (ms, the first
 * point of the weight history); re-read every {@link SERIES_POLL_MS} while `active`.
 */
export function useReleaseSeries(
  target: ReleaseTarget | undefined,
  since: number | undefined,
  active: boolean,
) {
  const api = useApi(canaryApiRef);
  const { cluster, namespace, name } = target ?? {};
  return usePolledAsync<ReleaseSeries | undefined>(
    async () => {
      if (!cluster || !namespace || !name) return undefined;
      return api.series({ cluster, namespace, name }, seriesMinutes(since));
    },
    [api, cluster, namespace, name, since],
    () => active,
    SERIES_POLL_MS,
  );
}
