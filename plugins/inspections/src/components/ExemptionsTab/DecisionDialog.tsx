import { Typography } from '@material-ui/core';
import type { Exemption } from '@kubemate/plugin-inspections-common';
import { CommentDecisionDialog } from '@kubemate/plugin-kubemate-react';
import type { ExemptionDecision } from '../../api';
import { formatObject } from '../../lib/format';

const VERBS: Record<ExemptionDecision, string> = {
  approve: 'Approve',
  reject: 'Reject',
  revoke: 'Revoke',
};

/**
 * Approve, reject or revoke an exemption with a comment (required to reject or revoke: the
 * requester is told why).
 */
export function DecisionDialog(props: {
  decision?: { exemption: Exemption; decision: ExemptionDecision };
  onClose: () => void;
  onDecide: (comment: string) => Promise<void>;
}) {
  const { decision, onClose, onDecide } = props;
  const verb = decision ? VERBS[decision.decision] : '';
  return (
    <CommentDecisionDialog
      open={Boolean(decision)}
      subject={decision}
      title={`${verb} the exemption`}
      verb={verb}
      commentRequired={decision?.decision !== 'approve'}
      testIdPrefix="inspections-decision"
      onClose={onClose}
      onDecide={onDecide}
      summary={
        decision && (
          <Typography variant="body2" paragraph>
            {decision.exemption.checkId} on{' '}
            {formatObject(decision.exemption.object)} (
            {decision.exemption.ticket}): {decision.exemption.reason}
          </Typography>
        )
      }
    />
  );
}
