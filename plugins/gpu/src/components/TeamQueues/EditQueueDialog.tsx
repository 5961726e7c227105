import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  TeamQueue,
  UpdateQueueRequest,
} from '@kubemate/plugin-gpu-common';
import { gpuApiRef } from '../../api';
import { testIdPart } from '../../lib/format';

interface FlavorDraft {
  flavor: string;
  nominal: string;
  /** Empty: no limit (borrows whatever the cohort lends). */
  borrowingLimit: string;
}

const draftOf = (q: TeamQueue): FlavorDraft[] =>
  q.flavors.map(f => ({
    flavor: f.flavor,
    nominal: String(f.nominal),
    borrowingLimit:
      f.borrowingLimit === undefined ? '' : String(f.borrowingLimit),
  }));

const WHOLE = /^\d+$/;

/** Why a draft cannot be sent, per field (`<flavor>.nominal` / `<flavor>.borrowingLimit`). */
export function queueDraftErrors(
  drafts: FlavorDraft[],
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const d of drafts) {
    if (!WHOLE.test(d.nominal.trim())) {
      errors[`${d.flavor}.nominal`] = 'A whole number of GPUs, 0 or more';
    }
    if (d.borrowingLimit.trim() && !WHOLE.test(d.borrowingLimit.trim())) {
      errors[`${d.flavor}.borrowingLimit`] =
        'A whole number of GPUs, or empty for no limit';
    }
  }
  return errors;
}

/** The PATCH body: only what changed (a limit emptied → null: removed). */
export function queueChanges(
  queue: TeamQueue,
  drafts: FlavorDraft[],
  held: boolean,
): UpdateQueueRequest {
  const flavors: NonNullable<UpdateQueueRequest['flavors']> = [];
  for (const d of drafts) {
    const before = queue.flavors.find(f => f.flavor === d.flavor);
    const nominal = Number(d.nominal.trim());
    const limit = d.borrowingLimit.trim()
      ? Number(d.borrowingLimit.trim())
      : null;
    const change: (typeof flavors)[number] = { flavor: d.flavor };
    if (before?.nominal !== nominal) change.nominal = nominal;
    if ((before?.borrowingLimit ?? null) !== limit) {
      change.borrowingLimit = limit;
    }
    if (Object.keys(change).length > 1) flavors.push(change);
  }
  return {
    ...(flavors.length ? { flavors } : {}),
    ...(held !== queue.held ? { held } : {}),
  };
}

/**
 * An admin's direct change to a team queue (gpu.queue.update): nominal GPUs and borrowing limit per
 * flavor, hold / resume. Applied by the backend to the ClusterQueue as the user; quota requests are
 * the way for teams to ask.
 */
export function EditQueueDialog(props: {
  queue?: TeamQueue;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { queue, onClose, onSaved } = props;
  const api = useApi(gpuApiRef);
  const [drafts, setDrafts] = useState<FlavorDraft[]>([]);
  const [held, setHeld] = useState(false);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!queue) return;
    setDrafts(draftOf(queue));
    setHeld(queue.held);
    setError(undefined);
  }, [queue]);

  const errors = queueDraftErrors(drafts);
  const body = queue ? queueChanges(queue, drafts, held) : {};
  const unchanged = Object.keys(body).length === 0;

  const set = (
    flavor: string,
    field: 'nominal' | 'borrowingLimit',
    v: string,
  ) =>
    setDrafts(ds =>
      ds.map(d => (d.flavor === flavor ? { ...d, [field]: v } : d)),
    );

  const save = async () => {
    if (!queue) return;
    setBusy(true);
    setError(undefined);
    try {
      await api.updateQueue(queue.cluster, queue.name, body);
      onSaved();
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={Boolean(queue)} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>
        Edit {queue?.name} ({queue?.cluster})
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          Changes the ClusterQueue as you. Kueue does not stop admitted
          workloads when a quota shrinks; new ones wait for it.
        </Typography>
        {drafts.map(d => (
          <div key={d.flavor}>
            <Typography variant="subtitle2">{d.flavor}</Typography>
            <TextField
              label="Nominal GPUs"
              value={d.nominal}
              onChange={e => set(d.flavor, 'nominal', e.target.value)}
              error={Boolean(errors[`${d.flavor}.nominal`])}
              helperText={
                errors[`${d.flavor}.nominal`] ?? 'Guaranteed to the team'
              }
              margin="dense"
              style={{ marginRight: 16 }}
              inputProps={{
                'data-testid': `gpu-edit-nominal-${testIdPart(d.flavor)}`,
              }}
            />
            <TextField
              label="Borrowing limit"
              value={d.borrowingLimit}
              onChange={e => set(d.flavor, 'borrowingLimit', e.target.value)}
              error={Boolean(errors[`${d.flavor}.borrowingLimit`])}
              helperText={
                errors[`${d.flavor}.borrowingLimit`] ??
                'GPUs above nominal from the cohort; empty: no limit'
              }
              margin="dense"
              inputProps={{
                'data-testid': `gpu-edit-borrowing-${testIdPart(d.flavor)}`,
              }}
            />
          </div>
        ))}
        <FormControlLabel
          control={
            <Checkbox
              checked={held}
              onChange={e => setHeld(e.target.checked)}
              inputProps={{ 'aria-label': 'Hold the queue' } as any}
            />
          }
          label="Hold: admit nothing new (admitted workloads keep running)"
        />
        {error && (
          <Alert severity="error" data-testid="gpu-edit-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || unchanged || Object.keys(errors).length > 0}
          onClick={save}
          data-testid="gpu-edit-save"
        >
          Save
        </Button>
      </DialogActions>
    </Dialog>
  );
}
