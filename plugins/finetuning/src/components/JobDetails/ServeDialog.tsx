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
import type {
  FinetuningJob,
  ServedModel,
} from '@kubemate/plugin-finetuning-common';
import { finetuningApiRef } from '../../api';

/** The default Ollama model name the backend uses (`ft-<namespace>-<job name>`). */
export const defaultModelName = (job: FinetuningJob) =>
  `ft-${job.namespace}-${job.name}`.toLowerCase();

/** "Serve": an Ollama model `FROM <base>` + the job's adapter; the created model shown. */
export function ServeDialog(props: {
  job: FinetuningJob;
  open: boolean;
  onClose: () => void;
  onServed: (model: ServedModel) => void;
}) {
  const { job } = props;
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
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={props.open} onClose={props.onClose} maxWidth="sm" fullWidth>
      <DialogTitle>Serve the adapter of {job.name}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Creates an Ollama model from the base model {job.spec.baseModel} and
          this job's LoRA adapter ({job.adapter?.uri}). Models named{' '}
          <code>ft-…</code> appear in the knowledge assistant's model picker.
        </Typography>
        {job.adapter?.untrained && (
          <Alert severity="info" style={{ marginBottom: 8 }}>
            This adapter is untrained (zero-initialised): the model answers like
            its base model.
          </Alert>
        )}
        <TextField
          label="Model name"
          value={name}
          fullWidth
          variant="outlined"
          margin="dense"
          onChange={e => setName(e.target.value)}
          inputProps={{ 'data-testid': 'ft-serve-name' }}
          helperText="Lowercase letters, digits, dashes"
        />
        {error && (
          <Alert severity="error" data-testid="ft-serve-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Close</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || !name.trim()}
          onClick={serve}
          data-testid="ft-serve-submit"
        >
          {busy ? 'Creating…' : 'Serve'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
