import { ReactNode, useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useOptionalTranslationRef } from '../../i18n/useOptionalTranslationRef';
import { kubemateReactTranslationRef } from '../../translation';

export interface CommentDecisionDialogProps {
  /** Open while set; a new value (another request, another decision) clears the comment. */
  open: boolean;
  /** Reset key: the comment and error are cleared whenever it changes. */
  subject?: unknown;
  title: string;
  /** What is being decided (the request, and what the decision changes). */
  summary?: ReactNode;
  /** The confirm button's label (`Approve`, `Reject`, `Revoke`). */
  verb: string;
  /** Reject-like decisions need a comment: the requester is told why. */
  commentRequired: boolean;
  /** Prefix of the test ids: `<prefix>-comment`, `<prefix>-submit`, `<prefix>-error`. */
  testIdPrefix: string;
  onClose: () => void;
  /** Makes the decision; a rejection's message is shown in the dialog, which stays open. */
  onDecide: (comment: string) => Promise<void>;
}

/**
 * The approve / reject (/ revoke) dialog of an approval inbox: the subject, a comment (required
 * for decisions that turn the requester down), the server's error shown in place, the confirm
 * button disabled while the decision is sent.
 */
export function CommentDecisionDialog(props: CommentDecisionDialogProps) {
  const { open, subject, title, summary, verb, commentRequired } = props;
  const { testIdPrefix, onClose, onDecide } = props;
  const { t } = useOptionalTranslationRef(kubemateReactTranslationRef);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setComment('');
    setError(undefined);
  }, [subject, open]);

  const missing = commentRequired && !comment.trim();

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
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        {summary}
        <TextField
          id={`${testIdPrefix}-comment`}
          label={t('decisionDialog.comment')}
          value={comment}
          onChange={e => setComment(e.target.value)}
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          required={commentRequired}
          helperText={
            commentRequired
              ? t('decisionDialog.commentRequired')
              : t('decisionDialog.commentOptional')
          }
          inputProps={{ 'data-testid': `${testIdPrefix}-comment` }}
        />
        {error && (
          <Alert severity="error" data-testid={`${testIdPrefix}-error`}>
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('decisionDialog.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || missing}
          onClick={submit}
          data-testid={`${testIdPrefix}-submit`}
        >
          {verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
