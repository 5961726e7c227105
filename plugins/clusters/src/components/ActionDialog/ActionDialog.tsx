import { ReactNode, useState } from 'react';
import {
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
} from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { clustersTranslationRef } from '../../translation';

/**
 * Confirmation for an action on a cluster object; `children` can hold inputs. Shows progress
 * while the action runs and keeps the dialog open with the error when it fails.
 */
export function ActionDialog(props: {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  destructive?: boolean;
  confirmDisabled?: boolean;
  onConfirm: () => Promise<void>;
  onClose: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslationRef(clustersTranslationRef);
  const errorMessage = useErrorMessage();
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const confirm = async () => {
    setRunning(true);
    setError(undefined);
    try {
      await props.onConfirm();
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      open={props.open}
      onClose={running ? undefined : props.onClose}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle>{props.title}</DialogTitle>
      <DialogContent>
        <DialogContentText component="div">
          {props.description}
        </DialogContentText>
        {props.children}
        {error && (
          <DialogContentText role="alert" color="error">
            {error}
          </DialogContentText>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={running}>
          {t('common.cancel')}
        </Button>
        <Button
          onClick={confirm}
          disabled={running || props.confirmDisabled}
          color={props.destructive ? 'secondary' : 'primary'}
          variant="contained"
          startIcon={running ? <CircularProgress size={16} /> : undefined}
        >
          {props.confirmLabel}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
