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
import type { QuotaRequest } from '@kubemate/plugin-gpu-common';
import { requestSummary } from '../Requests';

export type Decision = 'approve' | 'reject';

/** Approve or reject a quota request with a comment (required to reject: the requester is told why). */
export function DecisionDialog(props: {
  decision?: { request: QuotaRequest; decision: Decision; change?: string };
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

  const approve = decision?.decision === 'approve';
  const missing = !approve && !comment.trim();

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
      <DialogTitle>
        {approve ? 'Approve' : 'Reject'} the GPU request
      </DialogTitle>
      <DialogContent>
        {decision && (
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
        )}
        <TextField
          id="gpu-decision-comment"
          label="Comment"
          value={comment}
          onChange={e => setComment(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          required={!approve}
          helperText={approve ? 'Optional' : 'Required: tell the requester why'}
          inputProps={{ 'data-testid': 'gpu-decision-comment' }}
        />
        {error && (
          <Alert severity="error" data-testid="gpu-decision-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || missing}
          onClick={submit}
          data-testid="gpu-decision-submit"
        >
          {approve ? 'Approve' : 'Reject'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
