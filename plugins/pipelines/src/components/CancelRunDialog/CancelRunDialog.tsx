import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Typography,
} from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { PipelineRunSummary } from '@kubemate/plugin-pipelines-common';
import { pipelinesTranslationRef } from '../../translation';

/** Asks before cancelling a run (it cannot be resumed). Open while `run` is set. */
export function CancelRunDialog(props: {
  run?: PipelineRunSummary;
  onClose: () => void;
  onConfirm: (run: PipelineRunSummary) => void;
}) {
  const { run, onClose, onConfirm } = props;
  const { t } = useTranslationRef(pipelinesTranslationRef);
  return (
    <Dialog open={Boolean(run)} onClose={onClose}>
      <DialogTitle>
        {t('cancelDialog.title', { run: run?.name ?? '' })}
      </DialogTitle>
      <DialogContent>
        <Typography>{t('cancelDialog.body')}</Typography>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('cancelDialog.keep')}</Button>
        <Button
          color="secondary"
          variant="contained"
          onClick={() => {
            const r = run!;
            onClose();
            onConfirm(r);
          }}
        >
          {t('cancelDialog.confirm')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
