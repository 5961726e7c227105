import { InfoCard, Link } from '@backstage/core-components';
import { Box, Chip, Typography } from '@material-ui/core';
import type { ClusterInspectionSummary } from '@kubemate/plugin-inspections-common';
import { formatTime, GRADE_COLOURS } from '../../lib/format';
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
  const { latest, scores, trend, running } = summary;
  const runningChip = running && (
    <Link
      to={paths.run(running)}
      data-testid={`inspections-cluster-running-${summary.cluster}`}
    >
      <Chip size="small" color="primary" label="running…" clickable />
    </Link>
  );

  if (!latest) {
    return (
      <InfoCard title={summary.cluster} subheader="Never inspected">
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography>No inspection yet</Typography>
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
          Last run{' '}
          <Link to={paths.run(latest.id)}>
            {formatTime(latest.finishedAt ?? latest.startedAt)}
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
              ? 'Findings on this cluster in its latest run'
              : 'Findings of the latest run (all its clusters and global checks)'}
          </Typography>
          <Box mt={1} display="flex" alignItems="center" style={{ gap: 8 }}>
            <Sparkline
              values={trend.map(t => t.score)}
              colour={scores ? GRADE_COLOURS[scores.grade] : undefined}
            />
            {runningChip}
          </Box>
        </Box>
      </Box>
    </InfoCard>
  );
}
