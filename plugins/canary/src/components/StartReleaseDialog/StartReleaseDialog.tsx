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
    if (!v) return 'An image is required';
    if (!IMAGE_RE.test(v)) return `${v} is not an image reference`;
    if (v === current && !revision.trim()) {
      return 'This is the image already rolled out: change it (or set a new CI revision)';
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
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={Boolean(release)} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>Start a canary of {release?.target}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          The new revision is rolled out to the Deployment {release?.target} in{' '}
          {release?.cluster}/{release?.namespace} as you; Flagger then shifts
          traffic to it step by step while the checks pass.
        </Typography>
        <TextField
          label="Image"
          value={image}
          onChange={e => setImage(e.target.value)}
          fullWidth
          margin="dense"
          required
          error={Boolean(image) && Boolean(problem)}
          helperText={problem || `Now: ${current ?? 'unknown'}`}
          inputProps={{ 'aria-label': 'Image' }}
        />
        <TextField
          label="Container"
          value={container}
          onChange={e => setContainer(e.target.value)}
          fullWidth
          margin="dense"
          helperText="The first container when empty"
        />
        <TextField
          label="CI revision"
          value={revision}
          onChange={e => setRevision(e.target.value)}
          fullWidth
          margin="dense"
          helperText={`Recorded as the ${REVISION_ANNOTATION} annotation of the pod template`}
        />
        {error && <Alert severity="error">{error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={Boolean(problem) || busy}
          onClick={submit}
        >
          Start canary
        </Button>
      </DialogActions>
    </Dialog>
  );
}
