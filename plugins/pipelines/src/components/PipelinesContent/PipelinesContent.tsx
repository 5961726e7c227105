import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Grid } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ClusterErrorsPanel } from '@kubemate/plugin-kubemate-react';
import {
  PipelineRunSummary,
  StartRunRequest,
  TEKTON_SELECTOR_ANNOTATION,
} from '@kubemate/plugin-pipelines-common';
import { pipelinesApiRef } from '../../api/PipelinesApi';
import {
  useEntityRuns,
  useRunActions,
  useStartablePipelines,
} from '../../hooks';
import { RunDetails } from '../RunDetails';
import { StartRunDialog } from '../StartRunDialog';
import { DurationChart } from '../DurationChart';
import { EnvironmentLanes } from '../EnvironmentLanes';
import { StartProbe } from '../StartProbe';
import { RunFilters } from '../RunFilters';
import { filterRuns, keyOf, NO_FILTERS } from '../../lib/runs';
import { RunsTable } from '../RunsTable';
import { PipelinesCard } from '../PipelinesCard';
import { CancelRunDialog } from '../CancelRunDialog';

/** The entity tab "Pipelines". */
export function PipelinesContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(pipelinesApiRef);

  const { runs, pipelines, allRuns, pipelineList, clusterErrors, retry } =
    useEntityRuns(entityRef);
  const { onProbe, startablePipelines, startReason } = useStartablePipelines(
    pipelineList,
    Boolean(pipelines.error),
  );
  const actions = useRunActions(retry);
  const [filters, setFilters] = useState(NO_FILTERS);
  const [startOpen, setStartOpen] = useState(false);
  const [cancelling, setCancelling] = useState<PipelineRunSummary>();

  const filtered = filterRuns(allRuns, filters);
  const selected = allRuns.find(r => keyOf(r) === actions.selectedKey);

  if (runs.loading && !runs.value) return <Progress />;
  if (runs.error && !runs.value) {
    return <ResponseErrorPanel error={runs.error} />;
  }

  if (allRuns.length === 0 && pipelineList.length === 0 && !pipelines.loading) {
    return (
      <>
        <ClusterErrorsPanel errors={clusterErrors} />
        <EmptyState
          missing="data"
          title="No Tekton pipelines for this entity"
          description={`No Pipeline or PipelineRun carries this entity's labels in a namespace you may see. Label them with the entity's Kubernetes selector, or set the ${TEKTON_SELECTOR_ANNOTATION} annotation; a service created from the Kubemate service template has its pipeline already.`}
        />
      </>
    );
  }

  return (
    <Grid container spacing={2}>
      {pipelineList.map(p => (
        <StartProbe key={keyOf(p)} pipeline={p} onResult={onProbe} />
      ))}
      <Grid item xs={12}>
        <ClusterErrorsPanel errors={clusterErrors} />
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
        {actions.actionError && (
          <Alert severity="error" onClose={actions.clearActionError}>
            {actions.actionError}
          </Alert>
        )}
        {actions.notice && (
          <Alert severity="success" onClose={actions.clearNotice}>
            {actions.notice}
          </Alert>
        )}
      </Grid>
      <Grid item xs={12}>
        <EnvironmentLanes runs={allRuns} onSelect={actions.select} />
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard title="Run durations">
          <DurationChart runs={allRuns} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={4}>
        <PipelinesCard
          pipelines={pipelineList}
          startReason={startReason}
          onStart={() => setStartOpen(true)}
        />
      </Grid>
      <Grid item xs={12}>
        <RunFilters
          runs={allRuns}
          value={filters}
          onChange={setFilters}
          onRefresh={retry}
        />
        <RunsTable
          runs={filtered}
          total={allRuns.length}
          onSelect={actions.select}
          onRerun={r => actions.act('Re-run started', () => api.rerun(r))}
          onCancel={setCancelling}
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
          actions.succeeded('Run started', run);
        }}
      />
      <CancelRunDialog
        run={cancelling}
        onClose={() => setCancelling(undefined)}
        onConfirm={r => actions.act('Cancelled', () => api.cancel(r))}
      />
    </Grid>
  );
}
