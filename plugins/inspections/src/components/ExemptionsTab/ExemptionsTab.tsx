import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { Box, Chip, MenuItem, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  inspectionsExemptionApprovePermission,
  type Exemption,
  type ExemptionStatus,
} from '@kubemate/plugin-inspections-common';
import { ExemptionDecision, inspectionsApiRef } from '../../api';
import { useCurrentUser, useExemptions } from '../../hooks';
import {
  entityLink,
  expiresIn,
  formatDate,
  formatObject,
  formatTime,
  shortRef,
} from '../../lib/format';
import { DecisionDialog } from './DecisionDialog';

const STATUSES: ExemptionStatus[] = [
  'pending',
  'active',
  'expired',
  'rejected',
  'revoked',
];

const STATUS_COLOURS: Record<ExemptionStatus, string> = {
  pending: '#f9a825',
  active: '#2e7d32',
  expired: '#757575',
  rejected: '#c62828',
  revoked: '#6d4c41',
};

const DONE: Record<ExemptionDecision, string> = {
  approve: 'approved',
  reject: 'rejected',
  revoke: 'revoked',
};

/** Why the signed-in user is not offered Approve on their own request. */
export const OWN_REQUEST_REASON =
  'Your own request: someone else must approve it';

/**
 * The exemption register: every exemption with its status, object, check, reason, ticket,
 * requester, expiry and decision; Approve / Reject a pending one and Revoke an active one
 * (`inspections.exemption.approve`), never Approve one's own request.
 */
export function ExemptionsTab() {
  const api = useApi(inspectionsApiRef);
  const [status, setStatus] = useState<ExemptionStatus | 'all'>('all');
  const exemptions = useExemptions(status === 'all' ? undefined : status);
  const me = useCurrentUser();
  const [deciding, setDeciding] = useState<{
    exemption: Exemption;
    decision: ExemptionDecision;
  }>();
  const [notice, setNotice] = useState<string>();

  const decide = async (comment: string) => {
    const { exemption, decision } = deciding!;
    await api.decideExemption(
      exemption.id,
      decision,
      comment ? { comment } : {},
    );
    setDeciding(undefined);
    setNotice(
      `Exemption of ${formatObject(exemption.object)} ${DONE[decision]}.`,
    );
    exemptions.reload();
  };

  const button = (e: Exemption, decision: ExemptionDecision, label: string) => (
    <PermissionButton
      permission={inspectionsExemptionApprovePermission}
      size="small"
      color={decision === 'approve' ? 'primary' : 'default'}
      onClick={() => setDeciding({ exemption: e, decision })}
      aria-label={`${label} exemption of ${formatObject(e.object)}`}
      data-testid={`inspections-${decision}-${e.id}`}
    >
      {label}
    </PermissionButton>
  );

  const columns: TableColumn<Exemption>[] = [
    {
      title: 'Status',
      field: 'status',
      render: e => (
        <Chip
          size="small"
          label={e.status}
          style={{ background: STATUS_COLOURS[e.status], color: '#fff' }}
        />
      ),
    },
    {
      title: 'Object',
      render: e => (
        <>
          <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
            {formatObject(e.object)}
          </Typography>
          {e.entityRef && (
            <Link to={entityLink(e.entityRef)}>{shortRef(e.entityRef)}</Link>
          )}
        </>
      ),
    },
    { title: 'Check', field: 'checkId' },
    { title: 'Reason', field: 'reason' },
    { title: 'Ticket', field: 'ticket' },
    {
      title: 'Requested',
      render: e => (
        <>
          {shortRef(e.requestedBy)}
          <Typography variant="caption" component="div" color="textSecondary">
            {formatTime(e.requestedAt)}
          </Typography>
        </>
      ),
    },
    {
      title: 'Expires',
      field: 'expiresAt',
      render: e => (
        <>
          {formatDate(e.expiresAt)}
          {(e.status === 'active' || e.status === 'pending') && (
            <Typography variant="caption" component="div" color="textSecondary">
              {expiresIn(e.expiresAt)}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Decided',
      render: e =>
        e.decidedBy ? (
          <>
            {shortRef(e.decidedBy)}
            {e.decisionComment && (
              <Typography
                variant="caption"
                component="div"
                color="textSecondary"
              >
                “{e.decisionComment}”
              </Typography>
            )}
          </>
        ) : (
          '—'
        ),
    },
    {
      title: 'Actions',
      render: e => {
        if (e.status === 'pending') {
          const own = Boolean(me) && e.requestedBy === me;
          return (
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="center"
              style={{ gap: 4 }}
            >
              {own ? (
                <Typography
                  variant="caption"
                  color="textSecondary"
                  data-testid={`inspections-own-request-${e.id}`}
                >
                  {OWN_REQUEST_REASON}
                </Typography>
              ) : (
                // not offered before the user is known: it might be their own
                me && button(e, 'approve', 'Approve')
              )}
              {button(e, 'reject', 'Reject')}
            </Box>
          );
        }
        if (e.status === 'active') return button(e, 'revoke', 'Revoke');
        return null;
      },
    },
  ];

  let body;
  if (exemptions.loading && !exemptions.value) body = <Progress />;
  else if (exemptions.error && !exemptions.value) {
    body = <ResponseErrorPanel error={exemptions.error} />;
  } else {
    const list = exemptions.value?.exemptions ?? [];
    body = (
      <>
        {exemptions.error && <ResponseErrorPanel error={exemptions.error} />}
        <Table<Exemption>
          title={`Exemptions (${list.length})`}
          options={{ paging: list.length > 20, pageSize: 20, search: true }}
          columns={columns}
          data={list}
          emptyContent={
            <Box p={2}>
              <Typography>
                {status === 'all'
                  ? 'No exemption has been requested. Request one from a finding of a run.'
                  : `No ${status} exemption.`}
              </Typography>
            </Box>
          }
        />
      </>
    );
  }

  return (
    <>
      <Box mb={2} maxWidth={240}>
        <TextField
          select
          label="Status"
          value={status}
          onChange={e => setStatus(e.target.value as ExemptionStatus | 'all')}
          fullWidth
          variant="outlined"
          margin="dense"
          SelectProps={{
            SelectDisplayProps: { 'aria-label': 'Filter by status' } as any,
          }}
        >
          <MenuItem value="all">all</MenuItem>
          {STATUSES.map(s => (
            <MenuItem key={s} value={s}>
              {s}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      {notice && (
        <Box mb={2}>
          <Alert severity="success" onClose={() => setNotice(undefined)}>
            {notice}
          </Alert>
        </Box>
      )}
      {body}
      <DecisionDialog
        decision={deciding}
        onClose={() => setDeciding(undefined)}
        onDecide={decide}
      />
    </>
  );
}
