import { ReactNode, useEffect, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { useRagTranslation } from '../../hooks/useRagTranslation';

/**
 * Asks before an action that cannot be undone; with `typeToConfirm`, the user types it (a
 * knowledge base's name) first. The action's error is shown in the dialog, which stays open.
 */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  typeToConfirm?: string;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const { open, title, confirmLabel, typeToConfirm, onClose, onConfirm } =
    props;
  const { t } = useRagTranslation();
  const errorMessage = useErrorMessage();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    if (open) {
      setTyped('');
      setError(undefined);
    }
  }, [open]);

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const mismatch = typeToConfirm !== undefined && typed !== typeToConfirm;

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      maxWidth="sm"
      fullWidth
    >
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <DialogContentText component="div">{props.children}</DialogContentText>
        {typeToConfirm !== undefined && (
          <TextField
            id="rag-delete-name"
            label={t('confirm.typeToConfirm', { name: typeToConfirm })}
            value={typed}
            onChange={e => setTyped(e.target.value)}
            fullWidth
            margin="dense"
            inputProps={{ 'data-testid': 'rag-delete-name' }}
          />
        )}
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('confirm.cancel')}
        </Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={busy || mismatch}
          onClick={confirm}
          data-testid="rag-confirm"
        >
          {confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
