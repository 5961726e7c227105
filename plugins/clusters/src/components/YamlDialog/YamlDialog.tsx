import { useEffect, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  Box,
  Button,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  TextField,
  Typography,
} from '@material-ui/core';
import { Progress } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { useApi } from '@backstage/core-plugin-api';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  ApplyResponse,
  clustersWorkloadApplyPermission,
} from '@kubemate/plugin-clusters-common';
import { clustersApiRef, EntityWorkloadTarget } from '../../api/ClustersApi';
import { clustersTranslationRef } from '../../translation';

function DiffView({ diff }: { diff: string }) {
  return (
    <Box
      component="pre"
      fontSize={12}
      p={1}
      bgcolor="#f6f8fa"
      style={{ overflow: 'auto', maxHeight: 260 }}
    >
      {diff.split('\n').map((line, i) => {
        let color: string | undefined;
        if (line.startsWith('+') && !line.startsWith('+++')) color = '#1e6b34';
        if (line.startsWith('-') && !line.startsWith('---')) color = '#a11a1a';
        return (
          <div key={i} style={{ color }}>
            {line || ' '}
          </div>
        );
      })}
    </Box>
  );
}

/**
 * View a workload's YAML and, with `clusters.workload.apply`, edit it: a server-side dry run shows
 * the diff the cluster would apply; only the text that was dry-run can be applied.
 */
export function YamlDialog(props: {
  target: EntityWorkloadTarget;
  onClose: () => void;
  onApplied: (message: string) => void;
}) {
  const { target } = props;
  const api = useApi(clustersApiRef);
  const { t } = useTranslationRef(clustersTranslationRef);
  const errorMessage = useErrorMessage();
  const { allowed: mayApply } = usePermission({
    permission: clustersWorkloadApplyPermission,
    resourceRef: target.entityRef,
  });
  const manifest = useAsync(
    () => api.getWorkloadManifest(target),
    [
      api,
      target.entityRef,
      target.cluster,
      target.namespace,
      target.resource,
      target.name,
    ],
  );
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<{
    text: string;
    result: ApplyResponse;
  }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (manifest.value) setText(manifest.value.yaml);
  }, [manifest.value]);

  const send = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await api.apply({
        entityRef: target.entityRef,
        cluster: target.cluster,
        manifest: text,
        dryRun,
      });
      if (dryRun) {
        setPreview({ text, result });
      } else {
        props.onApplied(
          result.objects
            .map(o =>
              t(`yaml.applied.${o.operation}`, {
                kind: o.kind,
                namespace: o.namespace ?? '',
                name: o.name,
              }),
            )
            .join('; '),
        );
        props.onClose();
      }
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const previewCurrent = preview && preview.text === text;

  return (
    <Dialog
      open
      onClose={busy ? undefined : props.onClose}
      fullWidth
      maxWidth="md"
    >
      <DialogTitle>
        {t('yaml.title', {
          name: target.name,
          cluster: target.cluster,
          namespace: target.namespace,
        })}
      </DialogTitle>
      <DialogContent>
        {manifest.loading && <Progress />}
        {manifest.error && <TranslatedErrorPanel error={manifest.error} />}
        {manifest.value && (
          <TextField
            id="kubemate-workload-yaml"
            label={
              mayApply ? t('yaml.manifestEditable') : t('yaml.manifestReadOnly')
            }
            multiline
            fullWidth
            minRows={16}
            maxRows={24}
            variant="outlined"
            value={text}
            onChange={e => setText(e.target.value)}
            InputProps={{
              readOnly: !mayApply,
              style: { fontFamily: 'monospace', fontSize: 12 },
            }}
          />
        )}
        {previewCurrent &&
          preview.result.objects.map(o => (
            <Box key={`${o.kind}/${o.name}`} mt={2}>
              <Typography variant="subtitle2">
                {t(`yaml.dryRunResult.${o.operation}`, {
                  kind: o.kind,
                  namespace: o.namespace ?? '',
                  name: o.name,
                })}
              </Typography>
              {o.diff ? (
                <DiffView diff={o.diff} />
              ) : (
                <Typography variant="body2">{t('yaml.noChanges')}</Typography>
              )}
            </Box>
          ))}
        {error && (
          <Typography role="alert" color="error" style={{ marginTop: 16 }}>
            {error}
          </Typography>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose} disabled={busy}>
          {t('common.close')}
        </Button>
        {mayApply && (
          <>
            <Button
              onClick={() => send(true)}
              disabled={busy || !manifest.value}
              startIcon={busy ? <CircularProgress size={16} /> : undefined}
            >
              {t('yaml.dryRun')}
            </Button>
            <Button
              color="primary"
              variant="contained"
              onClick={() => send(false)}
              disabled={busy || !previewCurrent}
              title={previewCurrent ? undefined : t('yaml.dryRunFirst')}
            >
              {t('yaml.apply')}
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
