import { SERIES_COLORS } from './colors';
import type { ReportInput } from './types';

export interface ChartSeries {
  cluster: string;
  color: string;
  /** In the chart's box: x from the left, y from the top. */
  points: { x: number; y: number; score: number; at: string }[];
}

export interface ChartGeometry {
  series: ChartSeries[];
  /** Horizontal lines at these scores (the grade boundaries). */
  gridScores: number[];
  /** Score → y. */
  y: (score: number) => number;
  /** The time span drawn, for the axis labels. */
  from?: Date;
  to?: Date;
}

/**
 * The trend's line chart laid out in a `width × height` box: scores 0–100 bottom to top, time
 * left to right over all clusters' points (one run alone sits in the middle). The HTML (SVG) and
 * the PDF (pdfkit vector graphics) draw the same geometry.
 */
export function trendGeometry(
  trend: ReportInput['trend'],
  width: number,
  height: number,
): ChartGeometry {
  const times = trend.flatMap(t =>
    t.points.map(p => new Date(p.at).getTime()).filter(Number.isFinite),
  );
  const min = times.length ? Math.min(...times) : 0;
  const max = times.length ? Math.max(...times) : 0;
  const xOf = (at: string) => {
    const t = new Date(at).getTime();
    return max === min ? width / 2 : ((t - min) / (max - min)) * width;
  };
  const y = (score: number) =>
    height - (Math.max(0, Math.min(100, score)) / 100) * height;
  const series = trend
    .filter(t => t.points.length > 0)
    .map((t, i) => ({
      cluster: t.cluster,
      color: SERIES_COLORS[i % SERIES_COLORS.length],
      points: [...t.points]
        .filter(p => Number.isFinite(new Date(p.at).getTime()))
        .sort((a, b) => a.at.localeCompare(b.at))
        .map(p => ({ x: xOf(p.at), y: y(p.score), score: p.score, at: p.at })),
    }));
  return {
    series,
    gridScores: [0, 50, 60, 70, 80, 90, 100],
    y,
    from: times.length ? new Date(min) : undefined,
    to: times.length ? new Date(max) : undefined,
  };
}
