import {
  Box,
  Card,
  CardContent,
  Grid,
  Link,
  Typography,
} from '@material-ui/core';
import {
  ENVIRONMENTS,
  PipelineRunSummary,
} from '@kubemate/plugin-pipelines-common';
import { formatTime } from '../../lib/runs';
import { RunStatusLabel } from '../RunStatusLabel';

/**
 * Per environment (dev, staging, prod): the run deployed there — the newest Succeeded run — and
 * the newest run if a later one is in progress or failed.
 */
export function lanesOf(runs: PipelineRunSummary[]) {
  return ENVIRONMENTS.map(env => {
    const inEnv = runs
      .filter(r => r.environment === env)
      .sort((a, b) => (b.startTime ?? '').localeCompare(a.startTime ?? ''));
    const deployed = inEnv.find(r => r.status === 'Succeeded');
    const latest = inEnv[0];
    return {
      env,
      deployed,
      latest: latest && latest !== deployed ? latest : undefined,
    };
  });
}

export function EnvironmentLanes(props: {
  runs: PipelineRunSummary[];
  onSelect: (run: PipelineRunSummary) => void;
}) {
  const lanes = lanesOf(props.runs);
  const runLink = (r: PipelineRunSummary) => (
    <Link component="button" variant="body2" onClick={() => props.onSelect(r)}>
      {r.name}
    </Link>
  );
  return (
    <Grid container spacing={2}>
      {lanes.map(l => (
        <Grid item xs={12} md={4} key={l.env}>
          <Card variant="outlined" aria-label={`Environment ${l.env}`}>
            <CardContent>
              <Typography variant="h6">{l.env}</Typography>
              {l.deployed ? (
                <Box>
                  <Typography variant="body2">
                    Deployed: {runLink(l.deployed)}
                  </Typography>
                  <Typography variant="caption" color="textSecondary">
                    {l.deployed.cluster}/{l.deployed.namespace} · finished{' '}
                    {formatTime(l.deployed.completionTime)}
                  </Typography>
                </Box>
              ) : (
                <Typography variant="body2" color="textSecondary">
                  Nothing deployed by a pipeline yet
                </Typography>
              )}
              {l.latest && (
                <Box mt={1}>
                  <Typography variant="body2">
                    Latest: {runLink(l.latest)}
                  </Typography>
                  <RunStatusLabel status={l.latest.status} />
                </Box>
              )}
            </CardContent>
          </Card>
        </Grid>
      ))}
    </Grid>
  );
}
