import { Typography } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { Exemption } from '@kubemate/plugin-inspections-common';
import { CommentDecisionDialog } from '@kubemate/plugin-kubemate-react';
import type { ExemptionDecision } from '../../api';
import { formatObject } from '../../lib/format';
import { inspectionsTranslationRef } from '../../translation';

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
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const verb = decision ? t(`exemptions.actions.${decision.decision}`) : '';
  return (
    <CommentDecisionDialog
      open={Boolean(decision)}
      subject={decision}
      title={
        decision ? t(`exemptions.decisionTitles.${decision.decision}`) : ''
      }
      verb={verb}
      commentRequired={decision?.decision !== 'approve'}
      testIdPrefix="inspections-decision"
      onClose={onClose}
      onDecide={onDecide}
      summary={
        decision && (
          <Typography variant="body2" paragraph>
            {t('exemptions.decisionSummary', {
              check: decision.exemption.checkId,
              object: formatObject(decision.exemption.object),
              ticket: decision.exemption.ticket,
              reason: decision.exemption.reason,
            })}
          </Typography>
        )
      }
    />
  );
}
