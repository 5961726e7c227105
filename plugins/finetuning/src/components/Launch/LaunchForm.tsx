import { useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import { EmptyState, InfoCard } from '@backstage/core-components';
import {
  Box,
  Checkbox,
  FormControlLabel,
  Grid,
  TextField,
  Typography,
} from '@material-ui/core';
import { Alert, ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  estimateJob,
  finetuningJobCreatePermission,
  type Dataset,
  type FinetuningOptions,
  type SweepParameter,
} from '@kubemate/plugin-finetuning-common';
import {
  PermissionButton,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { formatCost } from '../../lib/format';
import {
  DEFAULT_DRAFT,
  fieldOfServerError,
  gridSize,
  HYPERPARAMETERS,
  LaunchDraft,
  LaunchField,
  SweepDraft,
  validateLaunch,
  validateSweep,
} from '../../lib/launch';
import { rich, slot } from '../../lib/rich';
import { useFinetuningFormat } from '../../lib/useFormat';
import { finetuningTranslationRef } from '../../translation';
import { useFinetuningBase } from '../FinetuningPage/base';

/** Values a launch form starts with (from the URL: entity tab, dataset row). */
export interface LaunchPrefill {
  cluster?: string;
  namespace?: string;
  datasetId?: string;
  entityRef?: string;
}

function initialDraft(
  options: FinetuningOptions,
  prefill: LaunchPrefill,
): LaunchDraft {
  const q =
    options.queues.find(
      x =>
        (!prefill.cluster || x.cluster === prefill.cluster) &&
        (!prefill.namespace || x.namespace === prefill.namespace),
    ) ?? options.queues[0];
  return {
    ...DEFAULT_DRAFT,
    cluster: q?.cluster ?? '',
    namespace: q?.namespace ?? '',
    queue: q?.name ?? '',
    baseModel: options.baseModels[0]?.name ?? '',
    datasetId: prefill.datasetId ?? '',
    entityRef: prefill.entityRef ?? '',
  };
}

const INITIAL_SWEEP: SweepDraft = {
  strategy: 'grid',
  maxTrials: '4',
  metric: 'eval_loss',
  goal: 'minimize',
  params: {},
};

/**
 * The launch form (no YAML): where (cluster, namespace, queue, flavor, priority), what (base
 * model, dataset of that namespace), LoRA hyperparameters and resources, checked as the backend
 * checks them while typing, with a live GPU-hours / cost estimate (`estimateJob`, the backend's
 * own function). "Sweep" turns chosen hyperparameters into lists or ranges (grid or random, max
 * trials). Sending is gated by `finetuning.job.create` on the namespace; a 400 lands on its field.
 */
export function LaunchForm(props: {
  options: FinetuningOptions;
  datasets: Dataset[];
  prefill?: LaunchPrefill;
}) {
  const { options, datasets, prefill = {} } = props;
  const api = useApi(finetuningApiRef);
  const navigate = useNavigate();
  const base = useFinetuningBase();
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  const errorMessage = useErrorMessage();
  const [draft, setDraft] = useState<LaunchDraft>(() =>
    initialDraft(options, prefill),
  );
  const [mode, setMode] = useState<'single' | 'sweep'>('single');
  const [sweep, setSweep] = useState<SweepDraft>(INITIAL_SWEEP);
  const [touched, setTouched] = useState<Partial<Record<string, boolean>>>({});
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{
    field?: LaunchField;
    message: string;
  }>();

  const clusters = useMemo(
    () => [...new Set(options.queues.map(q => q.cluster))],
    [options.queues],
  );
  const namespaces = [
    ...new Set(
      options.queues
        .filter(q => q.cluster === draft.cluster)
        .map(q => q.namespace),
    ),
  ];
  const queues = options.queues.filter(
    q => q.cluster === draft.cluster && q.namespace === draft.namespace,
  );
  const flavors = options.flavors.filter(f => f.cluster === draft.cluster);
  const nsDatasets = datasets.filter(
    d => d.cluster === draft.cluster && d.namespace === draft.namespace,
  );
  const dataset = nsDatasets.find(d => d.id === draft.datasetId);

  // the first dataset of the namespace when none (or one of another namespace) is chosen
  useEffect(() => {
    const first = nsDatasets[0]?.id ?? '';
    if (
      !nsDatasets.some(d => d.id === draft.datasetId) &&
      draft.datasetId !== first
    ) {
      setDraft(d => ({ ...d, datasetId: first }));
    }
  }, [nsDatasets, draft.datasetId]);

  const single = validateLaunch(t, draft, options);
  const sweepCheck =
    mode === 'sweep'
      ? validateSweep(t, sweep, single.body, options)
      : undefined;
  const shown = (f: LaunchField) =>
    (tried || touched[f] ? single.errors[f] : undefined) ??
    (serverError?.field === f ? serverError.message : undefined);

  const resourcesValid = !(
    single.errors.epochs ||
    single.errors.workers ||
    single.errors.gpusPerWorker
  );
  const estimate = useMemo(() => {
    const epochs = Number(draft.epochs);
    const workers = Number(draft.workers);
    const gpusPerWorker = Number(draft.gpusPerWorker);
    if (!dataset || !resourcesValid) return undefined;
    return estimateJob({
      rows: dataset.rows,
      avgChars: dataset.avgChars,
      hyperparameters: { epochs },
      resources: {
        workers,
        gpusPerWorker,
        flavor: draft.flavor || undefined,
      },
      product: flavors.find(f => f.name === draft.flavor)?.product,
      pricing: options.pricing,
    });
  }, [dataset, draft, flavors, options.pricing, resourcesValid]);
  const trials =
    mode === 'sweep' && sweepCheck?.body
      ? Math.min(
          sweepCheck.body.maxTrials,
          sweep.strategy === 'grid'
            ? gridSize(sweepCheck.body.space)
            : sweepCheck.body.maxTrials,
        )
      : 1;

  if (!options.queues.length) {
    return (
      <EmptyState
        missing="data"
        title={t('launch.emptyTitle')}
        description={t('launch.emptyDescription')}
      />
    );
  }

  const set = (field: LaunchField, value: string) => {
    setServerError(undefined);
    setTouched(was => ({ ...was, [field]: true }));
    setDraft(d => {
      const next = { ...d, [field]: value };
      if (field === 'cluster') {
        const q = options.queues.find(x => x.cluster === value);
        next.namespace = q?.namespace ?? '';
        next.queue = q?.name ?? '';
        next.flavor = '';
      }
      if (field === 'namespace') {
        next.queue =
          options.queues.find(
            x => x.cluster === next.cluster && x.namespace === value,
          )?.name ?? '';
      }
      return next;
    });
  };

  const submit = async () => {
    setTried(true);
    setServerError(undefined);
    if (!single.body) return;
    if (mode === 'sweep' && !sweepCheck?.body) return;
    setBusy(true);
    try {
      if (mode === 'sweep') {
        const created = await api.launchSweep(sweepCheck!.body!);
        navigate(`${base}/sweeps/${encodeURIComponent(created.sweep.id)}`);
      } else {
        const job = await api.launchJob(single.body);
        navigate(`${base}/jobs/${encodeURIComponent(job.id)}`);
      }
    } catch (e) {
      setServerError({
        field: fieldOfServerError((e as Error).message ?? ''),
        message: errorMessage(e),
      });
    } finally {
      setBusy(false);
    }
  };

  const common = (field: LaunchField) => ({
    id: `ft-launch-${field}`,
    fullWidth: true,
    variant: 'outlined' as const,
    margin: 'dense' as const,
    value: draft[field],
    error: Boolean(shown(field)),
    onChange: (e: { target: { value: string } }) => set(field, e.target.value),
    onBlur: () => setTouched(was => ({ ...was, [field]: true })),
    InputLabelProps: { shrink: true },
  });
  const select = (field: LaunchField) => ({
    ...common(field),
    select: true,
    SelectProps: {
      native: true,
      inputProps: { 'data-testid': `ft-launch-${field}` },
    },
  });
  const number = (field: LaunchField, hint: string) => ({
    ...common(field),
    type: 'number',
    inputProps: { 'data-testid': `ft-launch-${field}`, step: 'any' },
    helperText: shown(field) ?? hint,
  });
  const swept = (key: SweepParameter) =>
    mode === 'sweep' && sweep.params[key] !== undefined;
  const toggleSweep = (key: SweepParameter, on: boolean) =>
    setSweep(s => {
      const params = { ...s.params };
      if (on) {
        params[key] = {
          values: draft[key],
          min: '',
          max: '',
          log: key === 'learningRate',
        };
      } else delete params[key];
      return { ...s, params };
    });
  const setSweepParam = (
    key: SweepParameter,
    patch: Partial<{ values: string; min: string; max: string; log: boolean }>,
  ) =>
    setSweep(s => ({
      ...s,
      params: { ...s.params, [key]: { ...s.params[key]!, ...patch } },
    }));

  const allErrors = {
    ...single.errors,
    ...(sweepCheck?.errors ?? {}),
  } as Record<string, string>;

  const hyperparameterInput = (h: (typeof HYPERPARAMETERS)[number]) => {
    const label = t(`launch.params.${h.key}` as const);
    if (!swept(h.key)) {
      return (
        <TextField
          {...number(
            h.key,
            t(h.exclusiveMin ? 'launch.rangeAbove' : 'launch.range', {
              min: String(h.min),
              max: String(h.max(options.limits)),
            }),
          )}
          label={label}
        />
      );
    }
    if (sweep.strategy === 'random') {
      return (
        <Box display="flex" style={{ gap: 8 }}>
          <TextField
            label={t('launch.minLabel', { label })}
            value={sweep.params[h.key]!.min}
            variant="outlined"
            margin="dense"
            type="number"
            error={Boolean(allErrors[h.key])}
            helperText={allErrors[h.key]}
            onChange={e => setSweepParam(h.key, { min: e.target.value })}
            inputProps={{
              'data-testid': `ft-sweep-${h.key}-min`,
              step: 'any',
            }}
            InputLabelProps={{ shrink: true }}
          />
          <TextField
            label={t('launch.max')}
            value={sweep.params[h.key]!.max}
            variant="outlined"
            margin="dense"
            type="number"
            onChange={e => setSweepParam(h.key, { max: e.target.value })}
            inputProps={{
              'data-testid': `ft-sweep-${h.key}-max`,
              step: 'any',
            }}
            InputLabelProps={{ shrink: true }}
          />
          <FormControlLabel
            control={
              <Checkbox
                size="small"
                checked={sweep.params[h.key]!.log}
                onChange={e => setSweepParam(h.key, { log: e.target.checked })}
              />
            }
            label={t('launch.log')}
          />
        </Box>
      );
    }
    return (
      <TextField
        label={t('launch.valuesLabel', { label })}
        value={sweep.params[h.key]!.values}
        fullWidth
        variant="outlined"
        margin="dense"
        error={Boolean(allErrors[h.key])}
        helperText={allErrors[h.key] ?? t('launch.valuesHelper')}
        onChange={e => setSweepParam(h.key, { values: e.target.value })}
        inputProps={{ 'data-testid': `ft-sweep-${h.key}-values` }}
        InputLabelProps={{ shrink: true }}
      />
    );
  };

  let datasetHint: string | undefined;
  if (dataset) {
    datasetHint = t('launch.datasetHint', {
      rows: String(dataset.rows),
      format: dataset.format,
    });
  } else if (!nsDatasets.length) {
    datasetHint = t('launch.noDatasetIn', { namespace: draft.namespace });
  }

  return (
    <InfoCard title={t('launch.title')}>
      <Box data-testid="ft-launch-form">
        <Box mb={2}>
          <ToggleButtonGroup
            exclusive
            size="small"
            value={mode}
            onChange={(_, v) => v && setMode(v)}
          >
            <ToggleButton value="single" data-testid="ft-launch-mode-single">
              {t('launch.modeSingle')}
            </ToggleButton>
            <ToggleButton value="sweep" data-testid="ft-launch-mode-sweep">
              {t('launch.modeSweep')}
            </ToggleButton>
          </ToggleButtonGroup>
        </Box>
        <Typography variant="subtitle2">{t('launch.where')}</Typography>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={4}>
            <TextField
              {...select('cluster')}
              label={t('launch.cluster')}
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
              {...select('namespace')}
              label={t('launch.namespace')}
              helperText={shown('namespace')}
            >
              {namespaces.map(n => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...common('name')}
              label={t('launch.jobName')}
              inputProps={{ 'data-testid': 'ft-launch-name' }}
              helperText={shown('name') ?? t('launch.jobNameHelper')}
            />
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...select('queue')}
              label={t('launch.queue')}
              helperText={
                shown('queue') ??
                (() => {
                  const q = queues.find(x => x.name === draft.queue);
                  return q
                    ? t('launch.queueHelper', { name: q.clusterQueue })
                    : undefined;
                })()
              }
            >
              {queues.map(q => (
                <option key={q.name} value={q.name}>
                  {q.name}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...select('flavor')}
              label={t('launch.flavor')}
              helperText={shown('flavor') ?? t('launch.flavorHelper')}
            >
              <option value="">{t('launch.flavorAny')}</option>
              {flavors.map(f => (
                <option key={f.name} value={f.name}>
                  {f.product ? `${f.name} (${f.product})` : f.name}
                </option>
              ))}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...select('priorityClass')}
              label={t('launch.priority')}
              helperText={shown('priorityClass')}
            >
              <option value="">{t('launch.priorityDefault')}</option>
              {options.priorityClasses.map(p => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </TextField>
          </Grid>
        </Grid>
        <Box mt={2}>
          <Typography variant="subtitle2">{t('launch.what')}</Typography>
        </Box>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={6}>
            <TextField
              {...select('baseModel')}
              label={t('launch.baseModel')}
              helperText={shown('baseModel')}
            >
              {options.baseModels.map(m => {
                const model = `${m.title}${
                  m.parameters ? ` (${m.parameters})` : ''
                }`;
                return (
                  <option key={m.name} value={m.name}>
                    {m.servable ? model : t('launch.notServable', { model })}
                  </option>
                );
              })}
            </TextField>
          </Grid>
          <Grid item xs={12} sm={6}>
            <TextField
              {...select('datasetId')}
              label={t('launch.dataset')}
              helperText={shown('datasetId') ?? datasetHint}
            >
              {!nsDatasets.length && <option value="">—</option>}
              {nsDatasets.map(d => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </TextField>
          </Grid>
        </Grid>
        <Box mt={2}>
          <Typography variant="subtitle2">
            {mode === 'sweep'
              ? t('launch.hyperparametersSweep')
              : t('launch.hyperparameters')}
          </Typography>
        </Box>
        <Grid container spacing={2}>
          {HYPERPARAMETERS.map(h => (
            <Grid item xs={12} sm={4} key={h.key}>
              {mode === 'sweep' && (
                <FormControlLabel
                  control={
                    <Checkbox
                      size="small"
                      checked={swept(h.key)}
                      onChange={e => toggleSweep(h.key, e.target.checked)}
                      inputProps={{
                        // @ts-expect-error data attributes pass through to the input
                        'data-testid': `ft-sweep-${h.key}-on`,
                      }}
                    />
                  }
                  label={t('launch.sweepParam', {
                    param: t(
                      `launch.params.${h.key}` as const,
                    ).toLocaleLowerCase(),
                  })}
                />
              )}
              {hyperparameterInput(h)}
            </Grid>
          ))}
        </Grid>
        <Box mt={2}>
          <Typography variant="subtitle2">{t('launch.resources')}</Typography>
        </Box>
        <Grid container spacing={2}>
          <Grid item xs={12} sm={4}>
            <TextField
              {...number(
                'workers',
                t('launch.workersHint', {
                  max: String(options.limits.maxWorkers),
                }),
              )}
              label={t('launch.workers')}
            />
          </Grid>
          <Grid item xs={12} sm={4}>
            <TextField
              {...number(
                'gpusPerWorker',
                t('launch.gpusHint', {
                  max: String(options.limits.maxGpusPerWorker),
                }),
              )}
              label={t('launch.gpusPerWorker')}
            />
          </Grid>
        </Grid>
        {mode === 'sweep' && (
          <Box mt={2} data-testid="ft-sweep-settings">
            <Typography variant="subtitle2">{t('launch.sweep')}</Typography>
            <Grid container spacing={2}>
              <Grid item xs={12} sm={3}>
                <TextField
                  select
                  label={t('launch.strategy')}
                  value={sweep.strategy}
                  fullWidth
                  variant="outlined"
                  margin="dense"
                  onChange={e =>
                    setSweep(s => ({
                      ...s,
                      strategy: e.target.value as 'grid' | 'random',
                    }))
                  }
                  SelectProps={{
                    native: true,
                    inputProps: { 'data-testid': 'ft-sweep-strategy' },
                  }}
                  InputLabelProps={{ shrink: true }}
                >
                  <option value="grid">{t('launch.strategyGrid')}</option>
                  <option value="random">{t('launch.strategyRandom')}</option>
                </TextField>
              </Grid>
              <Grid item xs={12} sm={3}>
                <TextField
                  label={t('launch.maxTrials')}
                  type="number"
                  value={sweep.maxTrials}
                  fullWidth
                  variant="outlined"
                  margin="dense"
                  error={Boolean(allErrors.maxTrials)}
                  helperText={
                    allErrors.maxTrials ??
                    t('launch.maxTrialsHint', {
                      max: String(options.limits.maxSweepTrials),
                    })
                  }
                  onChange={e =>
                    setSweep(s => ({ ...s, maxTrials: e.target.value }))
                  }
                  inputProps={{ 'data-testid': 'ft-sweep-maxTrials' }}
                  InputLabelProps={{ shrink: true }}
                />
              </Grid>
              <Grid item xs={12} sm={3}>
                <TextField
                  label={t('launch.objectiveMetric')}
                  value={sweep.metric}
                  fullWidth
                  variant="outlined"
                  margin="dense"
                  error={Boolean(allErrors.metric)}
                  helperText={allErrors.metric}
                  onChange={e =>
                    setSweep(s => ({ ...s, metric: e.target.value }))
                  }
                  inputProps={{ 'data-testid': 'ft-sweep-metric' }}
                  InputLabelProps={{ shrink: true }}
                />
              </Grid>
              <Grid item xs={12} sm={3}>
                <TextField
                  select
                  label={t('launch.goal')}
                  value={sweep.goal}
                  fullWidth
                  variant="outlined"
                  margin="dense"
                  onChange={e =>
                    setSweep(s => ({
                      ...s,
                      goal: e.target.value as 'minimize' | 'maximize',
                    }))
                  }
                  SelectProps={{ native: true }}
                  InputLabelProps={{ shrink: true }}
                >
                  <option value="minimize">{t('goals.minimize')}</option>
                  <option value="maximize">{t('goals.maximize')}</option>
                </TextField>
              </Grid>
            </Grid>
            {allErrors.space &&
              (tried || Object.keys(sweep.params).length > 0) && (
                <Typography
                  variant="caption"
                  color="error"
                  data-testid="ft-sweep-space-error"
                >
                  {allErrors.space}
                </Typography>
              )}
          </Box>
        )}
        <Box mt={2} data-testid="ft-launch-estimate">
          {estimate ? (
            <Alert severity="info" icon={false}>
              <Typography variant="body2">
                {rich(
                  t(trials > 1 ? 'launch.estimateTrials' : 'launch.estimate', {
                    trials: String(trials),
                    gpuHours: slot('gpuHours'),
                    gpus: format.gpus(estimate.gpus),
                    hours: slot('hours'),
                    cost: slot('cost'),
                    tokens: format.number(estimate.tokens),
                  }),
                  {
                    gpuHours: (
                      <b data-testid="ft-estimate-gpu-hours">
                        {format.gpuHours(estimate.gpuHours * trials)}
                      </b>
                    ),
                    hours: (
                      <b data-testid="ft-estimate-hours">
                        {format.hours(estimate.hours)}
                      </b>
                    ),
                    cost: (
                      <b data-testid="ft-estimate-cost">
                        {formatCost(estimate.cost * trials, estimate.currency)}
                      </b>
                    ),
                  },
                )}
              </Typography>
              <Typography variant="caption" color="textSecondary">
                {t('launch.assumes', { assumptions: estimate.assumptions })}
              </Typography>
            </Alert>
          ) : (
            <Typography variant="body2" color="textSecondary">
              {t('launch.noEstimate')}
            </Typography>
          )}
        </Box>
        {serverError && (
          <Box mt={1}>
            <Alert severity="error" data-testid="ft-launch-error">
              {serverError.message}
            </Alert>
          </Box>
        )}
        {tried && Object.keys(allErrors).length > 0 && (
          <Typography
            variant="caption"
            color="error"
            component="div"
            data-testid="ft-launch-invalid"
          >
            {t('launch.fixFields', {
              fields: Object.keys(allErrors).join(', '),
            })}
          </Typography>
        )}
        <Box mt={2}>
          <PermissionButton
            permission={finetuningJobCreatePermission}
            resourceRef={
              draft.cluster && draft.namespace
                ? `${draft.cluster}/${draft.namespace}`
                : undefined
            }
            what={format.namespaceInCluster(draft.namespace, draft.cluster)}
            variant="contained"
            color="primary"
            disabled={busy}
            disabledReason={t('launch.launching')}
            onClick={submit}
            data-testid="ft-launch-submit"
          >
            {mode === 'sweep' ? t('launch.launchSweep') : t('launch.launchJob')}
          </PermissionButton>
        </Box>
      </Box>
    </InfoCard>
  );
}
