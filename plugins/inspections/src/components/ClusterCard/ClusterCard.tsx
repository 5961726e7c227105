import { InfoCard, Link } from '@backstage/core-components';
import { Box, Chip, Typography } from '@material-ui/core';
import type { ClusterInspectionSummary } from '@kubemate/plugin-inspections-common';
import { GRADE_COLOURS } from '../../lib/format';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
import { useInspectionsPaths } from '../../lib/paths';
import { GradeBadge } from '../GradeBadge';
import { RunNowButton } from '../RunNowDialog';
import { SeverityChips } from '../SeverityChips';
import { Sparkline } from '../Sparkline';

/**
 * One cluster: its grade and score in the latest finished run that covered it, when that ran,
 * that run's findings by severity, the trend of its score, and whether a run is inspecting it now.
 */
export function ClusterCard(props: {
  summary: ClusterInspectionSummary;
  clusters: string[];
}) {
  const { summary, clusters } = props;
  const paths = useInspectionsPaths();
  const fmt = useInspectionsFormat();
  const { t } = fmt;
  const { latest, scores, trend, running } = summary;
  const runningChip = running && (
    <Link
      to={paths.run(running)}
      data-testid={`inspections-cluster-running-${summary.cluster}`}
    >
      <Chip
        size="small"
        color="primary"
        label={t('runStatuses.running')}
        clickable
      />
    </Link>
  );

  if (!latest) {
    return (
      <InfoCard
        title={summary.cluster}
        subheader={t('clusterCard.neverInspected')}
      >
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography>{t('clusterCard.noInspection')}</Typography>
          {runningChip || (
            <RunNowButton
              clusters={clusters}
              variant="outlined"
              testId={`inspections-run-now-${summary.cluster}`}
            />
          )}
        </Box>
      </InfoCard>
    );
  }

  const clustersInRun = latest.scope.clusters.length;
  return (
    <InfoCard
      title={summary.cluster}
      subheader={
        <>
          {t('clusterCard.lastRun')}{' '}
          <Link to={paths.run(latest.id)}>
            {fmt.time(latest.finishedAt ?? latest.startedAt)}
          </Link>
        </>
      }
    >
      <Box
        display="flex"
        alignItems="center"
        style={{ gap: 16 }}
        data-testid={`inspections-cluster-${summary.cluster}`}
      >
        <GradeBadge grade={scores?.grade} score={scores?.overall} />
        <Box flex={1}>
          <SeverityChips
            counts={summary.findingsBySeverity ?? latest.findingsBySeverity}
          />
          <Typography variant="caption" color="textSecondary" component="div">
            {summary.findingsBySeverity || clustersInRun === 1
              ? t('clusterCard.findingsOfCluster')
              : t('clusterCard.findingsOfRun')}
          </Typography>
          <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
            <Sparkline
              values={trend.map(point => point.score)}
              colour={scores ? GRADE_COLOURS[scores.grade] : undefined}
            />
            {runningChip}
          </Box>
        </Box>
      </Box>
    </InfoCard>
  );
}
