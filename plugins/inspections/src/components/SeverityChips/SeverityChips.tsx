import { Box, Chip, Typography } from '@material-ui/core';
import { SEVERITIES, type Severity } from '@kubemate/plugin-inspections-common';
import { SEVERITY_COLOURS } from '../../lib/format';

/** One severity as a coloured chip. */
export function SeverityLabel(props: { severity: Severity; count?: number }) {
  const { severity, count } = props;
  return (
    <Chip
      size="small"
      label={count === undefined ? severity : `${count} ${severity}`}
      style={{ background: SEVERITY_COLOURS[severity], color: '#fff' }}
    />
  );
}

/** Counts by severity, most severe first; the empty ones left out ("No findings" if all are). */
export function SeverityChips(props: {
  counts?: Partial<Record<Severity, number>>;
}) {
  const shown = SEVERITIES.filter(s => (props.counts?.[s] ?? 0) > 0);
  if (shown.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No findings
      </Typography>
    );
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {shown.map(s => (
        <SeverityLabel key={s} severity={s} count={props.counts![s]} />
      ))}
    </Box>
  );
}

/** Non-exempt findings by severity. */
export function countBySeverity(
  findings: Array<{ severity: Severity; status: string }>,
): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<
    Severity,
    number
  >;
  for (const f of findings) if (f.status === 'failed') counts[f.severity]++;
  return counts;
}
