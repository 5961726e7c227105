import { ReactNode, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { finetuningTranslationRef } from '../../translation';

/** "Are you sure?" with the action's own refusal shown in place. */
export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  children: ReactNode;
  verb: string;
  testIdPrefix: string;
  onClose: () => void;
  onConfirm: () => Promise<void>;
}) {
  const { t } = useTranslationRef(finetuningTranslationRef);
  const errorMessage = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const close = () => {
    setError(undefined);
    props.onClose();
  };
  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={close} maxWidth="sm" fullWidth>
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        {props.children}
        {error && (
          <Alert
            severity="error"
            data-testid={`${props.testIdPrefix}-error`}
            style={{ marginTop: 8 }}
          >
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={close}>{t('confirm.keep')}</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={busy}
          onClick={confirm}
          data-testid={`${props.testIdPrefix}-confirm`}
        >
          {props.verb}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
