import { useState } from 'react';
import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  InputLabel,
  MenuItem,
  Select,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  CreateSilenceRequest,
  MetricsAlert,
} from '@kubemate/plugin-metrics-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { metricsTranslationRef } from '../../translation';

const DURATIONS = [30, 60, 120, 240, 1440, 10_080] as const;

/** Labels proposed as matchers, in this order; alertname and namespace are pre-selected. */
const PREFERRED = ['alertname', 'namespace', 'service', 'pod', 'severity'];

export interface SilenceDialogProps {
  alert: MetricsAlert;
  open: boolean;
  onClose: () => void;
  onSubmit: (request: CreateSilenceRequest) => Promise<void>;
}

/** Silence an alert: pick which of its labels to match, for how long, and say why. */
export function SilenceDialog(props: SilenceDialogProps) {
  const { alert, open, onClose, onSubmit } = props;
  const { t } = useTranslationRef(metricsTranslationRef);
  const errorMessage = useErrorMessage();
  const labels = Object.keys(alert.labels).sort(
    (a, b) =>
      (PREFERRED.indexOf(a) + 1 || 99) - (PREFERRED.indexOf(b) + 1 || 99) ||
      a.localeCompare(b),
  );
  const [selected, setSelected] = useState<Set<string>>(
    () =>
      new Set(
        labels.filter(l => ['alertname', 'namespace', 'service'].includes(l)),
      ),
  );
  const [minutes, setMinutes] = useState(60);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const commentError =
    comment.trim().length > 0 && comment.trim().length < 3
      ? t('silenceDialog.commentTooShort')
      : undefined;
  const canSubmit = selected.size > 0 && comment.trim().length >= 3 && !busy;

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit({
        matchers: labels
          .filter(l => selected.has(l))
          .map(l => ({
            name: l,
            value: alert.labels[l],
            isRegex: false,
            isEqual: true,
          })),
        comment: comment.trim(),
        durationMinutes: minutes,
      });
      onClose();
    } catch (e) {
      // keep the form as typed: the user fixes and retries
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
    >
      <DialogTitle>
        {t('silenceDialog.title', { name: alert.name })}
      </DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            {error}
          </Alert>
        )}
        <FormControl component="fieldset" style={{ marginBottom: 16 }}>
          <FormLabel component="legend">
            {t('silenceDialog.matchLabels')}
          </FormLabel>
          <FormGroup>
            {labels.map(l => (
              <FormControlLabel
                key={l}
                control={
                  <Checkbox
                    checked={selected.has(l)}
                    onChange={e => {
                      const next = new Set(selected);
                      if (e.target.checked) next.add(l);
                      else next.delete(l);
                      setSelected(next);
                    }}
                  />
                }
                label={
                  // a label matcher, as Alertmanager writes it
                  <Typography
                    variant="body2"
                    style={{ fontFamily: 'monospace' }}
                    translate="no"
                  >
                    {l}="{alert.labels[l]}"
                  </Typography>
                }
              />
            ))}
          </FormGroup>
        </FormControl>
        <FormControl
          variant="outlined"
          size="small"
          fullWidth
          style={{ marginBottom: 16 }}
        >
          <InputLabel id="silence-duration-label">
            {t('silenceDialog.duration')}
          </InputLabel>
          <Select
            labelId="silence-duration-label"
            id="silence-duration"
            label={t('silenceDialog.duration')}
            value={minutes}
            onChange={e => setMinutes(Number(e.target.value))}
          >
            {DURATIONS.map(d => (
              <MenuItem key={d} value={d}>
                {t(`silenceDialog.durations.${d}`)}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          id="silence-comment"
          label={t('silenceDialog.comment')}
          variant="outlined"
          fullWidth
          multiline
          minRows={2}
          value={comment}
          onChange={e => setComment(e.target.value)}
          error={Boolean(commentError)}
          helperText={commentError ?? t('silenceDialog.commentHelper')}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {t('silenceDialog.cancel')}
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={!canSubmit}
        >
          {busy ? t('silenceDialog.creating') : t('silenceDialog.create')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
