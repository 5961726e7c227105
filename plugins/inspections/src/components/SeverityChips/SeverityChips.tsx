import { Box, Chip, Typography } from '@material-ui/core';
import { SEVERITIES, type Severity } from '@kubemate/plugin-inspections-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { SEVERITY_COLOURS } from '../../lib/format';
import { inspectionsTranslationRef } from '../../translation';

/** One severity as a coloured chip. */
export function SeverityLabel(props: { severity: Severity; count?: number }) {
  const { severity, count } = props;
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const name = SEVERITIES.includes(severity)
    ? t(`severities.${severity}`)
    : severity;
  return (
    <Chip
      size="small"
      label={
        count === undefined
          ? name
          : t('severityCount', { n: String(count), severity: name })
      }
      style={{ background: SEVERITY_COLOURS[severity], color: '#fff' }}
    />
  );
}

/** Counts by severity, most severe first; the empty ones left out ("No findings" if all are). */
export function SeverityChips(props: {
  counts?: Partial<Record<Severity, number>>;
}) {
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const shown = SEVERITIES.filter(s => (props.counts?.[s] ?? 0) > 0);
  if (shown.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        {t('noFindings')}
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
