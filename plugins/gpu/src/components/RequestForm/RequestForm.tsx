import { useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { Box, Grid, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  PermissionButton,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import {
  gpuRequestCreatePermission,
  type QuotaRequest,
} from '@kubemate/plugin-gpu-common';
import { gpuApiRef } from '../../api';
import {
  fieldOfServerError,
  needsApproval,
  RequestDraft,
  RequestField,
  RequestLimits,
  RequestTarget,
  selfServiceText,
  validateRequest,
} from '../../lib/requests';
import { gpuTranslationRef, type GpuT } from '../../translation';

const FIELDS: RequestField[] = [
  'cluster',
  'namespace',
  'flavor',
  'gpus',
  'durationHours',
  'reason',
];

function initialDraft(targets: RequestTarget[]): RequestDraft {
  const first = targets[0];
  return {
    cluster: first?.cluster ?? '',
    namespace: first?.namespace ?? '',
    flavor: first?.flavors[0]?.name ?? '',
    gpus: '',
    durationHours: '24',
    reason: '',
  };
}

/** Under the GPUs field: the range, or whether this many GPUs wait for approval. */
function gpusHint(
  t: GpuT,
  value: string,
  error: string | undefined,
  limits: RequestLimits,
) {
  if (!value || error) {
    return t('form.gpusRange', { max: String(limits.maxGpus) });
  }
  return needsApproval(Number(value), limits)
    ? t('form.aboveLimit')
    : t('form.withinLimit');
}

/**
 * "Request GPUs": N GPUs of a flavor for a team namespace's queue, for some hours, with a reason.
 * Checked as the backend checks it while typing (a field's message shows once it was touched or a
 * submit was tried); the backend's 400 lands on the field it names. Sending is gated by
 * `gpu.request.create` on the chosen namespace.
 */
export function RequestForm(props: {
  targets: RequestTarget[];
  limits: RequestLimits;
  onCreated: (request: QuotaRequest) => void;
}) {
  const { targets, limits, onCreated } = props;
  const api = useApi(gpuApiRef);
  const { t } = useTranslationRef(gpuTranslationRef);
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState<RequestDraft>(() => initialDraft(targets));
  const [touched, setTouched] = useState<
    Partial<Record<RequestField, boolean>>
  >({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{
    field?: RequestField;
    error: unknown;
  }>();

  const clusters = useMemo(
    () => [...new Set(targets.map(x => x.cluster))],
    [targets],
  );
  const namespaces = targets.filter(x => x.cluster === draft.cluster);
  const target = namespaces.find(x => x.namespace === draft.namespace);
  const flavors = target?.flavors ?? [];
  const validation = validateRequest(draft, targets, limits, t);
  const shown = (f: RequestField) =>
    (tried || touched[f] ? validation.errors[f] : undefined) ??
    (serverError?.field === f ? errorMessage(serverError.error) : undefined);

  if (!targets.length) {
    return (
      <EmptyState
        missing="data"
        title={t('form.emptyTitle')}
        description={t('form.emptyDescription')}
      />
    );
  }

  const set = (field: RequestField, value: string) => {
    setServerError(undefined);
    setTouched(old => ({ ...old, [field]: true }));
    setDraft(d => {
      const next = { ...d, [field]: value };
      if (field === 'cluster') {
        const first = targets.find(x => x.cluster === value);
        next.namespace = first?.namespace ?? '';
        next.flavor = first?.flavors[0]?.name ?? '';
      }
      if (field === 'namespace') {
        const chosen = targets.find(
          x => x.cluster === next.cluster && x.namespace === value,
        );
        if (!chosen?.flavors.some(f => f.name === next.flavor)) {
          next.flavor = chosen?.flavors[0]?.name ?? '';
        }
      }
      return next;
    });
  };

  const submit = async () => {
    setTried(true);
    setServerError(undefined);
    if (!validation.body) return;
    setBusy(true);
    try {
      const created = await api.createRequest(validation.body);
      setDraft(d => ({ ...d, gpus: '', reason: '' }));
      setTouched({});
      setTried(false);
      onCreated(created);
    } catch (e) {
      const message = String((e as Error)?.message ?? e);
      setServerError({ field: fieldOfServerError(message), error: e });
    } finally {
      setBusy(false);
    }
  };

  const selectProps = (field: RequestField) => ({
    native: true,
    inputProps: { 'data-testid': `gpu-request-${field}` },
  });
  const common = (field: RequestField) => ({
    id: `gpu-request-${field}`,
    fullWidth: true,
    variant: 'outlined' as const,
    margin: 'dense' as const,
    value: draft[field],
    error: Boolean(shown(field)),
    onChange: (e: { target: { value: string } }) => set(field, e.target.value),
    onBlur: () => setTouched(old => ({ ...old, [field]: true })),
  });

  return (
    <InfoCard title={t('form.title')}>
      <Box data-testid="gpu-request-form">
        <Typography variant="body2" color="textSecondary" paragraph>
          {t('form.intro', { limits: selfServiceText(limits, t) })}
        </Typography>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('cluster')}
              select
              label={t('form.cluster')}
              InputLabelProps={{ shrink: true }}
              SelectProps={selectProps('cluster')}
              helperText={shown('cluster')}
            >
              {clusters.map(c => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('namespace')}
              select
              label={t('form.namespace')}
              InputLabelProps={{ shrink: true }}
              SelectProps={selectProps('namespace')}
              helperText={
                shown('namespace') ??
                (target
                  ? t('form.queue', { queue: target.clusterQueue })
                  : undefined)
              }
            >
              {namespaces.map(n => (
                <option key={n.namespace} value={n.namespace}>
                  {n.namespace}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('flavor')}
              select
              label={t('form.flavor')}
              InputLabelProps={{ shrink: true }}
              SelectProps={selectProps('flavor')}
              helperText={
                shown('flavor') ??
                (() => {
                  const f = flavors.find(x => x.name === draft.flavor);
                  return f?.nominal !== undefined
                    ? t('form.nominalNow', { count: f.nominal })
                    : undefined;
                })()
              }
            >
              {flavors.map(f => (
                <option key={f.name} value={f.name}>
                  {f.product ? `${f.name} (${f.product})` : f.name}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('gpus')}
              label={t('form.gpus')}
              type="number"
              inputProps={{
                min: 1,
                max: limits.maxGpus,
                step: 1,
                'data-testid': 'gpu-request-gpus',
              }}
              helperText={
                shown('gpus') ??
                gpusHint(t, draft.gpus, validation.errors.gpus, limits)
              }
            />
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('durationHours')}
              label={t('form.hours')}
              type="number"
              inputProps={{
                min: 1,
                max: limits.maxHours,
                'data-testid': 'gpu-request-durationHours',
              }}
              helperText={
                shown('durationHours') ??
                t('form.hoursHelp', { max: String(limits.maxHours) })
              }
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              {...common('reason')}
              label={t('form.reason')}
              multiline
              minRows={2}
              inputProps={{ 'data-testid': 'gpu-request-reason' }}
              helperText={shown('reason') ?? t('form.reasonHelp')}
            />
          </Grid>
        </Grid>
        {serverError && !serverError.field && (
          <Box mt={1}>
            <Alert severity="error" data-testid="gpu-request-error">
              {errorMessage(serverError.error)}
            </Alert>
          </Box>
        )}
        {tried && !validation.body && (
          <Typography variant="caption" color="error" component="div">
            {t('form.fixFields', {
              fields: FIELDS.filter(f => validation.errors[f]).join(', '),
            })}
          </Typography>
        )}
        <Box mt={2}>
          <PermissionButton
            permission={gpuRequestCreatePermission}
            resourceRef={
              draft.cluster && draft.namespace
                ? `${draft.cluster}/${draft.namespace}`
                : undefined
            }
            what={t('form.permissionTarget', {
              namespace: draft.namespace,
              cluster: draft.cluster,
            })}
            variant="contained"
            color="primary"
            disabled={busy}
            disabledReason={t('form.sending')}
            onClick={submit}
            data-testid="gpu-request-submit"
          >
            {t('form.submit')}
          </PermissionButton>
        </Box>
      </Box>
    </InfoCard>
  );
}
