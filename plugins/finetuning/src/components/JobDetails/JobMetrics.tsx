import { useEffect, useRef } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  FINETUNING_METRICS,
  type FinetuningJob,
  type RunMetrics,
} from '@kubemate/plugin-finetuning-common';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { useMetrics } from '../../hooks';
import { formatMetric } from '../../lib/format';
import { DemoChip } from '../common/Chips';
import { MetricChart } from '../common/MetricChart';
import { finetuningTranslationRef } from '../../translation';

/** train_loss + eval_loss and learning_rate of a run, by step. */
export function LossCharts(props: { metrics: RunMetrics }) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const m = props.metrics.metrics;
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={8}>
        <MetricChart
          title={t('metrics.loss')}
          testId="ft-loss-chart"
          series={[
            {
              key: 'train',
              label: FINETUNING_METRICS.trainLoss,
              points: m[FINETUNING_METRICS.trainLoss] ?? [],
            },
            {
              key: 'eval',
              label: FINETUNING_METRICS.evalLoss,
              points: m[FINETUNING_METRICS.evalLoss] ?? [],
              dashed: true,
            },
          ]}
        />
      </Grid>
      <Grid item xs={12} md={4}>
        <MetricChart
          title={t('metrics.learningRate')}
          testId="ft-lr-chart"
          series={[
            {
              key: 'lr',
              label: FINETUNING_METRICS.learningRate,
              points: m[FINETUNING_METRICS.learningRate] ?? [],
            },
          ]}
        />
      </Grid>
    </Grid>
  );
}

/** The run's live curves (read again every few seconds while the job runs) and latest values. */
export function JobMetrics(props: { job: FinetuningJob; live: boolean }) {
  const { job, live } = props;
  const { t } = useTranslationRef(finetuningTranslationRef);
  const errorMessage = useErrorMessage();
  const metrics = useMetrics(job.id, live);
  // one more read when the job stops (the trainer logs eval_loss and the final values at the end)
  const wasLive = useRef(live);
  const { retry } = metrics;
  useEffect(() => {
    if (wasLive.current && !live) retry();
    wasLive.current = live;
  }, [live, retry]);
  return (
    <InfoCard
      title={
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <span>{t('metrics.title')}</span>
          {metrics.value?.demo && <DemoChip testId="ft-metrics-demo-chip" />}
        </Box>
      }
      subheader={
        metrics.value
          ? t(live ? 'metrics.subheaderLive' : 'metrics.subheader', {
              runId: metrics.value.runId,
              status: metrics.value.status,
            })
          : undefined
      }
    >
      {metrics.error && (
        <Alert
          severity={metrics.value ? 'warning' : 'error'}
          data-testid="ft-metrics-error"
        >
          {errorMessage(metrics.error)}
        </Alert>
      )}
      {!metrics.value && metrics.loading && <Progress />}
      {metrics.value && (
        <>
          <LossCharts metrics={metrics.value} />
          <Box mt={1} display="flex" flexWrap="wrap" style={{ gap: 16 }}>
            {Object.entries(metrics.value.latest).map(([k, v]) => (
              <Typography
                key={k}
                variant="body2"
                data-testid={`ft-latest-${k}`}
              >
                {k}: <b>{formatMetric(v)}</b>
              </Typography>
            ))}
          </Box>
        </>
      )}
    </InfoCard>
  );
}
