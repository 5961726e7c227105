import { useApi } from '@backstage/core-plugin-api';
import type { RunSummary } from '@kubemate/plugin-inspections-common';
import { inspectionsApiRef } from '../../api';
import { useLoad } from '../../hooks';

const sameClusters = (a: RunSummary, b: RunSummary) =>
  [...a.scope.clusters].sort().join(',') ===
  [...b.scope.clusters].sort().join(',');

/**
 * The run to compare a run with: the latest finished run started before it, preferably over the
 * same clusters. Read once the run has finished.
 */
export function usePreviousRun(run?: RunSummary) {
  const api = useApi(inspectionsApiRef);
  const finished = run && run.status !== 'running';
  const onlyCluster =
    run?.scope.clusters.length === 1 ? run.scope.clusters[0] : undefined;
  return useLoad(async () => {
    if (!run || !finished) return undefined;
    const { runs } = await api.runs({ cluster: onlyCluster, limit: 100 });
    const earlier = runs.filter(
      r =>
        r.id !== run.id &&
        r.status !== 'running' &&
        r.startedAt < run.startedAt,
    );
    return earlier.find(r => sameClusters(r, run)) ?? earlier[0] ?? null;
  }, [api, run?.id, finished, onlyCluster]);
}
