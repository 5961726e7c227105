import { Chip } from '@material-ui/core';
import type { QuotaRequestStatus } from '@kubemate/plugin-gpu-common';

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
  return (
    <Chip
      size="small"
      label={props.status}
      style={{ background: COLOURS[props.status], color: '#fff' }}
    />
  );
}
