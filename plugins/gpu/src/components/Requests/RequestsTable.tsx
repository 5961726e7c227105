import { ReactNode } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { Table, TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { QuotaRequest } from '@kubemate/plugin-gpu-common';
import { formatTime, shortRef, testIdPart } from '../../lib/format';
import { gpuTranslationRef, type GpuT } from '../../translation';
import { RequestStatusChip } from './StatusChip';

/** The test id of a request's row (`gpu-quota-request-<id>`). */
export const requestTestId = (r: QuotaRequest) =>
  `gpu-quota-request-${testIdPart(r.id)}`;

/** What a request asks for, in one line (in the app's language). */
export const requestSummary = (r: QuotaRequest, t: GpuT) =>
  t('requests.summary', {
    count: r.gpus,
    flavor: r.flavor,
    namespace: r.namespace,
    cluster: r.cluster,
    queue: r.clusterQueue,
  });

/** Quota requests with their status, period, reason, requester and decision; `actions` per row. */
export function RequestsTable(props: {
  requests: QuotaRequest[];
  title: string;
  emptyText: string;
  actions?: (r: QuotaRequest) => ReactNode;
  /** An extra column (the approvals inbox: what the change does). */
  extra?: TableColumn<QuotaRequest>;
}) {
  const { t } = useTranslationRef(gpuTranslationRef);
  const f = useFormatters();
  const columns: TableColumn<QuotaRequest>[] = [
    {
      title: t('requests.columns.status'),
      field: 'status',
      render: r => (
        <Box data-testid={requestTestId(r)} data-status={r.status}>
          <RequestStatusChip status={r.status} />
          {r.error && (
            <Typography variant="caption" color="error" component="div">
              {r.error}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: t('requests.columns.request'),
      render: r => (
        <>
          <Typography variant="body2">{requestSummary(r, t)}</Typography>
          <Typography variant="caption" color="textSecondary">
            {r.status === 'active' || r.status === 'expired'
              ? t('requests.until', { time: formatTime(f, r.until) })
              : t('requests.ends', { time: formatTime(f, r.until) })}
            {r.team ? ` · ${shortRef(r.team)}` : ''}
          </Typography>
        </>
      ),
    },
    ...(props.extra ? [props.extra] : []),
    {
      title: t('requests.columns.reason'),
      field: 'reason',
      render: r => (
        <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
          {r.reason}
        </Typography>
      ),
    },
    {
      title: t('requests.columns.requested'),
      field: 'requestedAt',
      defaultSort: 'desc',
      render: r => (
        <>
          {shortRef(r.requestedBy)}
          <Typography variant="caption" component="div" color="textSecondary">
            {formatTime(f, r.requestedAt)}
            {r.source === 'template' ? ` · ${t('requests.fromTemplate')}` : ''}
          </Typography>
        </>
      ),
    },
    {
      title: t('requests.columns.decision'),
      render: r =>
        r.decidedBy ? (
          <>
            {shortRef(r.decidedBy)}
            <Typography variant="caption" component="div" color="textSecondary">
              {formatTime(f, r.decidedAt)}
            </Typography>
            {r.comment && (
              <Typography
                variant="caption"
                component="div"
                color="textSecondary"
              >
                “{r.comment}”
              </Typography>
            )}
          </>
        ) : (
          '—'
        ),
    },
  ];
  if (props.actions) {
    columns.push({
      title: t('requests.columns.actions'),
      sorting: false,
      render: props.actions,
    });
  }
  return (
    <Table<QuotaRequest>
      title={props.title}
      options={{
        paging: props.requests.length > 20,
        pageSize: 20,
        search: false,
        padding: 'dense',
      }}
      columns={columns}
      data={props.requests}
      emptyContent={
        <Box p={2}>
          <Typography>{props.emptyText}</Typography>
        </Box>
      }
    />
  );
}
