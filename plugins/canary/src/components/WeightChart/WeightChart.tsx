import { Box, Typography, useTheme } from '@material-ui/core';
import type { WeightPoint } from '@kubemate/plugin-canary-common';

const W = 600;
const H = 160;
const PAD = { left: 36, right: 12, top: 10, bottom: 22 };

const timeLabel = (t: number) =>
  new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/**
 * The canary weight over time as the portal observed it (a step line, 0–100 %), with the max
 * weight and the failed points marked. Drawn as plain SVG; the summary under it is what screen
 * readers (and tests) read.
 */
export function WeightChart(props: {
  points: WeightPoint[];
  maxWeight?: number;
}) {
  const theme = useTheme();
  const points = [...props.points]
    .map(p => ({ ...p, t: new Date(p.at).getTime() }))
    .filter(p => !Number.isNaN(p.t))
    .sort((a, b) => a.t - b.t);
  if (points.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No weight observed yet: the portal records the weight while a release
        runs.
      </Typography>
    );
  }
  const t0 = points[0].t;
  const t1 = Math.max(points[points.length - 1].t, t0 + 60_000);
  const x = (t: number) =>
    PAD.left + ((t - t0) / (t1 - t0)) * (W - PAD.left - PAD.right);
  const y = (w: number) => PAD.top + (1 - w / 100) * (H - PAD.top - PAD.bottom);
  let d = `M ${x(points[0].t)} ${y(points[0].canaryWeight)}`;
  for (const p of points.slice(1)) {
    d += ` H ${x(p.t)} V ${y(p.canaryWeight)}`;
  }
  const peak = Math.max(...points.map(p => p.canaryWeight));
  const last = points[points.length - 1];
  const summary = `Canary weight over time: ${
    points.length
  } observations from ${timeLabel(t0)} to ${timeLabel(
    last.t,
  )}, peak ${peak}%, now ${last.canaryWeight}% (${last.phase})`;
  return (
    <Box>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-label={summary}
        style={{ maxHeight: 220 }}
      >
        {[0, 25, 50, 75, 100].map(w => (
          <g key={w}>
            <line
              x1={PAD.left}
              x2={W - PAD.right}
              y1={y(w)}
              y2={y(w)}
              stroke={theme.palette.divider}
            />
            <text
              x={PAD.left - 4}
              y={y(w) + 4}
              fontSize={10}
              textAnchor="end"
              fill={theme.palette.text.secondary}
            >
              {w}%
            </text>
          </g>
        ))}
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
            <title>{`${new Date(p.t).toLocaleTimeString()}: ${
              p.canaryWeight
            }% (${p.phase})`}</title>
          </circle>
        ))}
        <text
          x={PAD.left}
          y={H - 4}
          fontSize={10}
          fill={theme.palette.text.secondary}
        >
          {timeLabel(t0)}
        </text>
        <text
          x={W - PAD.right}
          y={H - 4}
          fontSize={10}
          textAnchor="end"
          fill={theme.palette.text.secondary}
        >
          {timeLabel(t1)}
        </text>
      </svg>
      <Typography variant="caption" color="textSecondary">
        {summary}
      </Typography>
    </Box>
  );
}
