import { useEffect, useState } from 'react';
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
  ReleaseSummary,
  StartReleaseRequest,
} from '@kubemate/plugin-canary-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { canaryTranslationRef } from '../../translation';

const REVISION_ANNOTATION = 'kubemate.io/revision';

/** A container image reference, roughly: no spaces, a name and optionally a tag or digest. */
const IMAGE_RE = /^[a-z0-9]+([._\-/:@][a-zA-Z0-9_.\-]+)*$/;

/**
 * Starts a canary: the new image of the target Deployment (first container unless named) and
 * the CI revision it carries. Flagger then runs the analysis.
 */
export function StartReleaseDialog(props: {
  release?: ReleaseSummary;
  onClose: () => void;
  onStart: (body: StartReleaseRequest) => Promise<void>;
}) {
  const { release, onClose, onStart } = props;
  const { t } = useTranslationRef(canaryTranslationRef);
  const errorMessage = useErrorMessage();
  const [image, setImage] = useState('');
  const [container, setContainer] = useState('');
  const [revision, setRevision] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setImage(release?.canary.images[0] ?? '');
    setContainer('');
    setRevision('');
    setError(undefined);
  }, [release]);

  const current = release?.canary.images[0];
  const problemOf = (v: string) => {
    if (!v) return t('start.imageRequired');
    if (!IMAGE_RE.test(v)) return t('start.notImage', { image: v });
    if (v === current && !revision.trim()) {
      return t('start.sameImage');
    }
    return '';
  };
  const problem = problemOf(image.trim());

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onStart({
        image: image.trim(),
        ...(container.trim() ? { container: container.trim() } : {}),
        ...(revision.trim()
          ? { annotations: { [REVISION_ANNOTATION]: revision.trim() } }
          : {}),
      });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={Boolean(release)} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>
        {t('start.title', { target: release?.target ?? '' })}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {t('start.intro', {
            target: release?.target ?? '',
            cluster: release?.cluster ?? '',
            namespace: release?.namespace ?? '',
          })}
        </Typography>
        <TextField
          label={t('start.image')}
          value={image}
          onChange={e => setImage(e.target.value)}
          fullWidth
          margin="dense"
          required
          error={Boolean(image) && Boolean(problem)}
          helperText={
            problem ||
            (current
              ? t('start.now', { image: current })
              : t('start.nowUnknown'))
          }
          inputProps={{ 'aria-label': t('start.image') }}
        />
        <TextField
          label={t('start.container')}
          value={container}
          onChange={e => setContainer(e.target.value)}
          fullWidth
          margin="dense"
          helperText={t('start.containerHelp')}
        />
        <TextField
          label={t('start.revision')}
          value={revision}
          onChange={e => setRevision(e.target.value)}
          fullWidth
          margin="dense"
          helperText={t('start.revisionHelp', {
            annotation: REVISION_ANNOTATION,
          })}
        />
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={Boolean(problem) || busy}
          onClick={submit}
        >
          {t('common.startCanary')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
