import { Chip, Tooltip } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { HealthVerdict } from '@kubemate/plugin-clusters-common';
import { clustersTranslationRef } from '../../translation';

const colors: Record<HealthVerdict['status'], { bg: string; fg: string }> = {
  ok: { bg: '#e6f4ea', fg: '#1e6b34' },
  warning: { bg: '#fff4e5', fg: '#8a4b00' },
  error: { bg: '#fdecea', fg: '#a11a1a' },
};

/** A workload's or pod's health verdict, with the reason's message as tooltip. */
export function HealthChip({ health }: { health: HealthVerdict }) {
  const { t } = useTranslationRef(clustersTranslationRef);
  const c = colors[health.status];
  const chip = (
    <Chip
      size="small"
      label={t(`health.${health.reason}`)}
      style={{ backgroundColor: c.bg, color: c.fg, fontWeight: 600 }}
    />
  );
  return health.message ? (
    <Tooltip title={health.message}>{chip}</Tooltip>
  ) : (
    chip
  );
}
