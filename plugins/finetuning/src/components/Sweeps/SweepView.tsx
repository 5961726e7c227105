import { Link, LinkButton, Table } from '@backstage/core-components';
import { Box, Chip, Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  Hyperparameters,
  SweepDetails,
} from '@kubemate/plugin-finetuning-common';
import { formatMetric } from '../../lib/format';
import { JobState } from '../Jobs/JobsTable';
import { useFinetuningBase } from '../FinetuningPage/base';
import { finetuningTranslationRef } from '../../translation';

type Trial = SweepDetails['trials'][number];

const PARAMS: Array<keyof Hyperparameters> = [
  'rank',
  'alpha',
  'learningRate',
  'epochs',
  'batchSize',
  'dropout',
];

/**
 * A sweep's trials: their swept params, state and objective; the best trial highlighted; a link
 * comparing every trial (the first 10) on one screen.
 */
export function SweepView(props: { details: SweepDetails }) {
  const { sweep, trials, bestTrialId } = props.details;
  const { t } = useTranslationRef(finetuningTranslationRef);
  const base = useFinetuningBase();
  const swept = Object.keys(sweep.space) as Array<keyof Hyperparameters>;
  const compareIds = trials.slice(0, 10).map(trial => trial.job.id);
  return (
    <Box data-testid="ft-sweep" data-best={bestTrialId ?? ''}>
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={2}>
        <Typography variant="h5" style={{ flex: 1 }}>
          {t('sweeps.heading', { name: sweep.name })}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {t('sweeps.summary', {
            strategy: t(`strategies.${sweep.strategy}` as const),
            n: String(trials.length),
            goal: t(`goals.${sweep.objective.goal}` as const),
            metric: sweep.objective.metric,
          })}
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
          {t('sweeps.compareTrials')}
        </LinkButton>
      </Box>
      <Table<Trial>
        title={t('sweeps.trials')}
        options={{
          paging: false,
          search: false,
          rowStyle: (trial: Trial) =>
            trial.job.id === bestTrialId
              ? { background: 'rgba(46, 125, 50, 0.15)' }
              : {},
        }}
        data={trials}
        columns={[
          {
            title: t('sweeps.trial'),
            render: trial => (
              <Box
                data-testid={`ft-trial-${trial.job.name}`}
                data-best={String(trial.job.id === bestTrialId)}
                display="flex"
                alignItems="center"
                style={{ gap: 8 }}
              >
                <Link to={`${base}/jobs/${encodeURIComponent(trial.job.id)}`}>
                  {trial.job.name}
                </Link>
                {trial.job.id === bestTrialId && (
                  <Chip
                    size="small"
                    label={t('sweeps.best')}
                    data-testid="ft-best-trial"
                    style={{ background: '#2e7d32', color: '#fff' }}
                  />
                )}
              </Box>
            ),
          },
          ...swept.map(k => ({
            title: PARAMS.includes(k) ? t(`sweeps.params.${k}` as const) : k,
            render: (trial: Trial) => String(trial.params[k] ?? '—'),
          })),
          {
            title: t('sweeps.state'),
            render: trial => <JobState job={trial.job} compact />,
          },
          {
            title: t('sweeps.objectiveColumn', {
              metric: sweep.objective.metric,
              goal: t(`goals.${sweep.objective.goal}` as const),
            }),
            render: trial => (
              <span data-testid={`ft-trial-${trial.job.name}-objective`}>
                {formatMetric(trial.objective)}
              </span>
            ),
          },
        ]}
      />
      {!bestTrialId && (
        <Typography variant="caption" color="textSecondary">
          {t('sweeps.noTrialReported', { metric: sweep.objective.metric })}
        </Typography>
      )}
    </Box>
  );
}
