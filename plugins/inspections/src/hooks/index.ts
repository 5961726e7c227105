import { useApi } from '@backstage/core-plugin-api';
import type {
  ExemptionStatus,
  RunDetails,
} from '@kubemate/plugin-inspections-common';
import { inspectionsApiRef } from '../api';
import { useLoad } from './useLoad';

export { useLoad } from './useLoad';
export type { Loaded } from './useLoad';
export { useCurrentUser } from './useCurrentUser';

/** A running run, and the cluster cards while one runs, are re-read this often. */
export const RUN_POLL_MS = 3000;

/** The check catalogue. */
export function useChecks() {
  const api = useApi(inspectionsApiRef);
  return useLoad(() => api.checks(), [api]);
}

/** The cluster cards; re-read while a cluster is being inspected. */
export function useClusters() {
  const api = useApi(inspectionsApiRef);
  return useLoad(
    () => api.clusters(),
    [api],
    v => (v?.clusters.some(c => c.running) ? RUN_POLL_MS : undefined),
  );
}

/** A page of runs, newest first; re-read while one of them runs. */
export function useRuns(limit: number, offset: number) {
  const api = useApi(inspectionsApiRef);
  return useLoad(
    () => api.runs({ limit, offset }),
    [api, limit, offset],
    v => (v?.runs.some(r => r.status === 'running') ? RUN_POLL_MS : undefined),
  );
}

/** One run with its findings; re-read every {@link RUN_POLL_MS} until it has finished. */
export function useRun(id: string) {
  const api = useApi(inspectionsApiRef);
  return useLoad<RunDetails>(
    () => api.run(id),
    [api, id],
    v => (v?.status === 'running' ? RUN_POLL_MS : undefined),
  );
}

/** The diff of two runs (nothing until both are picked). */
export function useDiff(base?: string, head?: string) {
  const api = useApi(inspectionsApiRef);
  return useLoad(
    async () => (base && head ? api.diff(base, head) : undefined),
    [api, base, head],
  );
}

/** The exemption register (all statuses, or one). */
export function useExemptions(status?: ExemptionStatus) {
  const api = useApi(inspectionsApiRef);
  return useLoad(() => api.exemptions(status), [api, status]);
}

/** An entity's findings of the latest runs. */
export function useEntityFindings(entityRef: string) {
  const api = useApi(inspectionsApiRef);
  return useLoad(() => api.entityFindings(entityRef), [api, entityRef]);
}
