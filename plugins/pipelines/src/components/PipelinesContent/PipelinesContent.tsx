import { useCallback, useEffect, useMemo, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Grid,
  Link,
  MenuItem,
  TextField,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  CHECKING_PERMISSIONS,
  PermissionButton,
  usePermissionGate,
} from '@kubemate/plugin-kubemate-react';
import {
  PipelineRunSummary,
  PipelineSummary,
  pipelinesRunCancelPermission,
  pipelinesRunRerunPermission,
  pipelinesRunStartPermission,
  RunStatus,
  StartRunRequest,
  TEKTON_SELECTOR_ANNOTATION,
} from '@kubemate/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api/PipelinesApi';
import {
  formatDuration,
  formatTime,
  isActive,
  RunStatusLabel,
} from '../runs/RunStatus';
import { RunDetails } from '../runs/RunDetails';
import { keyOf, StartRunDialog } from '../runs/StartRunDialog';
import { DurationChart } from '../runs/DurationChart';
import { EnvironmentLanes } from '../runs/EnvironmentLanes';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';

/** While a run is in progress the tab re-reads the runs this often. */
const POLL_MS = 5000;
const STATUSES: RunStatus[] = [
  'Running',
  'Pending',
  'Succeeded',
  'Failed',
  'Cancelled',
];

const runRef = (r: PipelineRunSummary) =>
  clustersObjectRef({
    cluster: r.cluster,
    namespace: r.namespace,
    resource: 'pipelineruns',
    name: r.name,
  });

/** Clusters that could not be read, each with the reason (the others still show). */
function ClusterErrors(props: {
  errors: Array<{ cluster: string; message: string }>;
}) {
  return (
    <>
      {props.errors.map(e => (
        <WarningPanel
          key={e.cluster}
          severity="error"
          title={`Cluster ${e.cluster} could not be read`}
          message={e.message}
        />
      ))}
    </>
  );
}

/** Reports whether the user may start runs in the Pipeline's namespace (hooks cannot loop). */
function StartProbe(props: {
  pipeline: PipelineSummary;
  onResult: (key: string, allowed: boolean | undefined) => void;
}) {
  const { pipeline, onResult } = props;
  const gate = usePermissionGate({
    permission: pipelinesRunStartPermission,
    resourceRef: clustersObjectRef({
      cluster: pipeline.cluster,
      namespace: pipeline.namespace,
    }),
  });
  const key = keyOf(pipeline);
  useEffect(() => {
    onResult(key, gate.loading ? undefined : gate.allowed);
  }, [key, gate.loading, gate.allowed, onResult]);
  return null;
}

function Filter(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (v: string) => void;
}) {
  return (
    <TextField
      select
      id={`pipelines-filter-${props.label.toLocaleLowerCase('en-US')}`}
      size="small"
      variant="outlined"
      label={props.label}
      value={props.value}
      onChange={e => props.onChange(e.target.value)}
      style={{ minWidth: 140, marginRight: 8 }}
    >
      <MenuItem value="">all</MenuItem>
      {props.options.map(o => (
        <MenuItem key={o} value={o}>
          {o}
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The entity tab "Pipelines". */
export function PipelinesContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(pipelinesApiRef);

  const runs = useAsyncRetry(() => api.runs(entityRef), [api, entityRef]);
  const pipelines = useAsyncRetry(
    () => api.pipelines(entityRef),
    [api, entityRef],
  );
  const { retry } = runs;
  const anyActive = runs.value?.runs.some(r => isActive(r.status)) ?? false;
  useEffect(() => {
    if (!anyActive) return undefined;
    const t = setTimeout(retry, POLL_MS);
    return () => clearTimeout(t);
  }, [anyActive, retry, runs.value]);

  const [selectedKey, setSelectedKey] = useState<string | undefined>();
  const [filters, setFilters] = useState({ status: '', env: '', cluster: '' });
  const [startOpen, setStartOpen] = useState(false);
  const [cancelling, setCancelling] = useState<PipelineRunSummary>();
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [startable, setStartable] = useState<
    Record<string, boolean | undefined>
  >({});
  const onProbe = useCallback(
    (key: string, allowed: boolean | undefined) =>
      setStartable(s => (s[key] === allowed ? s : { ...s, [key]: allowed })),
    [],
  );

  const allRuns = useMemo(() => runs.value?.runs ?? [], [runs.value]);
  const filtered = allRuns.filter(
    r =>
      (!filters.status || r.status === filters.status) &&
      (!filters.env || r.environment === filters.env) &&
      (!filters.cluster || r.cluster === filters.cluster),
  );
  const selected = allRuns.find(r => keyOf(r) === selectedKey);
  const pipelineList = pipelines.value?.pipelines ?? [];
  const startablePipelines = pipelineList.filter(p => startable[keyOf(p)]);
  const probing = pipelineList.some(p => startable[keyOf(p)] === undefined);
  let startReason = '';
  if (pipelines.error || pipelineList.length === 0) {
    startReason = 'This entity has no Pipeline you may see';
  } else if (probing) {
    startReason = CHECKING_PERMISSIONS;
  } else if (startablePipelines.length === 0) {
    startReason = `You do not have the permission ${pipelinesRunStartPermission.name} in the namespaces of this entity's Pipelines`;
  }

  const act = async (what: string, fn: () => Promise<PipelineRunSummary>) => {
    setActionError(undefined);
    setNotice(undefined);
    try {
      const run = await fn();
      setNotice(`${what}: ${run.name}`);
      setSelectedKey(keyOf(run));
      retry();
    } catch (e) {
      setActionError(`${what} failed: ${(e as Error).message}`);
    }
  };

  if (runs.loading && !runs.value) return <Progress />;
  if (runs.error && !runs.value) {
    return <ResponseErrorPanel error={runs.error} />;
  }
  const clusterErrors = [
    ...(runs.value?.errors ?? []),
    ...(pipelines.value?.errors ?? []).filter(
      e => !runs.value?.errors.some(r => r.cluster === e.cluster),
    ),
  ];

  if (allRuns.length === 0 && pipelineList.length === 0 && !pipelines.loading) {
    return (
      <>
        <ClusterErrors errors={clusterErrors} />
        <EmptyState
          missing="data"
          title="No Tekton pipelines for this entity"
          description={`No Pipeline or PipelineRun carries this entity's labels in a namespace you may see. Label them with the entity's Kubernetes selector, or set the ${TEKTON_SELECTOR_ANNOTATION} annotation; a service created from the Kubemate service template has its pipeline already.`}
        />
      </>
    );
  }

  const columns: TableColumn<PipelineRunSummary>[] = [
    {
      title: 'Run',
      field: 'name',
      render: r => (
        <Link
          component="button"
          variant="body2"
          onClick={() => setSelectedKey(keyOf(r))}
        >
          {r.name}
        </Link>
      ),
    },
    { title: 'Pipeline', field: 'pipeline' },
    {
      title: 'Status',
      field: 'status',
      render: r => <RunStatusLabel status={r.status} reason={r.reason} />,
    },
    { title: 'Env', field: 'environment', render: r => r.environment ?? '—' },
    {
      title: 'Where',
      render: r => `${r.cluster}/${r.namespace}`,
    },
    {
      title: 'Started',
      field: 'startTime',
      render: r => formatTime(r.startTime),
    },
    {
      title: 'Duration',
      field: 'durationSeconds',
      render: r => formatDuration(r.durationSeconds),
    },
    {
      title: 'Actions',
      render: r => (
        <Box display="flex">
          <PermissionButton
            size="small"
            permission={pipelinesRunRerunPermission}
            resourceRef={runRef(r)}
            what={r.name}
            aria-label={`Re-run ${r.name}`}
            onClick={() => act('Re-run started', () => api.rerun(r))}
          >
            Re-run
          </PermissionButton>
          <PermissionButton
            size="small"
            permission={pipelinesRunCancelPermission}
            resourceRef={runRef(r)}
            what={r.name}
            disabled={!isActive(r.status)}
            disabledReason={`${r.name} has finished (${r.status})`}
            aria-label={`Cancel ${r.name}`}
            onClick={() => setCancelling(r)}
          >
            Cancel
          </PermissionButton>
        </Box>
      ),
    },
  ];

  return (
    <Grid container spacing={2}>
      {pipelineList.map(p => (
        <StartProbe key={keyOf(p)} pipeline={p} onResult={onProbe} />
      ))}
      <Grid item xs={12}>
        <ClusterErrors errors={clusterErrors} />
        {runs.error && (
          <WarningPanel
            severity="warning"
            title="Refreshing the runs failed; showing the last result"
            message={runs.error.message}
          />
        )}
        {pipelines.error && (
          <WarningPanel
            severity="warning"
            title="The entity's Pipelines could not be read: starting a run is unavailable"
            message={pipelines.error.message}
          />
        )}
        {actionError && (
          <Alert severity="error" onClose={() => setActionError(undefined)}>
            {actionError}
          </Alert>
        )}
        {notice && (
          <Alert severity="success" onClose={() => setNotice(undefined)}>
            {notice}
          </Alert>
        )}
      </Grid>
      <Grid item xs={12}>
        <EnvironmentLanes
          runs={allRuns}
          onSelect={r => setSelectedKey(keyOf(r))}
        />
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Run durations">
          <DurationChart runs={allRuns} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <InfoCard title="Pipelines">
          {pipelineList.map(p => (
            <Typography key={keyOf(p)} variant="body2">
              {p.name} — {p.cluster}/{p.namespace} ({p.params.length} params)
            </Typography>
          ))}
          <Box mt={1}>
            {/* one permission check per Pipeline (StartProbe): any startable one enables it */}
            <Tooltip title={startReason}>
              <span style={{ display: 'inline-block' }}>
                <Button
                  color="primary"
                  variant="contained"
                  disabled={Boolean(startReason)}
                  onClick={() => setStartOpen(true)}
                >
                  Start run
                </Button>
              </span>
            </Tooltip>
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <Box mb={1} display="flex" alignItems="center">
          <Filter
            label="Status"
            value={filters.status}
            options={STATUSES}
            onChange={status => setFilters(f => ({ ...f, status }))}
          />
          <Filter
            label="Environment"
            value={filters.env}
            options={['dev', 'staging', 'prod']}
            onChange={env => setFilters(f => ({ ...f, env }))}
          />
          <Filter
            label="Cluster"
            value={filters.cluster}
            options={[...new Set(allRuns.map(r => r.cluster))].sort()}
            onChange={cluster => setFilters(f => ({ ...f, cluster }))}
          />
          <Button onClick={retry}>Refresh</Button>
        </Box>
        <Table<PipelineRunSummary>
          title={`Pipeline runs (${filtered.length} of ${allRuns.length})`}
          options={{
            paging: filtered.length > 20,
            pageSize: 20,
            search: false,
          }}
          columns={columns}
          data={filtered}
          emptyContent={
            <Box p={2}>
              <Typography>
                {allRuns.length
                  ? 'No run matches the filters.'
                  : 'No runs yet: start one.'}
              </Typography>
            </Box>
          }
        />
      </Grid>
      {selected && (
        <Grid item xs={12}>
          <RunDetails run={selected} />
        </Grid>
      )}
      <StartRunDialog
        open={startOpen}
        pipelines={startablePipelines}
        onClose={() => setStartOpen(false)}
        onStart={async (body: StartRunRequest) => {
          const run = await api.start(entityRef, body);
          setStartOpen(false);
          setNotice(`Run started: ${run.name}`);
          setSelectedKey(keyOf(run));
          retry();
        }}
      />
      <Dialog
        open={Boolean(cancelling)}
        onClose={() => setCancelling(undefined)}
      >
        <DialogTitle>Cancel {cancelling?.name}?</DialogTitle>
        <DialogContent>
          <Typography>
            Tekton stops the run's tasks; the run ends as Cancelled and cannot
            be resumed (re-run it to start again).
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setCancelling(undefined)}>Keep running</Button>
          <Button
            color="secondary"
            variant="contained"
            onClick={() => {
              const r = cancelling!;
              setCancelling(undefined);
              act('Cancelled', () => api.cancel(r));
            }}
          >
            Cancel run
          </Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
}
