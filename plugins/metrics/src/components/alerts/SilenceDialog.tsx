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

const DURATIONS = [
  { minutes: 30, label: '30 minutes' },
  { minutes: 60, label: '1 hour' },
  { minutes: 120, label: '2 hours' },
  { minutes: 240, label: '4 hours' },
  { minutes: 1440, label: '1 day' },
  { minutes: 10_080, label: '7 days' },
];

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
      ? 'Say why in at least 3 characters'
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
      setError((e as Error).message);
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
      <DialogTitle>Silence {alert.name}</DialogTitle>
      <DialogContent>
        {error && (
          <Alert severity="error" style={{ marginBottom: 16 }}>
            {error}
          </Alert>
        )}
        <FormControl component="fieldset" style={{ marginBottom: 16 }}>
          <FormLabel component="legend">
            Match alerts with these labels
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
                  <Typography
                    variant="body2"
                    style={{ fontFamily: 'monospace' }}
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
          <InputLabel id="silence-duration-label">Duration</InputLabel>
          <Select
            labelId="silence-duration-label"
            id="silence-duration"
            label="Duration"
            value={minutes}
            onChange={e => setMinutes(Number(e.target.value))}
          >
            {DURATIONS.map(d => (
              <MenuItem key={d.minutes} value={d.minutes}>
                {d.label}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <TextField
          id="silence-comment"
          label="Comment (why)"
          variant="outlined"
          fullWidth
          multiline
          minRows={2}
          value={comment}
          onChange={e => setComment(e.target.value)}
          error={Boolean(commentError)}
          helperText={
            commentError ??
            'Recorded in Alertmanager and the audit log with your name'
          }
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          color="primary"
          variant="contained"
          onClick={submit}
          disabled={!canSubmit}
        >
          {busy ? 'Creating…' : 'Create silence'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
