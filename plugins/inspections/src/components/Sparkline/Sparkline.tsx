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
      aria-label={`Score trend over ${values.length} run${
        values.length === 1 ? '' : 's'
      }: ${values[0]} to ${last}`}
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
