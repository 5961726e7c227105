import { Link, Table } from '@backstage/core-components';
import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  FINETUNING_METRICS,
  type CompareResponse,
} from '@kubemate/plugin-finetuning-common';
import { formatMetric } from '../../lib/format';
import { DemoChip, StateChip } from '../common/Chips';
import { MetricChart } from '../common/MetricChart';
import { useFinetuningBase } from '../FinetuningPage/base';
import { finetuningTranslationRef } from '../../translation';

/** The metrics charted first (the rest follow in the backend's order). */
const FIRST = [
  FINETUNING_METRICS.evalLoss,
  FINETUNING_METRICS.trainLoss,
  FINETUNING_METRICS.learningRate,
];

/**
 * Runs side by side: every metric overlaid (one line per run), the params with the differing ones
 * highlighted, and the final value of each metric.
 */
export function CompareView(props: { compare: CompareResponse }) {
  const { runs, paramKeys, differingParams, metricKeys } = props.compare;
  const { t } = useTranslationRef(finetuningTranslationRef);
  const base = useFinetuningBase();
  const keys = [
    ...FIRST.filter(k => metricKeys.includes(k)),
    ...metricKeys.filter(k => !FIRST.includes(k as any)),
  ];
  const differs = new Set(differingParams);
  const paramRows = paramKeys
    .map(key => ({
      key,
      differs: differs.has(key),
      values: runs.map(r => r.metrics?.params[key]),
    }))
    .sort((a, b) => Number(b.differs) - Number(a.differs));
  return (
    <Box data-testid="ft-compare">
      {runs
        .filter(r => r.error)
        .map(r => (
          <Alert key={r.job.id} severity="warning">
            {r.job.name}: {r.error}
          </Alert>
        ))}
      <Box display="flex" flexWrap="wrap" style={{ gap: 16 }} mb={2}>
        {runs.map(r => (
          <Box
            key={r.job.id}
            display="flex"
            alignItems="center"
            style={{ gap: 4 }}
          >
            <Link to={`${base}/jobs/${encodeURIComponent(r.job.id)}`}>
              {r.job.name}
            </Link>
            <StateChip state={r.job.state} />
            {r.metrics?.demo && (
              <DemoChip testId={`ft-compare-demo-${r.job.id}`} />
            )}
          </Box>
        ))}
      </Box>
      <Grid container spacing={2}>
        {keys.map(k => (
          <Grid item xs={12} md={6} key={k}>
            <MetricChart
              title={k}
              testId={`ft-compare-chart-${k}`}
              series={runs.map(r => ({
                key: r.job.id,
                label: r.job.name,
                points: r.metrics?.metrics[k] ?? [],
              }))}
            />
          </Grid>
        ))}
        {!keys.length && (
          <Grid item xs={12}>
            <Typography variant="body2" color="textSecondary">
              {t('compare.noMetrics')}
            </Typography>
          </Grid>
        )}
      </Grid>
      <Box mt={3} data-testid="ft-compare-params">
        <Table
          title={t('compare.paramsTitle', {
            n: String(differingParams.length),
          })}
          options={{
            paging: false,
            search: false,
            padding: 'dense',
            rowStyle: (row: { differs: boolean }) =>
              row.differs ? { background: 'rgba(255, 193, 7, 0.18)' } : {},
          }}
          data={paramRows}
          columns={[
            {
              title: t('compare.parameter'),
              field: 'key',
              render: row => (
                <span
                  data-testid={`ft-param-${row.key}`}
                  data-differs={String(row.differs)}
                  style={{ fontWeight: row.differs ? 600 : undefined }}
                >
                  {row.differs
                    ? t('compare.differs', { key: row.key })
                    : row.key}
                </span>
              ),
            },
            ...runs.map((r, i) => ({
              title: r.job.name,
              render: (row: (typeof paramRows)[number]) => row.values[i] ?? '—',
            })),
          ]}
        />
      </Box>
      <Box mt={3} data-testid="ft-compare-final">
        <Table
          title={t('compare.finalTitle')}
          options={{ paging: false, search: false, padding: 'dense' }}
          data={keys.map(key => ({ key }))}
          columns={[
            { title: t('compare.metric'), field: 'key' },
            ...runs.map(r => ({
              title: r.job.name,
              render: (row: { key: string }) =>
                formatMetric(r.metrics?.latest[row.key]),
            })),
          ]}
        />
      </Box>
    </Box>
  );
}
