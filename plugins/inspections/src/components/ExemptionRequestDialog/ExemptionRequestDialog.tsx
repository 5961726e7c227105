import { useEffect, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
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
  CreateExemptionRequest,
  Finding,
} from '@kubemate/plugin-inspections-common';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import { formatObject, type InspectionsT } from '../../lib/format';
import { inspectionsTranslationRef } from '../../translation';

/** Default expiry of a new exemption. */
export const DEFAULT_EXEMPTION_DAYS = 30;

/** `YYYY-MM-DD` of a local date. */
export function isoDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The end of a local day `YYYY-MM-DD` as an ISO time, or undefined when not a date. */
export function endOfDay(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const d = new Date(`${date}T23:59:59`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** What is wrong with the form, per field ('' when fine), in the app's language. */
export function exemptionProblems(
  t: InspectionsT,
  v: { reason: string; ticket: string; expires: string },
  now = new Date(),
) {
  const expiresAt = endOfDay(v.expires);
  const ticket = v.ticket.trim();
  let ticketProblem = '';
  if (!ticket) {
    ticketProblem = t('exemptionRequest.problems.ticketRequired');
  } else if (/\s/.test(ticket)) {
    ticketProblem = t('exemptionRequest.problems.ticketSpaces');
  }
  let expiresProblem = '';
  if (!expiresAt)
    expiresProblem = t('exemptionRequest.problems.expiresRequired');
  else if (Date.parse(expiresAt) <= now.getTime()) {
    expiresProblem = t('exemptionRequest.problems.expiresPast');
  }
  return {
    reason:
      v.reason.trim().length < 10
        ? t('exemptionRequest.problems.reasonShort')
        : '',
    ticket: ticketProblem,
    expires: expiresProblem,
  };
}

/**
 * Requests an exemption of one finding of a run: a reason, a ticket and a mandatory expiry
 * (default in 30 days). It applies once someone else approves it; the backend refuses expiries
 * beyond its maximum and says so here.
 */
export function ExemptionRequestDialog(props: {
  runId: string;
  finding?: Finding;
  onClose: () => void;
  onRequest: (body: CreateExemptionRequest) => Promise<void>;
}) {
  const { runId, finding, onClose, onRequest } = props;
  const { t } = useTranslationRef(inspectionsTranslationRef);
  const errorMessage = useErrorMessage();
  const [reason, setReason] = useState('');
  const [ticket, setTicket] = useState('');
  const [expires, setExpires] = useState('');
  const [touched, setTouched] = useState(false);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!finding) return;
    setReason('');
    setTicket('');
    setExpires(
      isoDate(new Date(Date.now() + DEFAULT_EXEMPTION_DAYS * 86_400_000)),
    );
    setTouched(false);
    setError(undefined);
  }, [finding]);

  const problems = exemptionProblems(t, { reason, ticket, expires });
  const invalid = Boolean(
    problems.reason || problems.ticket || problems.expires,
  );
  const show = (p: string) => (touched ? p : '');

  const submit = async () => {
    setTouched(true);
    if (invalid || !finding) return;
    setBusy(true);
    setError(undefined);
    try {
      await onRequest({
        runId,
        fingerprint: finding.fingerprint,
        reason: reason.trim(),
        ticket: ticket.trim(),
        expiresAt: endOfDay(expires)!,
      });
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={Boolean(finding)} onClose={onClose} fullWidth maxWidth="sm">
      <DialogTitle>{t('exemptionRequest.title')}</DialogTitle>
      <DialogContent>
        {finding && (
          <Typography variant="body2" paragraph>
            {t('exemptionRequest.intro', {
              title: finding.title,
              object: formatObject(finding.object),
            })}
          </Typography>
        )}
        <TextField
          id="inspections-exemption-reason"
          label={t('exemptionRequest.reason')}
          value={reason}
          onChange={e => setReason(e.target.value)}
          onBlur={() => setTouched(true)}
          fullWidth
          multiline
          minRows={2}
          margin="dense"
          required
          error={Boolean(show(problems.reason))}
          helperText={show(problems.reason) || t('exemptionRequest.reasonHelp')}
          inputProps={{ 'data-testid': 'inspections-exemption-reason' }}
        />
        <TextField
          id="inspections-exemption-ticket"
          label={t('exemptionRequest.ticket')}
          value={ticket}
          onChange={e => setTicket(e.target.value)}
          fullWidth
          margin="dense"
          required
          error={Boolean(show(problems.ticket))}
          helperText={show(problems.ticket) || t('exemptionRequest.ticketHelp')}
          inputProps={{ 'data-testid': 'inspections-exemption-ticket' }}
        />
        <TextField
          id="inspections-exemption-expires"
          label={t('exemptionRequest.expires')}
          type="date"
          value={expires}
          onChange={e => setExpires(e.target.value)}
          fullWidth
          margin="dense"
          required
          InputLabelProps={{ shrink: true }}
          error={Boolean(show(problems.expires))}
          helperText={
            show(problems.expires) ||
            t('exemptionRequest.expiresHelp', {
              days: String(DEFAULT_EXEMPTION_DAYS),
            })
          }
          inputProps={{ 'data-testid': 'inspections-exemption-expires' }}
        />
        {error && <Alert severity="error">{errorMessage(error)}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{t('common.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          disabled={busy || (touched && invalid)}
          onClick={submit}
          data-testid="inspections-exemption-submit"
        >
          {t('exemptionRequest.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
