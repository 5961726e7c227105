import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { Grid } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import {
  ClusterErrorsPanel,
  TranslatedErrorPanel,
  useErrorMessage,
} from '@kubemate/plugin-kubemate-react';
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
import { pipelinesTranslationRef } from '../../translation';

/** The entity tab "Pipelines". */
export function PipelinesContent() {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const errorMessage = useErrorMessage();
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
    return <TranslatedErrorPanel error={runs.error} />;
  }

  if (allRuns.length === 0 && pipelineList.length === 0 && !pipelines.loading) {
    return (
      <>
        <ClusterErrorsPanel errors={clusterErrors} />
        <EmptyState
          missing="data"
          title={t('content.emptyTitle')}
          description={t('content.emptyDescription', {
            annotation: TEKTON_SELECTOR_ANNOTATION,
          })}
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
            title={t('content.refreshFailed')}
            message={errorMessage(runs.error)}
          />
        )}
        {pipelines.error && (
          <WarningPanel
            severity="warning"
            title={t('content.pipelinesFailed')}
            message={errorMessage(pipelines.error)}
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
        <InfoCard title={t('content.durationsTitle')}>
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
          onRerun={r => actions.act('rerun', () => api.rerun(r))}
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
          actions.succeeded('start', run);
        }}
      />
      <CancelRunDialog
        run={cancelling}
        onClose={() => setCancelling(undefined)}
        onConfirm={r => actions.act('cancel', () => api.cancel(r))}
      />
    </Grid>
  );
}
