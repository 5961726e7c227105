import { useApi } from '@backstage/core-plugin-api';
import { canaryApiRef } from '../api/CanaryApi';
import { isActive } from '../lib/releases';
import { usePolledAsync } from './usePolledAsync';

/** The releases needing attention across the user's namespaces; re-read while one is active. */
export function useReleasesOverview(windowHours: number) {
  const api = useApi(canaryApiRef);
  return usePolledAsync(
    () => api.overview(windowHours),
    [api, windowHours],
    v => v?.items.some(r => isActive(r.phase)) ?? false,
  );
}
