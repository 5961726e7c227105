import { useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { EmptyState, Progress } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  gpuRequestApprovePermission,
  type QuotaRequest,
  type TeamQueue,
} from '@kubemate/plugin-gpu-common';
import { gpuApiRef } from '../../api';
import { useAnyPermission, useQueues, useQuotaRequests } from '../../hooks';
import { gpusText } from '../../lib/format';
import { nominalChange } from '../../lib/requests';
import { requestSummary, RequestsTable } from '../Requests';
import { Loaded } from '../Section';
import { Decision, DecisionDialog } from './DecisionDialog';

/** What approving a request does: `team-payments / a100-40gb nominal 4 → 8 GPUs`. */
export function changeText(r: QuotaRequest, queues: TeamQueue[]): string {
  const { before, after } = nominalChange(r, queues);
  const where = `the nominal quota of ${r.clusterQueue} / ${r.flavor} (${r.cluster})`;
  return before === undefined
    ? `${where}: + ${gpusText(r.gpus)}`
    : `${where}: ${before} → ${gpusText(after!)}`;
}

/** Why a request's Approve/Reject is not offered although the permission is there. */
export const CANNOT_DECIDE_REASON =
  'The backend does not let you decide this request';

const DONE: Record<Decision, string> = {
  approve: 'Approved',
  reject: 'Rejected',
};

/**
 * The approvals inbox of `gpu.request.approve`: the pending quota requests (and failed ones, to
 * approve again), what approving each
 * changes (the ClusterQueue's nominal quota before → after), approve or reject with a comment.
 * Users without the permission on any team namespace they see get the reason instead.
 */
export function ApprovalsInbox() {
  const api = useApi(gpuApiRef);
  const all = useQuotaRequests();
  // pending ones, and failed ones an approver may approve again
  const waiting = useMemo(
    () =>
      (all.value?.items ?? []).filter(
        r => r.status === 'pending' || (r.status === 'failed' && r.canDecide),
      ),
    [all.value],
  );
  const queues = useQueues();
  const [deciding, setDeciding] = useState<{
    request: QuotaRequest;
    decision: Decision;
    change?: string;
  }>();
  const [notice, setNotice] = useState<{
    severity: 'success' | 'error';
    text: string;
  }>();

  const refs = useMemo(
    () => [
      ...(queues.value?.queues ?? []).flatMap(q =>
        q.localQueues.map(l => `${q.cluster}/${l.namespace}`),
      ),
      ...waiting.map(r => `${r.cluster}/${r.namespace}`),
    ],
    [queues.value, waiting],
  );
  const ready =
    Boolean(queues.value || queues.error) && Boolean(all.value || all.error);
  const gate = useAnyPermission(
    gpuRequestApprovePermission,
    ready ? refs : [],
    'any team namespace you can see',
  );

  if (!ready) return <Progress />;
  if (gate.loading) return <Progress />;
  if (!gate.allowed) {
    return (
      <Box data-testid="gpu-approvals-denied">
        <EmptyState
          missing="info"
          title="Approvals are for platform admins"
          description={`${gate.reason}. Quota requests are approved by users with gpu.request.approve; yours are in the Requests tab.`}
        />
      </Box>
    );
  }

  const decide = async (comment: string) => {
    const { request, decision } = deciding!;
    const result = await api.decideRequest(request.id, {
      decision,
      ...(comment ? { comment } : {}),
    });
    setDeciding(undefined);
    setNotice(
      result.status === 'failed'
        ? {
            severity: 'error',
            text: `Approving ${requestSummary(request)} failed: ${
              result.error ?? 'no reason given'
            }`,
          }
        : {
            severity: 'success',
            text: `${DONE[decision]} ${requestSummary(request)}: now ${
              result.status
            }.`,
          },
    );
    all.retry();
    queues.retry();
  };

  const queueList = queues.value?.queues ?? [];
  const button = (r: QuotaRequest, decision: Decision, label: string) => (
    <PermissionButton
      permission={gpuRequestApprovePermission}
      resourceRef={`${r.cluster}/${r.namespace}`}
      size="small"
      variant={decision === 'approve' ? 'contained' : 'outlined'}
      color={decision === 'approve' ? 'primary' : 'default'}
      disabled={r.canDecide === false}
      disabledReason={CANNOT_DECIDE_REASON}
      onClick={() =>
        setDeciding({ request: r, decision, change: changeText(r, queueList) })
      }
      aria-label={`${label} ${requestSummary(r)}`}
      data-testid={`gpu-${decision}-${r.id}`}
    >
      {label}
    </PermissionButton>
  );

  return (
    <>
      {notice && (
        <Box mb={2}>
          <Alert
            severity={notice.severity}
            onClose={() => setNotice(undefined)}
            data-testid="gpu-approval-notice"
          >
            {notice.text}
          </Alert>
        </Box>
      )}
      <Loaded state={all} what="the requests">
        {() => (
          <RequestsTable
            requests={waiting}
            title={`Waiting for approval (${waiting.length})`}
            emptyText="No request waits for approval."
            extra={{
              title: 'Approving changes',
              render: r => (
                <Typography variant="body2" data-testid={`gpu-change-${r.id}`}>
                  {changeText(r, queueList)}
                </Typography>
              ),
            }}
            actions={r => (
              <Box display="flex" style={{ gap: 4 }}>
                {button(r, 'approve', 'Approve')}
                {button(r, 'reject', 'Reject')}
              </Box>
            )}
          />
        )}
      </Loaded>
      <DecisionDialog
        decision={deciding}
        onClose={() => setDeciding(undefined)}
        onDecide={decide}
      />
    </>
  );
}
