import { EmptyState, Progress, WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { Grid } from '@material-ui/core';
import type { Loaded } from '../../hooks';
import type { ClustersResponse } from '@kubemate/plugin-inspections-common';
import { inspectionsTranslationRef } from '../../translation';
import { ClusterCard } from '../ClusterCard';

/** A card per configured cluster (grade, score, last run, findings, trend). */
export function OverviewTab(props: { clusters: Loaded<ClustersResponse> }) {
  const { value, error, loading } = props.clusters;
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const errorMessage = useErrorMessage();
  if (loading && !value) return <Progress />;
  if (error && !value) return <TranslatedErrorPanel error={error} />;
  const cards = value?.clusters ?? [];
  if (cards.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={t('overview.emptyTitle')}
        description={t('overview.emptyDescription')}
      />
    );
  }
  const names = cards.map(c => c.cluster);
  return (
    <>
      {error && (
        <WarningPanel
          severity="warning"
          title={t('overview.refreshFailed')}
          message={errorMessage(error)}
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
