import { useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
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
import { nominalChange } from '../../lib/requests';
import { requestSummary, RequestsTable } from '../Requests';
import { Loaded } from '../Section';
import { Decision, DecisionDialog } from './DecisionDialog';
import { gpuTranslationRef, type GpuT } from '../../translation';

/** What approving a request does: `team-payments / a100-40gb nominal 4 → 8 GPUs`. */
export function changeText(
  r: QuotaRequest,
  queues: TeamQueue[],
  t: GpuT,
): string {
  const { before, after } = nominalChange(r, queues);
  const where = { queue: r.clusterQueue, flavor: r.flavor, cluster: r.cluster };
  return before === undefined
    ? t('approvals.changeAdd', { ...where, count: r.gpus })
    : t('approvals.changeFromTo', {
        ...where,
        before: String(before),
        count: after!,
      });
}

/**
 * The approvals inbox of `gpu.request.approve`: the pending quota requests (and failed ones, to
 * approve again), what approving each
 * changes (the ClusterQueue's nominal quota before → after), approve or reject with a comment.
 * Users without the permission on any team namespace they see get the reason instead.
 */
export function ApprovalsInbox() {
  const api = useApi(gpuApiRef);
  const { t } = useTranslationRef(gpuTranslationRef);
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
    t('approvals.anyNamespace'),
  );

  if (!ready) return <Progress />;
  if (gate.loading) return <Progress />;
  if (!gate.allowed) {
    return (
      <Box data-testid="gpu-approvals-denied">
        <EmptyState
          missing="info"
          title={t('approvals.deniedTitle')}
          description={t('approvals.deniedDescription', {
            reason: gate.reason,
          })}
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
    const summary = requestSummary(request, t);
    const status = t(`requests.status.${result.status}`);
    setNotice(
      result.status === 'failed'
        ? {
            severity: 'error',
            text: t('approvals.failedNotice', {
              summary,
              error: result.error ?? t('approvals.noReasonGiven'),
            }),
          }
        : {
            severity: 'success',
            text:
              decision === 'approve'
                ? t('approvals.approvedNotice', { summary, status })
                : t('approvals.rejectedNotice', { summary, status }),
          },
    );
    all.retry();
    queues.retry();
  };

  const queueList = queues.value?.queues ?? [];
  const button = (r: QuotaRequest, decision: Decision) => (
    <PermissionButton
      permission={gpuRequestApprovePermission}
      resourceRef={`${r.cluster}/${r.namespace}`}
      size="small"
      variant={decision === 'approve' ? 'contained' : 'outlined'}
      color={decision === 'approve' ? 'primary' : 'default'}
      disabled={r.canDecide === false}
      disabledReason={t('approvals.cannotDecide')}
      onClick={() =>
        setDeciding({
          request: r,
          decision,
          change: changeText(r, queueList, t),
        })
      }
      aria-label={
        decision === 'approve'
          ? t('approvals.approveAria', { summary: requestSummary(r, t) })
          : t('approvals.rejectAria', { summary: requestSummary(r, t) })
      }
      data-testid={`gpu-${decision}-${r.id}`}
    >
      {decision === 'approve' ? t('approvals.approve') : t('approvals.reject')}
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
      <Loaded state={all} what={t('loaded.what.requests')}>
        {() => (
          <RequestsTable
            requests={waiting}
            title={t('approvals.waitingTitle', {
              n: String(waiting.length),
            })}
            emptyText={t('approvals.empty')}
            extra={{
              title: t('approvals.changeColumn'),
              render: r => (
                <Typography variant="body2" data-testid={`gpu-change-${r.id}`}>
                  {changeText(r, queueList, t)}
                </Typography>
              ),
            }}
            actions={r => (
              <Box display="flex" style={{ gap: 4 }}>
                {button(r, 'approve')}
                {button(r, 'reject')}
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
