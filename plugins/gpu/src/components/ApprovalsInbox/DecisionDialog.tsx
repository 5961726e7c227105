import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Typography } from '@material-ui/core';
import type { QuotaRequest } from '@kubemate/plugin-gpu-common';
import { CommentDecisionDialog } from '@kubemate/plugin-kubemate-react';
import { requestSummary } from '../Requests';
import { gpuTranslationRef } from '../../translation';

export type Decision = 'approve' | 'reject';

/** Approve or reject a quota request with a comment (required to reject: the requester is told why). */
export function DecisionDialog(props: {
  decision?: { request: QuotaRequest; decision: Decision; change?: string };
  onClose: () => void;
  onDecide: (comment: string) => Promise<void>;
}) {
  const { decision, onClose, onDecide } = props;
  const { t } = useTranslationRef(gpuTranslationRef);
  const approve = decision?.decision === 'approve';
  const verb = approve ? t('approvals.approve') : t('approvals.reject');
  return (
    <CommentDecisionDialog
      open={Boolean(decision)}
      subject={decision}
      title={approve ? t('approvals.approveTitle') : t('approvals.rejectTitle')}
      verb={verb}
      commentRequired={!approve}
      testIdPrefix="gpu-decision"
      onClose={onClose}
      onDecide={onDecide}
      summary={
        decision && (
          <>
            <Typography variant="body2" paragraph>
              {t('approvals.askedBy', {
                summary: requestSummary(decision.request, t),
                requester: decision.request.requestedBy,
                reason: decision.request.reason,
              })}
            </Typography>
            {approve && decision.change && (
              <Typography variant="body2" paragraph>
                {t('approvals.approvingChanges', { change: decision.change })}
              </Typography>
            )}
          </>
        )
      }
    />
  );
}
