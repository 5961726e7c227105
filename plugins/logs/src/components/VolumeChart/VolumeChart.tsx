import { useMemo } from 'react';
import { Typography, useTheme } from '@material-ui/core';
import {
  Bar,
  BarChart,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { LogsSeries } from '@kubemate/plugin-logs-common';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsTranslationRef } from '../../translation';

const KNOWN_LEVELS = ['error', 'warn', 'info', 'debug'] as const;

const LEVEL_COLOR: Record<string, string> = {
  error: '#d32f2f',
  warn: '#ef6c00',
  info: '#0277bd',
  debug: '#9e9e9e',
};

/** Lines per level over time, stacked bars. */
export function VolumeChart(props: { series: LogsSeries[]; height?: number }) {
  const { series, height = 120 } = props;
  const theme = useTheme();
  const { t: tr } = useTranslationRef(logsTranslationRef);
  /** A level the query builder knows in the reader's language; another as Loki labels it. */
  const levelName = (level: string) =>
    (KNOWN_LEVELS as readonly string[]).includes(level)
      ? tr(`builder.levels.${level as (typeof KNOWN_LEVELS)[number]}`)
      : level;
  const fmt = useFormatters();
  const { rows, levels, total } = useMemo(() => {
    const byT = new Map<number, Record<string, number>>();
    let sum = 0;
    for (const s of series) {
      const level = s.labels.level ?? 'other';
      for (const [t, v] of s.points) {
        const row = byT.get(t) ?? { t };
        row[level] = (row[level] ?? 0) + v;
        byT.set(t, row);
        sum += v;
      }
    }
    return {
      rows: [...byT.values()].sort((a, b) => a.t - b.t),
      levels: [...new Set(series.map(s => s.labels.level ?? 'other'))].sort(),
      total: sum,
    };
  }, [series]);
  if (!rows.length) {
    return (
      <Typography
        variant="caption"
        color="textSecondary"
        role="img"
        aria-label={tr('volume.noDataLabel')}
      >
        {tr('volume.noData')}
      </Typography>
    );
  }
  return (
    <div
      role="img"
      aria-label={tr('volume.label', {
        lines: String(Math.round(total)),
        buckets: String(rows.length),
      })}
    >
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={rows} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
          <XAxis
            dataKey="t"
            tickFormatter={t =>
              new Date(t * 1000).toLocaleTimeString('en-GB', {
                hour: '2-digit',
                minute: '2-digit',
              })
            }
            fontSize={10}
            stroke={theme.palette.text.secondary}
          />
          <YAxis
            width={40}
            fontSize={10}
            stroke={theme.palette.text.secondary}
          />
          <Tooltip labelFormatter={t => fmt.dateTime(Number(t) * 1000)} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {levels.map(l => (
            <Bar
              key={l}
              dataKey={l}
              name={levelName(l)}
              stackId="v"
              fill={LEVEL_COLOR[l] ?? '#607d8b'}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
