import { Box, Typography, useTheme } from '@material-ui/core';
import { WarningPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  useErrorMessage,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
import type {
  ReleaseSeries,
  SeriesPoint,
  WeightPoint,
} from '@kubemate/plugin-canary-common';
import { canaryTranslationRef } from '../../translation';

const W = 600;
const H = 160;
const METRIC_H = 120;
const PAD = { left: 36, right: 12, top: 10, bottom: 22 };

/** Hours and minutes of a time axis label in the app's language. */
function useTimeLabel() {
  const { locale } = useFormatters();
  const format = new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
  });
  return (t: number) => format.format(new Date(t));
}

/** The time axis all panels share (ms). */
interface Domain {
  t0: number;
  t1: number;
}

/** What {@link WeightChart} shows next to the weight: the series read (or why not). */
export interface SeriesState {
  value?: ReleaseSeries;
  error?: Error;
  loading: boolean;
}

const xOf = (domain: Domain) => (t: number) =>
  PAD.left +
  ((t - domain.t0) / (domain.t1 - domain.t0)) * (W - PAD.left - PAD.right);

/** The points of a line in ms, without the samples that had no data. */
const present = (line: SeriesPoint[]) =>
  line
    .filter((p): p is [number, number] => p[1] !== null)
    .map(([t, v]) => ({ t: t * 1000, v }));

/** An SVG path of a series: a gap where there is no data. */
function linePath(
  line: SeriesPoint[],
  x: (t: number) => number,
  y: (v: number) => number,
) {
  let d = '';
  let pen = false;
  for (const [t, v] of line) {
    if (v === null) {
      pen = false;
      continue;
    }
    d += `${pen ? ' L' : ' M'} ${x(t * 1000).toFixed(1)} ${y(v).toFixed(1)}`;
    pen = true;
  }
  return d.trim();
}

function TimeLabels(props: { domain: Domain; height: number }) {
  const theme = useTheme();
  const timeLabel = useTimeLabel();
  return (
    <>
      <text
        x={PAD.left}
        y={props.height - 4}
        fontSize={10}
        fill={theme.palette.text.secondary}
      >
        {timeLabel(props.domain.t0)}
      </text>
      <text
        x={W - PAD.right}
        y={props.height - 4}
        fontSize={10}
        textAnchor="end"
        fill={theme.palette.text.secondary}
      >
        {timeLabel(props.domain.t1)}
      </text>
    </>
  );
}

function Gridlines(props: {
  ticks: number[];
  y: (v: number) => number;
  unit: string;
}) {
  const theme = useTheme();
  return (
    <>
      {props.ticks.map(v => (
        <g key={v}>
          <line
            x1={PAD.left}
            x2={W - PAD.right}
            y1={props.y(v)}
            y2={props.y(v)}
            stroke={theme.palette.divider}
          />
          <text
            x={PAD.left - 4}
            y={props.y(v) + 4}
            fontSize={10}
            textAnchor="end"
            fill={theme.palette.text.secondary}
          >
            {`${v}${props.unit}`}
          </text>
        </g>
      ))}
    </>
  );
}

const fmt = (v: number | undefined, unit: string, noData: string) =>
  v === undefined ? noData : `${Math.round(v * 10) / 10}${unit}`;

/** One metric of primary vs canary on the shared time axis. */
function MetricPanel(props: {
  title: string;
  /** The test id prefix of the lines (the same in every language). */
  testId: string;
  unit: string;
  domain: Domain;
  primary: SeriesPoint[];
  canary: SeriesPoint[];
  /** Values of the y axis [lo, hi]. */
  range: [number, number];
  ticks: number[];
}) {
  const theme = useTheme();
  const { t } = useTranslationRef(canaryTranslationRef);
  const noData = t('chart.noData');
  const { domain, range } = props;
  const x = xOf(domain);
  const y = (v: number) =>
    PAD.top +
    (1 -
      (Math.min(Math.max(v, range[0]), range[1]) - range[0]) /
        (range[1] - range[0])) *
      (METRIC_H - PAD.top - PAD.bottom);
  const lastOf = (line: SeriesPoint[]) => present(line).pop()?.v;
  const summary = t('chart.metricSummary', {
    title: props.title,
    primary: fmt(lastOf(props.primary), props.unit, noData),
    canary: fmt(lastOf(props.canary), props.unit, noData),
  });
  const lines = [
    {
      side: 'primary',
      label: t('chart.primary'),
      line: props.primary,
      color: theme.palette.info.main,
    },
    {
      side: 'canary',
      label: t('chart.canary'),
      line: props.canary,
      color: theme.palette.warning.main,
    },
  ];
  return (
    <Box mt={1}>
      <Typography variant="subtitle2">{props.title}</Typography>
      <svg
        viewBox={`0 0 ${W} ${METRIC_H}`}
        width="100%"
        role="img"
        aria-label={summary}
        style={{ maxHeight: 170 }}
      >
        <Gridlines ticks={props.ticks} y={y} unit={props.unit} />
        {lines.map(l => (
          <path
            key={l.side}
            data-testid={`${props.testId} ${l.side}`}
            d={linePath(l.line, x, y)}
            fill="none"
            stroke={l.color}
            strokeWidth={2}
            strokeDasharray={l.side === 'canary' ? undefined : '5 2'}
          >
            <title>
              {t('chart.lineTitle', {
                side: l.label,
                value: fmt(lastOf(l.line), props.unit, noData),
              })}
            </title>
          </path>
        ))}
        <TimeLabels domain={domain} height={METRIC_H} />
      </svg>
      <Typography variant="caption" color="textSecondary">
        {summary}
      </Typography>
    </Box>
  );
}

/** The y range of the success rate: 0–100 if it fell far, else from the nearest 10 below. */
function successRange(values: number[]): [number, number] {
  const lo = Math.min(90, ...values);
  return [Math.max(0, Math.floor(lo / 10) * 10), 100];
}

/** The y range of the latency: 0 to a round value above the highest. */
function latencyRange(values: number[]): [number, number] {
  const hi = Math.max(10, ...values) * 1.1;
  const magnitude = 10 ** Math.floor(Math.log10(hi));
  return [0, Math.ceil(hi / magnitude) * magnitude];
}

const ticksOf = ([lo, hi]: [number, number]) =>
  [0, 0.5, 1].map(f => Math.round(lo + f * (hi - lo)));

function Legend() {
  const theme = useTheme();
  const { t } = useTranslationRef(canaryTranslationRef);
  const item = (label: string, color: string, dashed: boolean) => (
    <Box display="flex" alignItems="center" mr={2}>
      <svg width={24} height={8} aria-hidden>
        <line
          x1={0}
          x2={24}
          y1={4}
          y2={4}
          stroke={color}
          strokeWidth={2}
          strokeDasharray={dashed ? '5 2' : undefined}
        />
      </svg>
      <Typography variant="caption" style={{ marginLeft: 4 }}>
        {label}
      </Typography>
    </Box>
  );
  return (
    <Box display="flex" mt={1}>
      {item(t('chart.primary'), theme.palette.info.main, true)}
      {item(t('chart.canary'), theme.palette.warning.main, false)}
    </Box>
  );
}

/**
 * The canary weight over time as the portal observed it (a step line, 0–100 %), with the max
 * weight and the failed points marked; under it, on the same time axis, the success rate and p99
 * latency of the primary and the canary (Linkerd's inbound series) when `series` is given. Drawn
 * as plain SVG; the summaries under the panels are what screen readers (and tests) read.
 */
export function WeightChart(props: {
  points: WeightPoint[];
  maxWeight?: number;
  series?: SeriesState;
}) {
  const theme = useTheme();
  const { t } = useTranslationRef(canaryTranslationRef);
  const { time } = useFormatters();
  const timeLabel = useTimeLabel();
  const errorMessage = useErrorMessage();
  const points = [...props.points]
    .map(p => ({ ...p, t: new Date(p.at).getTime() }))
    .filter(p => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  const series = props.series?.value;
  const seriesTimes = series
    ? [series.primary, series.canary]
        .flatMap(s => [s.successRate, s.p99Ms])
        .flatMap(line => line.map(([at]) => at * 1000))
    : [];
  const times = [...points.map(p => p.t), ...seriesTimes];
  const domain: Domain | undefined = times.length
    ? (() => {
        const t0 = Math.min(...times);
        return { t0, t1: Math.max(...times, t0 + 60_000) };
      })()
    : undefined;

  const weightPanel = () => {
    if (points.length === 0 || !domain) {
      return (
        <Typography variant="body2" color="textSecondary">
          {t('chart.noWeight')}
        </Typography>
      );
    }
    const x = xOf(domain);
    const y = (w: number) =>
      PAD.top + (1 - w / 100) * (H - PAD.top - PAD.bottom);
    let d = `M ${x(points[0].t)} ${y(points[0].canaryWeight)}`;
    for (const p of points.slice(1)) {
      d += ` H ${x(p.t)} V ${y(p.canaryWeight)}`;
    }
    const peak = Math.max(...points.map(p => p.canaryWeight));
    const last = points[points.length - 1];
    const summary = t('chart.weightSummary', {
      observations: String(points.length),
      from: timeLabel(points[0].t),
      to: timeLabel(last.t),
      peak: String(peak),
      now: String(last.canaryWeight),
      phase: t(`phases.${last.phase}`),
    });
    return (
      <>
        <svg
          viewBox={`0 0 ${W} ${H}`}
          width="100%"
          role="img"
          aria-label={summary}
          style={{ maxHeight: 220 }}
        >
          <Gridlines ticks={[0, 25, 50, 75, 100]} y={y} unit="%" />
          {props.maxWeight !== undefined && (
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(props.maxWeight)}
              y2={y(props.maxWeight)}
              stroke={theme.palette.text.secondary}
              strokeDasharray="4 3"
            />
          )}
          <path
            d={d}
            fill="none"
            stroke={theme.palette.primary.main}
            strokeWidth={2}
          />
          {points.map(p => (
            <circle
              key={`${p.at}-${p.phase}`}
              cx={x(p.t)}
              cy={y(p.canaryWeight)}
              r={p.phase === 'Failed' ? 4 : 2.5}
              fill={
                p.phase === 'Failed'
                  ? theme.palette.error.main
                  : theme.palette.primary.main
              }
            >
              <title>
                {t('chart.pointTitle', {
                  time: time(p.t),
                  weight: String(p.canaryWeight),
                  phase: t(`phases.${p.phase}`),
                })}
              </title>
            </circle>
          ))}
          <TimeLabels domain={domain} height={H} />
        </svg>
        <Typography variant="caption" color="textSecondary">
          {summary}
        </Typography>
      </>
    );
  };

  const metricPanels = () => {
    const state = props.series;
    if (!state) return null;
    const warning = state.error && (
      <Box mt={1}>
        <WarningPanel
          severity="warning"
          title={t('chart.seriesFailed')}
          message={errorMessage(state.error)}
        />
      </Box>
    );
    if (!series || !domain) {
      return (
        warning ?? (
          <Typography variant="body2" color="textSecondary">
            {state.loading ? t('chart.seriesLoading') : t('chart.seriesNone')}
          </Typography>
        )
      );
    }
    const values = (pick: (s: ReleaseSeries['primary']) => SeriesPoint[]) =>
      [series.primary, series.canary].flatMap(s =>
        present(pick(s)).map(p => p.v),
      );
    const success = values(s => s.successRate);
    const latency = values(s => s.p99Ms);
    const sRange = successRange(success);
    const lRange = latencyRange(latency);
    return (
      <>
        {warning}
        <Legend />
        {success.length + latency.length === 0 && (
          <Typography variant="body2" color="textSecondary">
            {t('chart.noRequests')}
          </Typography>
        )}
        <MetricPanel
          title={t('chart.successRate')}
          testId="Success rate"
          unit="%"
          domain={domain}
          primary={series.primary.successRate}
          canary={series.canary.successRate}
          range={sRange}
          ticks={ticksOf(sRange)}
        />
        <MetricPanel
          title={t('chart.p99Latency')}
          testId="p99 latency"
          unit=" ms"
          domain={domain}
          primary={series.primary.p99Ms}
          canary={series.canary.p99Ms}
          range={lRange}
          ticks={ticksOf(lRange)}
        />
      </>
    );
  };

  return (
    <Box>
      {weightPanel()}
      {metricPanels()}
    </Box>
  );
}
