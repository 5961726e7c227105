import { Link, LinkButton, Table } from '@backstage/core-components';
import { Box, Chip, Typography } from '@material-ui/core';
import type {
  Hyperparameters,
  SweepDetails,
} from '@kubemate/plugin-finetuning-common';
import { formatMetric } from '../../lib/format';
import { JobState } from '../Jobs/JobsTable';
import { useFinetuningBase } from '../FinetuningPage/base';

type Trial = SweepDetails['trials'][number];

const PARAM_LABELS: Record<keyof Hyperparameters, string> = {
  rank: 'rank',
  alpha: 'alpha',
  learningRate: 'learning rate',
  epochs: 'epochs',
  batchSize: 'batch size',
  dropout: 'dropout',
};

/**
 * A sweep's trials: their swept params, state and objective; the best trial highlighted; a link
 * comparing every trial (the first 10) on one screen.
 */
export function SweepView(props: { details: SweepDetails }) {
  const { sweep, trials, bestTrialId } = props.details;
  const base = useFinetuningBase();
  const swept = Object.keys(sweep.space) as Array<keyof Hyperparameters>;
  const compareIds = trials.slice(0, 10).map(t => t.job.id);
  return (
    <Box data-testid="ft-sweep" data-best={bestTrialId ?? ''}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={2}>
        <Typography variant="h5" style={{ flex: 1 }}>
          Sweep {sweep.name}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {sweep.strategy} · {trials.length} trials · {sweep.objective.goal}{' '}
          {sweep.objective.metric}
        </Typography>
        <LinkButton
          variant="outlined"
          color="primary"
          disabled={compareIds.length < 2}
          to={`${base}/compare?ids=${compareIds
            .map(encodeURIComponent)
            .join(',')}`}
          data-testid="ft-sweep-compare"
        >
          Compare trials
        </LinkButton>
      </Box>
      <Table<Trial>
        title="Trials"
        options={{
          paging: false,
          search: false,
          rowStyle: (t: Trial) =>
            t.job.id === bestTrialId
              ? { background: 'rgba(46, 125, 50, 0.15)' }
              : {},
        }}
        data={trials}
        columns={[
          {
            title: 'Trial',
            render: t => (
              <Box
                data-testid={`ft-trial-${t.job.name}`}
                data-best={String(t.job.id === bestTrialId)}
                display="flex"
                alignItems="center"
                style={{ gap: 8 }}
              >
                <Link to={`${base}/jobs/${encodeURIComponent(t.job.id)}`}>
                  {t.job.name}
                </Link>
                {t.job.id === bestTrialId && (
                  <Chip
                    size="small"
                    label="best"
                    data-testid="ft-best-trial"
                    style={{ background: '#2e7d32', color: '#fff' }}
                  />
                )}
              </Box>
            ),
          },
          ...swept.map(k => ({
            title: PARAM_LABELS[k] ?? k,
            render: (t: Trial) => String(t.params[k] ?? '—'),
          })),
          { title: 'State', render: t => <JobState job={t.job} compact /> },
          {
            title: `${sweep.objective.metric} (${sweep.objective.goal})`,
            render: t => (
              <span data-testid={`ft-trial-${t.job.name}-objective`}>
                {formatMetric(t.objective)}
              </span>
            ),
          },
        ]}
      />
      {!bestTrialId && (
        <Typography variant="caption" color="textSecondary">
          No trial has reported {sweep.objective.metric} yet.
        </Typography>
      )}
    </Box>
  );
}
