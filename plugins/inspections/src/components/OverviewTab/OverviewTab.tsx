import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { Grid } from '@material-ui/core';
import type { Loaded } from '../../hooks';
import type { ClustersResponse } from '@kubemate/plugin-inspections-common';
import { ClusterCard } from '../ClusterCard';

/** A card per configured cluster (grade, score, last run, findings, trend). */
export function OverviewTab(props: { clusters: Loaded<ClustersResponse> }) {
  const { value, error, loading } = props.clusters;
  if (loading && !value) return <Progress />;
  if (error && !value) return <ResponseErrorPanel error={error} />;
  const cards = value?.clusters ?? [];
  if (cards.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No cluster to inspect"
        description="The portal has no Kubernetes cluster configured (kubernetes.clusterLocatorMethods); host and database checks still run with Run now."
      />
    );
  }
  const names = cards.map(c => c.cluster);
  return (
    <>
      {error && (
        <WarningPanel
          severity="warning"
          title="Refreshing the clusters failed; showing the last result"
          message={error.message}
        />
      )}
      <Grid container spacing={2}>
        {cards.map(c => (
          <Grid item xs={12} md={6} lg={4} key={c.cluster}>
            <ClusterCard summary={c} clusters={names} />
          </Grid>
        ))}
      </Grid>
    </>
  );
}
