import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
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
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type {
  FinetuningJob,
  ServedModel,
} from '@kubemate/plugin-finetuning-common';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { rich, slot } from '../../lib/rich';
import { finetuningTranslationRef } from '../../translation';

/** The default Ollama model name the backend uses (`ft-<namespace>-<job name>`). */
export const defaultModelName = (job: FinetuningJob) =>
  `ft-${job.namespace}-${job.name}`.toLowerCase();

/** The prefix of the models the knowledge assistant offers (a name, the same in every language). */
const MODEL_PREFIX = 'ft-…';

/** "Serve": an Ollama model `FROM <base>` + the job's adapter; the created model shown. */
export function ServeDialog(props: {
  job: FinetuningJob;
  open: boolean;
  onClose: () => void;
  onServed: (model: ServedModel) => void;
}) {
  const { job } = props;
  const { t } = useTranslationRef(finetuningTranslationRef);
  const errorMessage = useErrorMessage();
  const api = useApi(finetuningApiRef);
  const [name, setName] = useState(defaultModelName(job));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const serve = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const model = await api.serve(job.id, {
        modelName: name.trim() || undefined,
      });
      props.onServed(model);
      props.onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} maxWidth="sm" fullWidth>
      <DialogTitle>{t('serve.title', { name: job.name })}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {rich(
            t('serve.body', {
              base: job.spec.baseModel,
              uri: job.adapter?.uri ?? '',
              prefix: slot('prefix'),
            }),
            { prefix: <code>{MODEL_PREFIX}</code> },
          )}
        </Typography>
        {job.adapter?.untrained && (
          <Alert severity="info" style={{ marginBottom: 8 }}>
            {t('serve.untrained')}
          </Alert>
        )}
        <TextField
          label={t('serve.modelName')}
          value={name}
          fullWidth
          variant="outlined"
          margin="dense"
          onChange={e => setName(e.target.value)}
          inputProps={{ 'data-testid': 'ft-serve-name' }}
          helperText={t('serve.modelNameHelper')}
        />
        {error && (
          <Alert severity="error" data-testid="ft-serve-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('serve.close')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !name.trim()}
          onClick={serve}
          data-testid="ft-serve-submit"
        >
          {busy ? t('serve.creating') : t('serve.serve')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
