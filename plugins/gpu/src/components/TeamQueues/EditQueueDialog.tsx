import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
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
import { gpuTranslationRef, type GpuT } from '../../translation';

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
  t: GpuT,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const d of drafts) {
    if (!WHOLE.test(d.nominal.trim())) {
      errors[`${d.flavor}.nominal`] = t('editQueue.nominalError');
    }
    if (d.borrowingLimit.trim() && !WHOLE.test(d.borrowingLimit.trim())) {
      errors[`${d.flavor}.borrowingLimit`] = t('editQueue.borrowingLimitError');
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
  const { t } = useTranslationRef(gpuTranslationRef);
  const errorMessage = useErrorMessage();
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

  const errors = queueDraftErrors(drafts, t);
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
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={Boolean(queue)} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>
        {t('editQueue.title', {
          name: queue?.name ?? '',
          cluster: queue?.cluster ?? '',
        })}
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" paragraph>
          {t('editQueue.intro')}
        </Typography>
        {drafts.map(d => (
          <div key={d.flavor}>
            <Typography variant="subtitle2">{d.flavor}</Typography>
            <TextField
              label={t('editQueue.nominal')}
              value={d.nominal}
              onChange={e => set(d.flavor, 'nominal', e.target.value)}
              error={Boolean(errors[`${d.flavor}.nominal`])}
              helperText={
                errors[`${d.flavor}.nominal`] ?? t('editQueue.nominalHelp')
              }
              margin="dense"
              style={{ marginRight: 16 }}
              inputProps={{
                'data-testid': `gpu-edit-nominal-${testIdPart(d.flavor)}`,
              }}
            />
            <TextField
              label={t('editQueue.borrowingLimit')}
              value={d.borrowingLimit}
              onChange={e => set(d.flavor, 'borrowingLimit', e.target.value)}
              error={Boolean(errors[`${d.flavor}.borrowingLimit`])}
              helperText={
                errors[`${d.flavor}.borrowingLimit`] ??
                t('editQueue.borrowingLimitHelp')
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
              inputProps={{ 'aria-label': t('editQueue.holdAria') } as any}
            />
          }
          label={t('editQueue.hold')}
        />
        {error && (
          <Alert severity="error" data-testid="gpu-edit-error">
            {error}
          </Alert>
        )}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('editQueue.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || unchanged || Object.keys(errors).length > 0}
          onClick={save}
          data-testid="gpu-edit-save"
        >
          {t('editQueue.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
