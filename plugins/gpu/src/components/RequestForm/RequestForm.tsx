import { useMemo, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { EmptyState, InfoCard } from '@backstage/core-components';
import { Box, Grid, TextField, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  gpuRequestCreatePermission,
  type QuotaRequest,
} from '@kubemate/plugin-gpu-common';
import { gpuApiRef } from '../../api';
import { gpusText } from '../../lib/format';
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
  value: string,
  error: string | undefined,
  limits: RequestLimits,
) {
  if (!value || error) return `1 to ${limits.maxGpus}`;
  return needsApproval(Number(value), limits)
    ? 'Above the self-service limit: waits for approval'
    : 'Within the self-service limit: granted at once';
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
  const [draft, setDraft] = useState<RequestDraft>(() => initialDraft(targets));
  const [touched, setTouched] = useState<
    Partial<Record<RequestField, boolean>>
  >({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{
    field?: RequestField;
    message: string;
  }>();

  const clusters = useMemo(
    () => [...new Set(targets.map(t => t.cluster))],
    [targets],
  );
  const namespaces = targets.filter(t => t.cluster === draft.cluster);
  const target = namespaces.find(t => t.namespace === draft.namespace);
  const flavors = target?.flavors ?? [];
  const validation = validateRequest(draft, targets, limits);
  const shown = (f: RequestField) =>
    (tried || touched[f] ? validation.errors[f] : undefined) ??
    (serverError?.field === f ? serverError.message : undefined);

  if (!targets.length) {
    return (
      <EmptyState
        missing="data"
        title="No GPU queues visible to you"
        description="A quota request is for a team namespace that has a GPU LocalQueue. None of the namespaces you may read has one."
      />
    );
  }

  const set = (field: RequestField, value: string) => {
    setServerError(undefined);
    setTouched(t => ({ ...t, [field]: true }));
    setDraft(d => {
      const next = { ...d, [field]: value };
      if (field === 'cluster') {
        const first = targets.find(t => t.cluster === value);
        next.namespace = first?.namespace ?? '';
        next.flavor = first?.flavors[0]?.name ?? '';
      }
      if (field === 'namespace') {
        const t = targets.find(
          x => x.cluster === next.cluster && x.namespace === value,
        );
        if (!t?.flavors.some(f => f.name === next.flavor)) {
          next.flavor = t?.flavors[0]?.name ?? '';
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
      const message = (e as Error).message;
      setServerError({ field: fieldOfServerError(message), message });
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
    onBlur: () => setTouched(t => ({ ...t, [field]: true })),
  });

  return (
    <InfoCard title="Request GPUs">
      <Box data-testid="gpu-request-form">
        <Typography variant="body2" color="textSecondary" paragraph>
          {selfServiceText(limits)} An approved request adds the GPUs to the
          nominal quota of the namespace's team queue until it expires.
        </Typography>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('cluster')}
              select
              label="Cluster"
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
              label="Team namespace"
              InputLabelProps={{ shrink: true }}
              SelectProps={selectProps('namespace')}
              helperText={
                shown('namespace') ??
                (target ? `Queue ${target.clusterQueue}` : undefined)
              }
            >
              {namespaces.map(t => (
                <option key={t.namespace} value={t.namespace}>
                  {t.namespace}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('flavor')}
              select
              label="GPU flavor"
              InputLabelProps={{ shrink: true }}
              SelectProps={selectProps('flavor')}
              helperText={
                shown('flavor') ??
                (() => {
                  const f = flavors.find(x => x.name === draft.flavor);
                  return f?.nominal !== undefined
                    ? `Nominal quota now: ${gpusText(f.nominal)}`
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
              label="GPUs"
              type="number"
              inputProps={{
                min: 1,
                max: limits.maxGpus,
                step: 1,
                'data-testid': 'gpu-request-gpus',
              }}
              helperText={
                shown('gpus') ??
                gpusHint(draft.gpus, validation.errors.gpus, limits)
              }
            />
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('durationHours')}
              label="Hours"
              type="number"
              inputProps={{
                min: 1,
                max: limits.maxHours,
                'data-testid': 'gpu-request-durationHours',
              }}
              helperText={
                shown('durationHours') ??
                `Given back after this many hours (at most ${limits.maxHours})`
              }
            />
          </Grid>
          <Grid item xs={12}>
            <TextField
              {...common('reason')}
              label="Reason"
              multiline
              minRows={2}
              inputProps={{ 'data-testid': 'gpu-request-reason' }}
              helperText={
                shown('reason') ??
                'What the GPUs are for; the approver reads it'
              }
            />
          </Grid>
        </Grid>
        {serverError && !serverError.field && (
          <Box mt={1}>
            <Alert severity="error" data-testid="gpu-request-error">
              {serverError.message}
            </Alert>
          </Box>
        )}
        {tried && !validation.body && (
          <Typography variant="caption" color="error" component="div">
            Fix the marked fields:{' '}
            {FIELDS.filter(f => validation.errors[f]).join(', ')}
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
            what={`${draft.namespace} in ${draft.cluster}`}
            variant="contained"
            color="primary"
            disabled={busy}
            disabledReason="Sending…"
            onClick={submit}
            data-testid="gpu-request-submit"
          >
            Request GPUs
          </PermissionButton>
        </Box>
      </Box>
    </InfoCard>
  );
}
