import { useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { InfoCard } from '@backstage/core-components';
import { Box, Button, Grid, TextField, Typography } from '@material-ui/core';
import { Alert, AlertTitle } from '@material-ui/lab';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  finetuningDatasetUploadPermission,
  type Dataset,
} from '@kubemate/plugin-finetuning-common';
import {
  PermissionButton,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { formatBytes } from '../../lib/format';
import { useFinetuningFormat } from '../../lib/useFormat';
import { finetuningTranslationRef } from '../../translation';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `line 7: response is not a string` → { line: 7, what: 'response is not a string' }. */
export function parseLineError(
  message: string,
): { line: number; what: string } | undefined {
  const m = /\bline (\d+):\s*(.*)$/s.exec(message);
  return m ? { line: Number(m[1]), what: m[2] } : undefined;
}

/** A dataset name from a file name (`My Data.jsonl` → `my-data`). */
export const nameOfFile = (fileName: string) =>
  fileName
    .replace(/\.[^.]+$/, '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 50);

/**
 * Upload a dataset (JSONL or CSV) for a team namespace: the file, its name, and which fields hold
 * the instruction, the response and an optional input. The backend validates every line; its 400
 * (`line N: what is wrong`) is shown with the line number. Gated by `finetuning.dataset.upload`.
 */
export function UploadForm(props: {
  targets: Array<{ cluster: string; namespace: string }>;
  maxBytes?: number;
  onUploaded: (d: Dataset) => void;
}) {
  const { targets, maxBytes } = props;
  const api = useApi(finetuningApiRef);
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  const errorMessage = useErrorMessage();
  const [cluster, setCluster] = useState(targets[0]?.cluster ?? '');
  const [namespace, setNamespace] = useState(targets[0]?.namespace ?? '');
  const [file, setFile] = useState<File>();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [instructionField, setInstructionField] = useState('instruction');
  const [responseField, setResponseField] = useState('response');
  const [inputField, setInputField] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [tried, setTried] = useState(false);

  const clusters = useMemo(
    () => [...new Set(targets.map(x => x.cluster))],
    [targets],
  );
  const namespaces = targets.filter(x => x.cluster === cluster);
  const errors: Record<string, string> = {};
  if (!file) errors.file = t('upload.errors.chooseFile');
  else if (maxBytes && file.size > maxBytes) {
    errors.file = t('upload.errors.tooLarge', { size: formatBytes(maxBytes) });
  }
  if (!DNS_LABEL.test(name) || name.length > 50) {
    errors.name = t('upload.errors.name');
  }
  if (!instructionField.trim()) {
    errors.instructionField = t('upload.errors.required');
  }
  if (!responseField.trim()) {
    errors.responseField = t('upload.errors.required');
  }
  if (!namespace) errors.namespace = t('upload.errors.chooseNamespace');
  const show = (f: string) => (tried ? errors[f] : undefined);

  const submit = async () => {
    setTried(true);
    setError(undefined);
    if (Object.keys(errors).length || !file) return;
    setBusy(true);
    try {
      const dataset = await api.uploadDataset({
        file,
        cluster,
        namespace,
        name,
        description: description || undefined,
        instructionField,
        responseField,
        inputField: inputField || undefined,
      });
      setFile(undefined);
      setName('');
      setDescription('');
      setTried(false);
      props.onUploaded(dataset);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const lineError = error ? parseLineError(error) : undefined;
  const field = (
    id: string,
    label: string,
    value: string,
    onChange: (v: string) => void,
    helper?: string,
  ) => (
    <TextField
      id={`ft-upload-${id}`}
      label={label}
      value={value}
      fullWidth
      variant="outlined"
      margin="dense"
      error={Boolean(show(id))}
      helperText={show(id) ?? helper}
      onChange={e => {
        setError(undefined);
        onChange(e.target.value);
      }}
      inputProps={{ 'data-testid': `ft-upload-${id}` }}
      InputLabelProps={{ shrink: true }}
    />
  );

  return (
    <InfoCard title={t('upload.title')}>
      <Box data-testid="ft-upload-form">
        <Typography variant="body2" color="textSecondary" paragraph>
          {maxBytes
            ? t('upload.introWithLimit', { size: formatBytes(maxBytes) })
            : t('upload.intro')}
        </Typography>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={3}>
            <TextField
              select
              label={t('upload.cluster')}
              value={cluster}
              fullWidth
              variant="outlined"
              margin="dense"
              onChange={e => {
                setCluster(e.target.value);
                setNamespace(
                  targets.find(x => x.cluster === e.target.value)?.namespace ??
                    '',
                );
              }}
              SelectProps={{
                native: true,
                inputProps: { 'data-testid': 'ft-upload-cluster' },
              }}
              InputLabelProps={{ shrink: true }}
            >
              {clusters.map(c => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={3}>
            <TextField
              select
              label={t('upload.namespace')}
              value={namespace}
              fullWidth
              variant="outlined"
              margin="dense"
              error={Boolean(show('namespace'))}
              helperText={show('namespace')}
              onChange={e => setNamespace(e.target.value)}
              SelectProps={{
                native: true,
                inputProps: { 'data-testid': 'ft-upload-namespace' },
              }}
              InputLabelProps={{ shrink: true }}
            >
              {namespaces.map(x => (
                <option key={x.namespace} value={x.namespace}>
                  {x.namespace}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <Box display="flex" alignItems="center" style={{ gap: 8 }} mt={1}>
              <Button variant="outlined" component="label">
                {t('upload.chooseFile')}
                <input
                  type="file"
                  hidden
                  accept=".jsonl,.json,.csv,application/json,text/csv"
                  data-testid="ft-upload-file"
                  onChange={e => {
                    const f = e.target.files?.[0];
                    setError(undefined);
                    setFile(f);
                    if (f && !name) setName(nameOfFile(f.name));
                  }}
                />
              </Button>
              <Typography
                variant="body2"
                color={show('file') ? 'error' : 'textSecondary'}
                data-testid="ft-upload-file-name"
              >
                {file
                  ? `${file.name} (${formatBytes(file.size)})`
                  : show('file') ?? t('upload.noFile')}
              </Typography>
            </Box>
            {file && show('file') && (
              <Typography variant="caption" color="error">
                {show('file')}
              </Typography>
            )}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field(
              'name',
              t('upload.name'),
              name,
              setName,
              t('upload.nameHelper'),
            )}
          </Grid>
          <Grid item xs={12} sm={8}>
            {field(
              'description',
              t('upload.description'),
              description,
              setDescription,
            )}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field(
              'instructionField',
              t('upload.instructionField'),
              instructionField,
              setInstructionField,
              t('upload.instructionHelper'),
            )}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field(
              'responseField',
              t('upload.responseField'),
              responseField,
              setResponseField,
            )}
          </Grid>
          <Grid item xs={12} sm={4}>
            {field(
              'inputField',
              t('upload.inputField'),
              inputField,
              setInputField,
              t('upload.inputHelper'),
            )}
          </Grid>
        </Grid>
        {error && (
          <Box mt={1}>
            <Alert
              severity="error"
              data-testid="ft-upload-error"
              data-line={lineError?.line ?? ''}
            >
              {lineError ? (
                <>
                  <AlertTitle>
                    {t('upload.refusedAtLine', {
                      line: String(lineError.line),
                    })}
                  </AlertTitle>
                  {lineError.what}
                </>
              ) : (
                error
              )}
            </Alert>
          </Box>
        )}
        <Box mt={2}>
          <PermissionButton
            permission={finetuningDatasetUploadPermission}
            resourceRef={
              cluster && namespace ? `${cluster}/${namespace}` : undefined
            }
            what={format.namespaceInCluster(namespace, cluster)}
            variant="contained"
            color="primary"
            disabled={busy}
            disabledReason={t('upload.uploading')}
            onClick={submit}
            data-testid="ft-upload-submit"
          >
            {busy ? t('upload.uploading') : t('upload.upload')}
          </PermissionButton>
        </Box>
      </Box>
    </InfoCard>
  );
}
