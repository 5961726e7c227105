import { useMemo } from 'react';
import { Typography, useTheme } from '@material-ui/core';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { MetricSeries } from '@kubemate/plugin-metrics-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { metricsTranslationRef } from '../../translation';
import { formatTime, formatValue, Unit } from './format';

/** A horizontal line drawn across the chart (a request or a limit). */
export interface Threshold {
  label: string;
  value: number;
  kind: 'request' | 'limit';
}

export interface TimeSeriesChartProps {
  series: MetricSeries[];
  unit: Unit;
  start: number;
  end: number;
  thresholds?: Threshold[];
  /** The query step: gaps longer than 1.5 steps break the lines. */
  step?: number;
  height?: number;
  /** Names the chart for assistive technology and tests. */
  title: string;
}

const PALETTE = [
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

/**
 * One row per timestamp, a column per series (what recharts draws). Where no series has a
 * sample for longer than 1.5 steps an empty row is inserted, so lines break at gaps instead of
 * bridging them.
 */
export function toRows(series: MetricSeries[], step?: number) {
  const rows = new Map<number, Record<string, number>>();
  series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      const row = rows.get(t) ?? { t };
      row[`s${i}`] = v;
      rows.set(t, row);
    }
  });
  const sorted = [...rows.values()].sort((a, b) => a.t - b.t);
  if (!step) return sorted;
  const out: Array<Record<string, number>> = [];
  sorted.forEach((row, i) => {
    if (i > 0 && row.t - sorted[i - 1].t > 1.5 * step) {
      out.push({ t: sorted[i - 1].t + step });
    }
    out.push(row);
  });
  return out;
}

/** Lines over time with a legend, value tooltips and optional request/limit lines. */
export function TimeSeriesChart(props: TimeSeriesChartProps) {
  const {
    series,
    unit,
    start,
    end,
    thresholds = [],
    step,
    height = 220,
    title,
  } = props;
  const theme = useTheme();
  const { t: tr } = useTranslationRef(metricsTranslationRef);
  const fmt = useFormatters();
  const rows = useMemo(() => toRows(series, step), [series, step]);
  const points = rows.filter(r => Object.keys(r).length > 1).length;
  if (!series.length || !points) {
    return (
      <Typography
        variant="body2"
        color="textSecondary"
        role="img"
        aria-label={tr('chart.noDataLabel', { title })}
        style={{
          height,
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
        }}
      >
        {tr('chart.noData')}
      </Typography>
    );
  }
  const maxThreshold = Math.max(0, ...thresholds.map(t => t.value));
  return (
    <div
      role="img"
      aria-label={tr('chart.label', {
        title,
        series: String(series.length),
        points: String(points),
      })}
      data-series={series.length}
      data-points={points}
    >
      <ResponsiveContainer width="100%" height={height}>
        <LineChart
          data={rows}
          margin={{ top: 8, right: 16, bottom: 0, left: 8 }}
        >
          <CartesianGrid strokeDasharray="3 3" stroke={theme.palette.divider} />
          <XAxis
            dataKey="t"
            type="number"
            domain={[start, end]}
            tickFormatter={t => formatTime(t, end - start)}
            stroke={theme.palette.text.secondary}
            fontSize={11}
          />
          <YAxis
            tickFormatter={v => formatValue(v, unit)}
            width={72}
            domain={[
              0,
              (dataMax: number) => Math.max(dataMax, maxThreshold) * 1.05 || 1,
            ]}
            stroke={theme.palette.text.secondary}
            fontSize={11}
          />
          <Tooltip
            labelFormatter={t => fmt.dateTime(Number(t) * 1000)}
            formatter={(v: number) => formatValue(v, unit)}
            contentStyle={{
              background: theme.palette.background.paper,
              borderColor: theme.palette.divider,
            }}
          />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          {series.map((s, i) => (
            <Line
              key={`${s.name}-${i}`}
              dataKey={`s${i}`}
              name={s.name}
              stroke={PALETTE[i % PALETTE.length]}
              dot={false}
              isAnimationActive={false}
              connectNulls={false}
              strokeWidth={1.5}
            />
          ))}
          {thresholds.map(t => (
            <ReferenceLine
              key={`${t.kind}-${t.label}`}
              y={t.value}
              stroke={
                t.kind === 'limit'
                  ? theme.palette.error.main
                  : theme.palette.warning.main
              }
              strokeDasharray="6 3"
              label={{
                value: `${t.label} ${formatValue(t.value, unit)}`,
                position:
                  t.kind === 'limit' ? 'insideTopRight' : 'insideBottomRight',
                fontSize: 11,
                fill: theme.palette.text.secondary,
              }}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
