import {
  Box,
  Card,
  CardContent,
  Grid,
  Link,
  Typography,
} from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  ENVIRONMENTS,
  PipelineRunSummary,
} from '@kubemate/plugin-pipelines-common';
import { useRunFormat } from '../../hooks/useRunFormat';
import { pipelinesTranslationRef } from '../../translation';
import { RunStatusLabel } from '../RunStatusLabel';
import { slot, withNodes } from '@kubemate/plugin-kubemate-react';

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
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const format = useRunFormat();
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
          <Card
            variant="outlined"
            aria-label={t('lanes.environment', { env: l.env })}
          >
            <CardContent>
              <Typography variant="h6">{l.env}</Typography>
              {l.deployed ? (
                <Box>
                  <Typography variant="body2">
                    {withNodes(t('lanes.deployed', { run: slot('run') }), {
                      run: runLink(l.deployed),
                    })}
                  </Typography>
                  <Typography variant="caption" color="textSecondary">
                    {t('lanes.finished', {
                      cluster: l.deployed.cluster,
                      namespace: l.deployed.namespace,
                      time: format.time(l.deployed.completionTime),
                    })}
                  </Typography>
                </Box>
              ) : (
                <Typography variant="body2" color="textSecondary">
                  {t('lanes.nothingDeployed')}
                </Typography>
              )}
              {l.latest && (
                <Box mt={1}>
                  <Typography variant="body2">
                    {withNodes(t('lanes.latest', { run: slot('run') }), {
                      run: runLink(l.latest),
                    })}
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
