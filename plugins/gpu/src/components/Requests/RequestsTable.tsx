import { ReactNode } from 'react';
import { Table, TableColumn } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import type { QuotaRequest } from '@kubemate/plugin-gpu-common';
import { formatTime, gpusText, shortRef, testIdPart } from '../../lib/format';
import { RequestStatusChip } from './StatusChip';

/** The test id of a request's row (`gpu-quota-request-<id>`). */
export const requestTestId = (r: QuotaRequest) =>
  `gpu-quota-request-${testIdPart(r.id)}`;

/** What a request asks for, in one line. */
export const requestSummary = (r: QuotaRequest) =>
  `${gpusText(r.gpus)} of ${r.flavor} for ${r.namespace} (${r.cluster}, queue ${
    r.clusterQueue
  })`;

/** Quota requests with their status, period, reason, requester and decision; `actions` per row. */
export function RequestsTable(props: {
  requests: QuotaRequest[];
  title: string;
  emptyText: string;
  actions?: (r: QuotaRequest) => ReactNode;
  /** An extra column (the approvals inbox: what the change does). */
  extra?: TableColumn<QuotaRequest>;
}) {
  const columns: TableColumn<QuotaRequest>[] = [
    {
      title: 'Status',
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
      title: 'Request',
      render: r => (
        <>
          <Typography variant="body2">{requestSummary(r)}</Typography>
          <Typography variant="caption" color="textSecondary">
            {r.status === 'active' || r.status === 'expired'
              ? `until ${formatTime(r.until)}`
              : `ends ${formatTime(r.until)}`}
            {r.team ? ` · ${shortRef(r.team)}` : ''}
          </Typography>
        </>
      ),
    },
    ...(props.extra ? [props.extra] : []),
    {
      title: 'Reason',
      field: 'reason',
      render: r => (
        <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
          {r.reason}
        </Typography>
      ),
    },
    {
      title: 'Requested',
      field: 'requestedAt',
      defaultSort: 'desc',
      render: r => (
        <>
          {shortRef(r.requestedBy)}
          <Typography variant="caption" component="div" color="textSecondary">
            {formatTime(r.requestedAt)}
            {r.source === 'template' ? ' · from a template' : ''}
          </Typography>
        </>
      ),
    },
    {
      title: 'Decision',
      render: r =>
        r.decidedBy ? (
          <>
            {shortRef(r.decidedBy)}
            <Typography variant="caption" component="div" color="textSecondary">
              {formatTime(r.decidedAt)}
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
    columns.push({ title: 'Actions', sorting: false, render: props.actions });
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
