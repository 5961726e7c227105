import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Box, Tooltip, Typography, useTheme } from '@material-ui/core';
import type { FlavorQuota } from '@kubemate/plugin-gpu-common';
import { quotaBarGeometry, quotaSummary } from '../../lib/quota';
import { gpuTranslationRef } from '../../translation';

/**
 * One flavor's GPU quota as a bar: the GPUs used within the nominal quota, the GPUs borrowed from
 * the cohort above it in another colour, a mark at the nominal quota and a dashed mark at the
 * borrowing limit (none when borrowing is unlimited). A `meter` for assistive technology, with
 * the summary as its text.
 */
export function QuotaBar(props: { quota: FlavorQuota; testId?: string }) {
  const { quota } = props;
  const theme = useTheme();
  const { t } = useTranslationRef(gpuTranslationRef);
  const g = quotaBarGeometry(quota);
  const summary = quotaSummary(quota, t);
  const mark = (left: number, dashed: boolean, label: string, id: string) => (
    <Tooltip title={label}>
      <span
        data-testid={id}
        data-left={left}
        style={{
          position: 'absolute',
          top: -3,
          bottom: -3,
          left: `calc(${left}% - 1px)`,
          width: 0,
          borderLeft: `2px ${dashed ? 'dashed' : 'solid'} ${
            dashed ? theme.palette.error.main : theme.palette.text.primary
          }`,
        }}
      />
    </Tooltip>
  );
  return (
    <Box data-testid={props.testId}>
      <Box
        role="meter"
        aria-label={t('quota.ariaLabel', { flavor: quota.flavor })}
        aria-valuemin={0}
        aria-valuemax={g.scale}
        aria-valuenow={quota.used}
        aria-valuetext={summary}
        position="relative"
        height={14}
        my={1}
        style={{
          background: theme.palette.action.hover,
          borderRadius: 2,
        }}
      >
        <Box
          data-testid="quota-used"
          data-width={g.usedPercent}
          position="absolute"
          top={0}
          bottom={0}
          left={0}
          style={{
            width: `${g.usedPercent}%`,
            background: theme.palette.primary.main,
          }}
        />
        <Box
          data-testid="quota-borrowed"
          data-width={g.borrowedPercent}
          position="absolute"
          top={0}
          bottom={0}
          style={{
            left: `${g.usedPercent}%`,
            width: `${g.borrowedPercent}%`,
            background: theme.palette.warning.main,
          }}
        />
        {mark(
          g.nominalPercent,
          false,
          t('quota.nominalMark', { nominal: String(quota.nominal) }),
          'quota-nominal',
        )}
        {g.limitPercent !== undefined &&
          mark(
            g.limitPercent,
            true,
            t('quota.limitMark', { limit: String(quota.borrowingLimit) }),
            'quota-limit',
          )}
      </Box>
      <Typography variant="caption" color="textSecondary">
        {summary}
      </Typography>
    </Box>
  );
}

/** The colours of the quota bar, explained once per list of bars. */
export function QuotaLegend() {
  const theme = useTheme();
  const { t } = useTranslationRef(gpuTranslationRef);
  const swatch = (color: string, label: string, border?: string) => (
    <Box display="flex" alignItems="center" mr={2}>
      <Box
        width={14}
        height={10}
        mr={0.5}
        style={{ background: color, borderLeft: border }}
      />
      <Typography variant="caption">{label}</Typography>
    </Box>
  );
  return (
    <Box display="flex" flexWrap="wrap">
      {swatch(theme.palette.primary.main, t('quota.legend.used'))}
      {swatch(theme.palette.warning.main, t('quota.legend.borrowed'))}
      {swatch(
        'transparent',
        t('quota.legend.nominal'),
        `2px solid ${theme.palette.text.primary}`,
      )}
      {swatch(
        'transparent',
        t('quota.legend.limit'),
        `2px dashed ${theme.palette.error.main}`,
      )}
    </Box>
  );
}
