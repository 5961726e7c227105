import { Typography } from '@material-ui/core';
import type { QuotaRequest } from '@kubemate/plugin-gpu-common';
import { CommentDecisionDialog } from '@kubemate/plugin-kubemate-react';
import { requestSummary } from '../Requests';

export type Decision = 'approve' | 'reject';

/** Approve or reject a quota request with a comment (required to reject: the requester is told why). */
export function DecisionDialog(props: {
  decision?: { request: QuotaRequest; decision: Decision; change?: string };
  onClose: () => void;
  onDecide: (comment: string) => Promise<void>;
}) {
  const { decision, onClose, onDecide } = props;
  const approve = decision?.decision === 'approve';
  const verb = approve ? 'Approve' : 'Reject';
  return (
    <CommentDecisionDialog
      open={Boolean(decision)}
      subject={decision}
      title={`${verb} the GPU request`}
      verb={verb}
      commentRequired={!approve}
      testIdPrefix="gpu-decision"
      onClose={onClose}
      onDecide={onDecide}
      summary={
        decision && (
          <>
            <Typography variant="body2" paragraph>
              {requestSummary(decision.request)}, asked by{' '}
              {decision.request.requestedBy}: {decision.request.reason}
            </Typography>
            {approve && decision.change && (
              <Typography variant="body2" paragraph>
                Approving changes {decision.change}, as you, until the request
                expires.
              </Typography>
            )}
          </>
        )
      }
    />
  );
}
