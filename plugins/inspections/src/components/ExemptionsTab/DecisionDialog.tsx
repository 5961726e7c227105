import { useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { Exemption } from '@kubemate/plugin-inspections-common';
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
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setComment('');
    setError(undefined);
  }, [decision]);

  const verb = decision ? VERBS[decision.decision] : '';
  const needsComment = decision?.decision !== 'approve';
  const missing = needsComment && !comment.trim();

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onDecide(comment.trim());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={Boolean(decision)} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{verb} the exemption</DialogTitle>
      <DialogContent>
        {decision && (
          <Typography variant="body2" paragraph>
            {decision.exemption.checkId} on{' '}
            {formatObject(decision.exemption.object)} (
            {decision.exemption.ticket}): {decision.exemption.reason}
          </Typography>
        )}
        <TextField
          id="inspections-decision-comment"
          label="Comment"
          value={comment}
          onChange={e => setComment(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          required={needsComment}
          helperText={
            needsComment ? 'Required: tell the requester why' : 'Optional'
          }
          inputProps={{ 'data-testid': 'inspections-decision-comment' }}
        />
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || missing}
          onClick={submit}
          data-testid="inspections-decision-submit"
        >
          {verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
