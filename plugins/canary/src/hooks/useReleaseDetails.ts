import { useApi } from '@backstage/core-plugin-api';
import type {
  ReleaseDetails,
  ReleaseTarget,
} from '@kubemate/plugin-canary-common';
import { canaryApiRef } from '../api/CanaryApi';
import { isActive } from '../lib/releases';
import { usePolledAsync } from './usePolledAsync';

/**
 * One Canary's details (checks with measured values, weight history, events); re-read every
 * few seconds while it is active or while `follow`.
 */
export function useReleaseDetails(
  target: ReleaseTarget | undefined,
  follow: boolean,
) {
  const api = useApi(canaryApiRef);
  const { cluster, namespace, name } = target ?? {};
  return usePolledAsync<ReleaseDetails | undefined>(
    async () => {
      if (!cluster || !namespace || !name) return undefined;
      return api.details({ cluster, namespace, name });
    },
    [api, cluster, namespace, name],
    v => Boolean(v) && (follow || isActive(v!.phase)),
  );
}
