import { useMemo } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import {
  Box,
  Chip,
  Tooltip as MuiTooltip,
  Typography,
} from '@material-ui/core';
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
import type { UtilizationResponse } from '@kubemate/plugin-gpu-common';
import { gpuTranslationRef } from '../../translation';

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

/** One row per timestamp, a column per series; an empty row where all series skip a step (a gap). */
export function toRows(util: UtilizationResponse) {
  const rows = new Map<number, Record<string, number>>();
  util.series.forEach((s, i) => {
    for (const [t, v] of s.points) {
      const row = rows.get(t) ?? { t };
      row[`s${i}`] = v;
      rows.set(t, row);
    }
  });
  const sorted = [...rows.values()].sort((a, b) => a.t - b.t);
  const out: Array<Record<string, number>> = [];
  sorted.forEach((row, i) => {
    if (i > 0 && util.step && row.t - sorted[i - 1].t > 1.5 * util.step) {
      out.push({ t: sorted[i - 1].t + util.step });
    }
    out.push(row);
  });
  return out;
}

/** The chip saying the samples come from the dev stack's simulated DCGM exporter. */
export function DemoChip() {
  const { t } = useTranslationRef(gpuTranslationRef);
  return (
    <MuiTooltip title={t('utilization.demoTooltip')}>
      <Chip
        size="small"
        label={t('utilization.demoData')}
        data-testid="gpu-demo-chip"
        style={{ background: '#6a1b9a', color: '#fff' }}
      />
    </MuiTooltip>
  );
}

/** Average GPU utilization (%) per group over time (recharts lines, 0–100 %). */
export function UtilizationChart(props: {
  utilization: UtilizationResponse;
  height?: number;
}) {
  const { utilization: util, height = 260 } = props;
  const { t } = useTranslationRef(gpuTranslationRef);
  const f = useFormatters();
  const clock = useMemo(() => {
    const fmt = new Intl.DateTimeFormat(f.locale, {
      hour: '2-digit',
      minute: '2-digit',
    });
    return (s: number) => fmt.format(new Date(s * 1000));
  }, [f.locale]);
  const rows = useMemo(() => toRows(util), [util]);
  const points = rows.filter(r => Object.keys(r).length > 1).length;
  const title = t(`utilization.chartTitle.${util.groupBy}`);
  return (
    <Box data-testid="gpu-utilization-chart">
      <Box display="flex" alignItems="center" style={{ gap: 8 }} mb={1}>
        <Typography variant="subtitle2">{title}</Typography>
        {util.demo && <DemoChip />}
      </Box>
      {!util.series.length || !points ? (
        <Typography
          variant="body2"
          color="textSecondary"
          role="img"
          aria-label={t('utilization.noDataLabel', { title })}
        >
          {t('utilization.noSamples')}
        </Typography>
      ) : (
        <div
          role="img"
          aria-label={t('utilization.chartLabel', {
            title,
            series: String(util.series.length),
            points: String(points),
          })}
          data-series={util.series.length}
        >
          <ResponsiveContainer width="100%" height={height}>
            <LineChart
              data={rows}
              margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
            >
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis
                dataKey="t"
                type="number"
                domain={[util.start, util.end]}
                tickFormatter={clock}
                scale="time"
              />
              <YAxis domain={[0, 100]} unit=" %" width={56} />
              <Tooltip
                labelFormatter={s => f.dateTime(Number(s) * 1000)}
                formatter={(v: number) =>
                  `${f.number(v, { maximumFractionDigits: 1 })} %`
                }
              />
              <Legend />
              {util.series.map((s, i) => (
                <Line
                  key={s.key}
                  dataKey={`s${i}`}
                  name={s.label}
                  stroke={PALETTE[i % PALETTE.length]}
                  dot={false}
                  isAnimationActive={false}
                  connectNulls={false}
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
    </Box>
  );
}
