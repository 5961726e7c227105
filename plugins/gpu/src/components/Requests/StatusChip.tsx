import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Chip } from '@material-ui/core';
import type { QuotaRequestStatus } from '@kubemate/plugin-gpu-common';
import { gpuTranslationRef } from '../../translation';

const COLOURS: Record<QuotaRequestStatus, string> = {
  pending: '#f9a825',
  active: '#2e7d32',
  rejected: '#c62828',
  expired: '#757575',
  cancelled: '#6d4c41',
  failed: '#b71c1c',
};

/** A quota request's status as a coloured chip. */
export function RequestStatusChip(props: { status: QuotaRequestStatus }) {
  const { t } = useTranslationRef(gpuTranslationRef);
  return (
    <Chip
      size="small"
      label={t(`requests.status.${props.status}`)}
      style={{ background: COLOURS[props.status], color: '#fff' }}
    />
  );
}
