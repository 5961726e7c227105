import { useEffect, useMemo, useState } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import {
  ENVIRONMENTS,
  PipelineSummary,
  StartRunRequest,
} from '@kubemate/plugin-pipelines-common';
import { environmentOf, keyOf } from '../../lib/runs';
import { pipelinesTranslationRef } from '../../translation';

/**
 * Start a run: pick one of the entity's Pipelines (those in namespaces the user may start runs in
 * are offered by the caller), fill its params (required ones must be given), the environment.
 * The backend validates again; its message (unknown param, 403 …) is shown in the dialog.
 */
export function StartRunDialog(props: {
  open: boolean;
  pipelines: PipelineSummary[];
  onClose: () => void;
  onStart: (body: StartRunRequest) => Promise<void>;
}) {
  const { open, pipelines, onClose, onStart } = props;
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const errorMessage = useErrorMessage();
  const [key, setKey] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [environment, setEnvironment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const pipeline = useMemo(
    () => pipelines.find(p => keyOf(p) === key),
    [pipelines, key],
  );

  useEffect(() => {
    if (open) {
      const first = pipelines[0];
      setKey(first ? keyOf(first) : '');
      setError(undefined);
    }
  }, [open, pipelines]);
  useEffect(() => {
    setValues(
      Object.fromEntries(
        (pipeline?.params ?? []).map(p => [p.name, p.default ?? '']),
      ),
    );
    setEnvironment(pipeline ? environmentOf(pipeline) ?? '' : '');
  }, [pipeline]);

  const missing = (pipeline?.params ?? []).filter(
    p => p.default === undefined && !values[p.name]?.trim(),
  );

  const submit = async () => {
    if (!pipeline) return;
    setBusy(true);
    setError(undefined);
    try {
      await onStart({
        cluster: pipeline.cluster,
        namespace: pipeline.namespace,
        pipeline: pipeline.name,
        params: values,
        ...(environment
          ? { environment: environment as StartRunRequest['environment'] }
          : {}),
      });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('startDialog.title')}</DialogTitle>
      <DialogContent>
        {pipelines.length === 0 ? (
          <Typography>{t('startDialog.noneStartable')}</Typography>
        ) : (
          <>
            <TextField
              select
              id="start-run-pipeline"
              fullWidth
              margin="dense"
              label={t('startDialog.pipeline')}
              value={key}
              onChange={e => setKey(e.target.value)}
            >
              {pipelines.map(p => (
                <MenuItem key={keyOf(p)} value={keyOf(p)}>
                  {p.name} — {p.cluster}/{p.namespace}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              select
              id="start-run-environment"
              fullWidth
              margin="dense"
              label={t('startDialog.environment')}
              value={environment}
              onChange={e => setEnvironment(e.target.value)}
            >
              <MenuItem value="">{t('startDialog.noEnvironment')}</MenuItem>
              {ENVIRONMENTS.map(e => (
                <MenuItem key={e} value={e}>
                  {/* dev, staging, prod: the environments' names */}
                  <span translate="no">{e}</span>
                </MenuItem>
              ))}
            </TextField>
            {pipeline?.params.length === 0 && (
              <Typography variant="body2" color="textSecondary">
                {t('startDialog.noParams')}
              </Typography>
            )}
            {pipeline?.params.map(p => (
              <TextField
                key={p.name}
                id={`start-run-param-${p.name}`}
                fullWidth
                margin="dense"
                label={p.name}
                required={p.default === undefined}
                helperText={
                  p.description ??
                  (p.default !== undefined
                    ? t('startDialog.paramDefault', { value: p.default })
                    : '')
                }
                value={values[p.name] ?? ''}
                onChange={e =>
                  setValues(v => ({ ...v, [p.name]: e.target.value }))
                }
              />
            ))}
          </>
        )}
        {error && (
          <Alert severity="error" role="alert">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('startDialog.close')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={!pipeline || busy || missing.length > 0}
          title={
            missing.length
              ? t('startDialog.required', {
                  params: missing.map(m => m.name).join(', '),
                })
              : undefined
          }
          onClick={submit}
        >
          {busy ? t('startDialog.starting') : t('startDialog.start')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
