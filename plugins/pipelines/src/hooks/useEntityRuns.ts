import { useEffect, useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { useApi } from '@backstage/core-plugin-api';
import type { ClusterError } from '@kubemate/plugin-kubemate-react';
import { pipelinesApiRef } from '../api/PipelinesApi';
import { isActive } from '../lib/runs';

/** While a run is in progress the tab re-reads the runs this often. */
export const POLL_MS = 5000;

/**
 * The entity's PipelineRuns and Pipelines, read from the backend; the runs are re-read every
 * {@link POLL_MS} while one of them is in progress. `clusterErrors` lists each cluster that could
 * not be read once (runs first, then the Pipelines' clusters not already listed).
 */
export function useEntityRuns(entityRef: string) {
  const api = useApi(pipelinesApiRef);
  const runs = useAsyncRetry(() => api.runs(entityRef), [api, entityRef]);
  const pipelines = useAsyncRetry(
    () => api.pipelines(entityRef),
    [api, entityRef],
  );
  const { retry } = runs;
  const anyActive = runs.value?.runs.some(r => isActive(r.status)) ?? false;
  useEffect(() => {
    if (!anyActive) return undefined;
    const t = setTimeout(retry, POLL_MS);
    return () => clearTimeout(t);
  }, [anyActive, retry, runs.value]);

  const allRuns = useMemo(() => runs.value?.runs ?? [], [runs.value]);
  const pipelineList = useMemo(
    () => pipelines.value?.pipelines ?? [],
    [pipelines.value],
  );
  const clusterErrors: ClusterError[] = [
    ...(runs.value?.errors ?? []),
    ...(pipelines.value?.errors ?? []).filter(
      e => !runs.value?.errors.some(r => r.cluster === e.cluster),
    ),
  ];
  return { runs, pipelines, allRuns, pipelineList, clusterErrors, retry };
}
