import { useApi } from '@backstage/core-plugin-api';
import { usePolledAsync } from '@kubemate/plugin-kubemate-react';
import type {
  FinetuningJobDetails,
  JobState,
} from '@kubemate/plugin-finetuning-common';
import { finetuningApiRef, JobFilter } from '../api';

/** How often live views are read again (Kueue admits and the trainer logs within seconds). */
export const POLL_MS = 10_000;
/** How often a running job's details, metrics and logs are read again. */
export const LIVE_POLL_MS = 4_000;
const every = (ms: number) => () => ms;

/** States in which a job still changes. */
export const LIVE_STATES: JobState[] = ['Queued', 'Starting', 'Running'];
export const isLive = (state?: JobState) =>
  state !== undefined && LIVE_STATES.includes(state);

export function useOptions() {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(() => api.options(), [api]);
}

export function useDatasets() {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(() => api.datasets(), [api]);
}

export function useJobs(filter: JobFilter) {
  const api = useApi(finetuningApiRef);
  const { cluster, namespace, entityRef, sweepId, state } = filter;
  return usePolledAsync(
    () => api.jobs({ cluster, namespace, entityRef, sweepId, state }),
    [api, cluster, namespace, entityRef, sweepId, state],
    every(POLL_MS),
  );
}

/** A job's details, read again every few seconds while it is live. */
export function useJob(id: string) {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(
    () => api.job(id),
    [api, id],
    (v?: FinetuningJobDetails) =>
      !v || isLive(v.job.state) ? LIVE_POLL_MS : undefined,
  );
}

/** The run's MLflow metrics, read again every few seconds while `live`. */
export function useMetrics(id: string, live: boolean) {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(
    () => api.metrics(id),
    [api, id],
    () => (live ? LIVE_POLL_MS : undefined),
  );
}

export function useCompare(ids: string[]) {
  const api = useApi(finetuningApiRef);
  const key = ids.join(',');
  return usePolledAsync(
    () => api.compare(key.split(',')),
    [api, key],
    every(POLL_MS),
  );
}

export function useSweeps() {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(() => api.sweeps(), [api], every(POLL_MS));
}

export function useSweep(id: string) {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(() => api.sweep(id), [api, id], every(POLL_MS));
}

export function useModels() {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(() => api.models(), [api], every(30_000));
}

export function useEntityJobs(entityRef: string) {
  const api = useApi(finetuningApiRef);
  return usePolledAsync(
    () => api.entityJobs(entityRef),
    [api, entityRef],
    every(POLL_MS),
  );
}
