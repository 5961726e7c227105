import { useApi } from '@backstage/core-plugin-api';
import { usePolledAsync } from '@kubemate/plugin-kubemate-react';
import type { QuotaRequestStatus } from '@kubemate/plugin-gpu-common';
import { gpuApiRef, UtilizationGroupBy, WorkloadFilter } from '../api';

/**
 * How often the live views (queues, workloads, requests) are read again: Kueue admits within
 * seconds of a quota change, and an approval made elsewhere shows without a reload.
 */
export const POLL_MS = 10_000;
const every = (ms: number) => () => ms;

/** GPUs by model and cluster, and the nodes. */
export function useCapacity() {
  const api = useApi(gpuApiRef);
  return usePolledAsync(() => api.capacity(), [api], every(60_000));
}

/** The team queues the user sees, and the flavors a request may ask for. */
export function useQueues() {
  const api = useApi(gpuApiRef);
  return usePolledAsync(() => api.queues(), [api], every(POLL_MS));
}

/** Kueue workloads narrowed by `filter`. */
export function useWorkloads(filter: WorkloadFilter) {
  const api = useApi(gpuApiRef);
  const { cluster, namespace, state, queue } = filter;
  return usePolledAsync(
    () => api.workloads({ cluster, namespace, state, queue }),
    [api, cluster, namespace, state, queue],
    every(POLL_MS),
  );
}

/** Utilization series; `reload` is bumped by the time range controls to read again. */
export function useUtilization(
  groupBy: UtilizationGroupBy,
  minutes: number,
  reload: unknown,
) {
  const api = useApi(gpuApiRef);
  return usePolledAsync(
    () => api.utilization(groupBy, minutes),
    [api, groupBy, minutes, reload],
  );
}

/** Allocated GPUs below the idle threshold. */
export function useIdleGpus() {
  const api = useApi(gpuApiRef);
  return usePolledAsync(() => api.idle(), [api], every(60_000));
}

/** Quota requests (all statuses, or one). */
export function useQuotaRequests(status?: QuotaRequestStatus) {
  const api = useApi(gpuApiRef);
  return usePolledAsync(
    () => api.requests(status),
    [api, status],
    every(POLL_MS),
  );
}

/** The entity's GPU workloads, queues and utilization. */
export function useEntityGpu(entityRef: string, minutes: number) {
  const api = useApi(gpuApiRef);
  return usePolledAsync(
    () => api.entity(entityRef, minutes),
    [api, entityRef, minutes],
    every(POLL_MS),
  );
}
