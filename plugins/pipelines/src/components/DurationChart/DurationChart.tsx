import { Typography, useTheme } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  PipelineRunSummary,
  RunStatus,
} from '@kubemate/plugin-pipelines-common';
import { useRunFormat } from '../../hooks/useRunFormat';
import { pipelinesTranslationRef } from '../../translation';

const COLOR: Record<RunStatus, string> = {
  Succeeded: '#2e7d32',
  Failed: '#c62828',
  Running: '#1565c0',
  Pending: '#9e9e9e',
  Cancelled: '#ef6c00',
};

/** Oldest first, the last `max` runs with a start time; `label` writes the start date. */
export function durationRows(
  runs: PipelineRunSummary[],
  label: (iso: string) => string,
  max = 30,
) {
  return runs
    .filter(r => r.startTime && r.durationSeconds !== undefined)
    .sort((a, b) => a.startTime!.localeCompare(b.startTime!))
    .slice(-max)
    .map(r => ({
      name: r.name,
      label: label(r.startTime!),
      seconds: r.durationSeconds!,
      status: r.status,
    }));
}

/** Run durations over time (bars coloured by status), with a text summary for assistive tech. */
export function DurationChart(props: { runs: PipelineRunSummary[] }) {
  const theme = useTheme();
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const format = useRunFormat();
  const rows = durationRows(props.runs, format.shortDate);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('chart.empty')}
      </Typography>
    );
  }
  const finished = rows.filter(r => r.status === 'Succeeded');
  const avg = finished.length
    ? Math.round(finished.reduce((s, r) => s + r.seconds, 0) / finished.length)
    : undefined;
  return (
    <figure style={{ margin: 0 }}>
      <div style={{ width: '100%', height: 200 }}>
        <ResponsiveContainer>
          <BarChart data={rows}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="label" stroke={theme.palette.text.secondary} />
            <YAxis
              stroke={theme.palette.text.secondary}
              tickFormatter={(v: number) => format.duration(v)}
            />
            <Tooltip
              formatter={(v: number) => format.duration(v)}
              labelFormatter={(_: unknown, p: any[]) =>
                p?.[0]?.payload
                  ? t('chart.tooltipLabel', {
                      run: p[0].payload.name,
                      status: format.status(p[0].payload.status),
                    })
                  : ''
              }
            />
            <Bar
              dataKey="seconds"
              name={t('chart.duration')}
              isAnimationActive={false}
            >
              {rows.map(r => (
                <Cell key={r.name} fill={COLOR[r.status]} />
              ))}
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <Typography
        component="figcaption"
        variant="caption"
        color="textSecondary"
      >
        {avg !== undefined
          ? t('chart.summaryWithAverage', {
              runs: String(rows.length),
              succeeded: String(finished.length),
              average: format.duration(avg),
            })
          : t('chart.summary', {
              runs: String(rows.length),
              succeeded: String(finished.length),
            })}
      </Typography>
    </figure>
  );
}
