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

/** How a duration's parts are written (the translated messages in the tab, see useRunFormat). */
export interface DurationUnits {
  hoursMinutes(hours: number, minutes: number): string;
  minutesSeconds(minutes: number, seconds: number): string;
  seconds(seconds: number): string;
}

const ENGLISH_UNITS: DurationUnits = {
  hoursMinutes: (h, m) => `${h}h ${m}m`,
  minutesSeconds: (m, s) => `${m}m ${s}s`,
  seconds: s => `${s}s`,
};

/** `1h 2m`, `3m 4s`, `5s`; a dash when unknown. */
export function formatDuration(
  seconds?: number,
  units: DurationUnits = ENGLISH_UNITS,
): string {
  if (seconds === undefined) return '—';
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h) return units.hoursMinutes(h, m);
  if (m) return units.minutesSeconds(m, s);
  return units.seconds(s);
}

/** A timestamp as `format` writes it (the app language's date and time); a dash when unknown. */
export function formatTime(
  iso: string | undefined,
  format: (d: Date) => string = d => d.toLocaleString(),
): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : format(d);
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
