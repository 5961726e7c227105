import { useMemo } from 'react';
import { Box, Typography } from '@material-ui/core';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { MetricPoint } from '@kubemate/plugin-finetuning-common';
import { formatMetric } from '../../lib/format';
import { finetuningTranslationRef } from '../../translation';

export const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#7f7f7f',
];

export interface MetricSeries {
  key: string;
  label: string;
  points: MetricPoint[];
  dashed?: boolean;
}

/** One row per step, a column per series. */
export function toRows(series: MetricSeries[]) {
  const rows = new Map<number, Record<string, number>>();
  series.forEach((s, i) => {
    for (const p of s.points) {
      const row = rows.get(p.step) ?? { step: p.step };
      row[`s${i}`] = p.value;
      rows.set(p.step, row);
    }
  });
  return [...rows.values()].sort((a, b) => a.step - b.step);
}

/**
 * Metric histories by step (recharts lines), e.g. train_loss and eval_loss of a run, or one line
 * per run when comparing. The accessible name summarises it (jsdom renders charts at zero size).
 */
export function MetricChart(props: {
  title: string;
  series: MetricSeries[];
  height?: number;
  testId?: string;
  emptyText?: string;
}) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const { title, series, height = 240 } = props;
  const rows = useMemo(() => toRows(series), [series]);
  const withPoints = series.filter(s => s.points.length);
  return (
    <Box data-testid={props.testId}>
      <Typography variant="subtitle2">{title}</Typography>
      {!withPoints.length ? (
        <Typography
          variant="body2"
          color="textSecondary"
          role="img"
          aria-label={t('chart.ariaEmpty', { title })}
        >
          {props.emptyText ?? t('chart.noValues')}
        </Typography>
      ) : (
        <div
          role="img"
          aria-label={t('chart.ariaSeries', {
            title,
            series: String(withPoints.length),
            steps: String(rows.length),
          })}
          data-series={withPoints.length}
          data-steps={rows.length}
        >
          <ResponsiveContainer width="100%" height={height}>
            <LineChart
              data={rows}
              margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="step" type="number" domain={['auto', 'auto']} />
              <YAxis
                width={64}
                domain={['auto', 'auto']}
                tickFormatter={v => formatMetric(Number(v))}
              />
              <Tooltip
                labelFormatter={s => t('chart.step', { step: String(s) })}
                formatter={(v: number) => formatMetric(v)}
              />
              <Legend />
              {series.map((s, i) => (
                <Line
                  key={s.key}
                  dataKey={`s${i}`}
                  name={s.label}
                  stroke={PALETTE[i % PALETTE.length]}
                  strokeDasharray={s.dashed ? '5 3' : undefined}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </Box>
  );
}
