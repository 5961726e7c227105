import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { inspectionsTranslationRef } from '../../translation';

/**
 * A small line of scores (0–100) over runs, oldest first, in plain SVG. The label says the first
 * and last values for screen readers.
 */
export function Sparkline(props: {
  values: number[];
  width?: number;
  height?: number;
  colour?: string;
}) {
  const { values, width = 120, height = 32, colour = '#1976d2' } = props;
  const { t } = useTranslationRef(inspectionsTranslationRef);
  if (values.length === 0) return null;
  const pad = 2;
  const x = (i: number) =>
    values.length === 1
      ? width / 2
      : pad + (i * (width - 2 * pad)) / (values.length - 1);
  const y = (v: number) =>
    pad + ((100 - Math.max(0, Math.min(100, v))) * (height - 2 * pad)) / 100;
  const points = values.map((v, i) => `${x(i)},${y(v)}`).join(' ');
  const last = values[values.length - 1];
  return (
    <svg
      width={width}
      height={height}
      role="img"
      aria-label={t('sparkline.label', {
        count: values.length,
        first: String(values[0]),
        last: String(last),
      })}
    >
      <polyline
        points={points}
        fill="none"
        stroke={colour}
        strokeWidth={1.5}
        strokeLinejoin="round"
      />
      <circle cx={x(values.length - 1)} cy={y(last)} r={2.5} fill={colour} />
    </svg>
  );
}
