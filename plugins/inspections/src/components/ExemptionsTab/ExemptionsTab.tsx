import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Link, Progress, Table, TableColumn } from '@backstage/core-components';
import { Box, Chip, MenuItem, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  PermissionButton,
  TranslatedErrorPanel,
} from '@kubemate/plugin-kubemate-react';
import {
  inspectionsExemptionApprovePermission,
  type Exemption,
  type ExemptionStatus,
} from '@kubemate/plugin-inspections-common';
import { ExemptionDecision, inspectionsApiRef } from '../../api';
import { useCurrentUser, useExemptions } from '../../hooks';
import { entityLink, formatObject, shortRef } from '../../lib/format';
import { useInspectionsFormat } from '../../lib/useInspectionsFormat';
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

/**
 * The exemption register: every exemption with its status, object, check, reason, ticket,
 * requester, expiry and decision; Approve / Reject a pending one and Revoke an active one
 * (`inspections.exemption.approve`), never Approve one's own request.
 */
export function ExemptionsTab() {
  const api = useApi(inspectionsApiRef);
  const fmt = useInspectionsFormat();
  const { t } = fmt;
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
      t(`exemptions.done.${decision}`, {
        object: formatObject(exemption.object),
      }),
    );
    exemptions.reload();
  };

  const button = (e: Exemption, decision: ExemptionDecision) => (
    <PermissionButton
      permission={inspectionsExemptionApprovePermission}
      size="small"
      color={decision === 'approve' ? 'primary' : 'default'}
      onClick={() => setDeciding({ exemption: e, decision })}
      aria-label={t(`exemptions.actionFor.${decision}`, {
        object: formatObject(e.object),
      })}
      data-testid={`inspections-${decision}-${e.id}`}
    >
      {t(`exemptions.actions.${decision}`)}
    </PermissionButton>
  );

  const columns: TableColumn<Exemption>[] = [
    {
      title: t('exemptions.columns.status'),
      field: 'status',
      render: e => (
        <Chip
          size="small"
          label={
            STATUSES.includes(e.status)
              ? t(`exemptionStatuses.${e.status}`)
              : e.status
          }
          style={{ background: STATUS_COLOURS[e.status], color: '#fff' }}
        />
      ),
    },
    {
      title: t('exemptions.columns.object'),
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
    { title: t('exemptions.columns.check'), field: 'checkId' },
    { title: t('exemptions.columns.reason'), field: 'reason' },
    { title: t('exemptions.columns.ticket'), field: 'ticket' },
    {
      title: t('exemptions.columns.requested'),
      render: e => (
        <>
          {shortRef(e.requestedBy)}
          <Typography variant="caption" component="div" color="textSecondary">
            {fmt.time(e.requestedAt)}
          </Typography>
        </>
      ),
    },
    {
      title: t('exemptions.columns.expires'),
      field: 'expiresAt',
      render: e => (
        <>
          {fmt.date(e.expiresAt)}
          {(e.status === 'active' || e.status === 'pending') && (
            <Typography variant="caption" component="div" color="textSecondary">
              {fmt.expiresIn(e.expiresAt)}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: t('exemptions.columns.decided'),
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
      title: t('exemptions.columns.actions'),
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
                  {t('exemptions.ownRequest')}
                </Typography>
              ) : (
                // not offered before the user is known: it might be their own
                me && button(e, 'approve')
              )}
              {button(e, 'reject')}
            </Box>
          );
        }
        if (e.status === 'active') return button(e, 'revoke');
        return null;
      },
    },
  ];

  let body;
  if (exemptions.loading && !exemptions.value) body = <Progress />;
  else if (exemptions.error && !exemptions.value) {
    body = <TranslatedErrorPanel error={exemptions.error} />;
  } else {
    const list = exemptions.value?.exemptions ?? [];
    body = (
      <>
        {exemptions.error && <TranslatedErrorPanel error={exemptions.error} />}
        <Table<Exemption>
          title={t('exemptions.title', { n: String(list.length) })}
          options={{ paging: list.length > 20, pageSize: 20, search: true }}
          columns={columns}
          data={list}
          emptyContent={
            <Box p={2}>
              <Typography>
                {status === 'all'
                  ? t('exemptions.emptyAll')
                  : t(`exemptions.empty.${status}`)}
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
          label={t('exemptions.filterLabel')}
          value={status}
          onChange={e => setStatus(e.target.value as ExemptionStatus | 'all')}
          fullWidth
          variant="outlined"
          margin="dense"
          SelectProps={{
            SelectDisplayProps: {
              'aria-label': t('exemptions.filterByStatus'),
            } as any,
          }}
        >
          <MenuItem value="all">{t('common.all')}</MenuItem>
          {STATUSES.map(s => (
            <MenuItem key={s} value={s}>
              {t(`exemptionStatuses.${s}`)}
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
