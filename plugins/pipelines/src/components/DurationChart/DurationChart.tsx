import { Typography, useTheme } from '@material-ui/core';
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
import { formatDuration } from '../../lib/runs';

const COLOR: Record<RunStatus, string> = {
  Succeeded: '#2e7d32',
  Failed: '#c62828',
  Running: '#1565c0',
  Pending: '#9e9e9e',
  Cancelled: '#ef6c00',
};

/** Oldest first, the last `max` runs with a start time. */
export function durationRows(runs: PipelineRunSummary[], max = 30) {
  return runs
    .filter(r => r.startTime && r.durationSeconds !== undefined)
    .sort((a, b) => a.startTime!.localeCompare(b.startTime!))
    .slice(-max)
    .map(r => ({
      name: r.name,
      label: new Date(r.startTime!).toLocaleDateString(undefined, {
        month: 'short',
        day: 'numeric',
      }),
      seconds: r.durationSeconds!,
      status: r.status,
    }));
}

/** Run durations over time (bars coloured by status), with a text summary for assistive tech. */
export function DurationChart(props: { runs: PipelineRunSummary[] }) {
  const theme = useTheme();
  const rows = durationRows(props.runs);
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No runs with a duration yet.
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
              tickFormatter={(v: number) => formatDuration(v)}
            />
            <Tooltip
              formatter={(v: number) => formatDuration(v)}
              labelFormatter={(_: unknown, p: any[]) =>
                p?.[0]?.payload
                  ? `${p[0].payload.name} (${p[0].payload.status})`
                  : ''
              }
            />
            <Bar dataKey="seconds" name="duration" isAnimationActive={false}>
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
        {rows.length} runs · {finished.length} succeeded
        {avg !== undefined
          ? ` · average successful run ${formatDuration(avg)}`
          : ''}
      </Typography>
    </figure>
  );
}
