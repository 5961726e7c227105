import { useMemo } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { canaryApiRef } from '../api/CanaryApi';
import { isActive } from '../lib/releases';
import { usePolledAsync } from './usePolledAsync';

/**
 * The entity's Canaries and gray releases; re-read every few seconds while a Canary is active
 * or while `follow` (just after an action, before Flagger has reacted).
 */
export function useEntityReleases(entityRef: string, follow: boolean) {
  const api = useApi(canaryApiRef);
  const releases = usePolledAsync(
    () => api.entityReleases(entityRef),
    [api, entityRef],
    v => follow || (v?.canaries.some(c => isActive(c.phase)) ?? false),
  );
  const canaries = useMemo(
    () => releases.value?.canaries ?? [],
    [releases.value],
  );
  const grayReleases = useMemo(
    () => releases.value?.grayReleases ?? [],
    [releases.value],
  );
  return {
    releases,
    canaries,
    grayReleases,
    clusterErrors: releases.value?.errors ?? [],
    reload: releases.retry,
  };
}
