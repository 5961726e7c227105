import { ENVIRONMENTS } from '@kubemate/plugin-pipelines-common';
import type {
  PipelineRunSummary,
  RunStatus,
} from '@kubemate/plugin-pipelines-common';

/** `cluster/namespace/name` of a Pipeline or run: its key in lists and selections. */
export const keyOf = (o: {
  cluster: string;
  namespace: string;
  name: string;
}) => `${o.cluster}/${o.namespace}/${o.name}`;

/** Environment a Pipeline deploys to: its label, else a `-dev`/`-staging`/`-prod` namespace suffix. */
export function environmentOf(p: {
  environment?: string;
  namespace: string;
}): string | undefined {
  if (p.environment) return p.environment;
  return ENVIRONMENTS.find(e => p.namespace.endsWith(`-${e}`));
}

export const isActive = (s: RunStatus) => s === 'Running' || s === 'Pending';

/** `1h 2m`, `3m 4s`, `5s`; a dash when unknown. */
export function formatDuration(seconds?: number): string {
  if (seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return `${h}h ${m}m`;
  if (m) return `${m}m ${s}s`;
  return `${s}s`;
}

export function formatTime(iso?: string): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** The run filters; '' means "all". */
export interface RunFilterValues {
  status: string;
  env: string;
  cluster: string;
}

export const NO_FILTERS: RunFilterValues = { status: '', env: '', cluster: '' };

/** The runs that pass the filters. */
export function filterRuns(
  runs: PipelineRunSummary[],
  filters: RunFilterValues,
): PipelineRunSummary[] {
  return runs.filter(
    r =>
      (!filters.status || r.status === filters.status) &&
      (!filters.env || r.environment === filters.env) &&
      (!filters.cluster || r.cluster === filters.cluster),
  );
}
