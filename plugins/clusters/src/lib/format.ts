import type {
  WorkloadResource,
  WorkloadSummary,
} from '@kubemate/plugin-clusters-common';

/** The route segment of the workload kinds the action routes accept. */
export const resourceOf: Partial<
  Record<WorkloadSummary['kind'], WorkloadResource>
> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

/** How long ago a timestamp was, kubectl style: 42s, 5m, 3h, 2d. */
export function age(iso?: string): string {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 120) return `${Math.round(s)}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}
