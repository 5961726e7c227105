import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { useApi } from '@backstage/core-plugin-api';
import {
  InfoCard,
  Link,
  StructuredMetadataTable,
  Table,
} from '@backstage/core-components';
import { Box, Grid, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  finetuningJobCancelPermission,
  finetuningModelServePermission,
  type FinetuningJobDetails,
  type ServedModel,
} from '@kubemate/plugin-finetuning-common';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { isLive, useJob } from '../../hooks';
import { rich, slot } from '../../lib/rich';
import { useFinetuningFormat } from '../../lib/useFormat';
import { finetuningTranslationRef } from '../../translation';
import { DemoChip, StateChip, UntrainedChip } from '../common/Chips';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { JobLogs } from './JobLogs';
import { JobMetrics } from './JobMetrics';
import { ServeDialog } from './ServeDialog';

function QueueCard(props: { details: FinetuningJobDetails }) {
  const { job } = props.details;
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  const q = job.queue;
  return (
    <InfoCard title={t('job.queueTitle')}>
      {!q ? (
        <Typography variant="body2" color="textSecondary">
          {t('job.noWorkload')}
        </Typography>
      ) : (
        <Box data-testid="ft-job-queue" data-queue-state={q.state}>
          <StructuredMetadataTable
            metadata={{
              [t('job.queueFields.state')]: q.state
                ? t(`queueStates.${q.state}` as const)
                : '—',
              [t('job.queueFields.queue')]: `${q.localQueue}${
                q.clusterQueue ? ` → ${q.clusterQueue}` : ''
              }`,
              [t('job.queueFields.position')]:
                q.position !== undefined ? `#${q.position}` : '—',
              [t('job.queueFields.flavor')]: q.flavor ?? '—',
              [t('job.queueFields.admitted')]: format.time(q.admittedAt),
              [t('job.queueFields.workload')]: q.workload ?? '—',
            }}
          />
          {(q.reason || q.message) && (
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                {t('job.kueueSays')}
              </Typography>
              <Typography
                variant="body2"
                style={{ wordBreak: 'break-word' }}
                data-testid="ft-job-queue-reason"
              >
                {q.reason}
                {q.reason && q.message ? ': ' : ''}
                {q.message}
              </Typography>
            </Box>
          )}
        </Box>
      )}
    </InfoCard>
  );
}

/**
 * A job: state, queue (Kueue's reason verbatim, position, flavor), replicas, pods, events,
 * per-worker logs, live loss curves, params, MLflow link, adapter; Cancel and Serve (gated).
 */
export function JobDetailsPage() {
  const { id = '' } = useParams();
  const api = useApi(finetuningApiRef);
  const base = useFinetuningBase();
  const navigate = useNavigate();
  const { t } = useTranslationRef(finetuningTranslationRef);
  const format = useFinetuningFormat();
  const details = useJob(id);
  const [confirm, setConfirm] = useState<'cancel' | 'delete'>();
  const [serving, setServing] = useState(false);
  const [served, setServed] = useState<ServedModel>();
  return (
    <Loaded state={details} reads="job">
      {value => {
        const { job, pods, events } = value;
        const live = isLive(job.state);
        const ref = `${job.cluster}/${job.namespace}`;
        const hp = job.spec.hyperparameters;
        return (
          <Box data-testid="ft-job-details" data-state={job.state}>
            <Box
              display="flex"
              alignItems="center"
              flexWrap="wrap"
              style={{ gap: 8 }}
              mb={2}
            >
              <Typography variant="h5">{job.name}</Typography>
              <StateChip state={job.state} testId="ft-job-state" />
              {job.demo && <DemoChip />}
              <Box flex={1} />
              {job.mlflowUrl && (
                <Link to={job.mlflowUrl} data-testid="ft-mlflow-link">
                  {t('job.openMlflow')}
                </Link>
              )}
              <PermissionButton
                permission={finetuningModelServePermission}
                resourceRef={ref}
                what={format.namespaceInCluster(job.namespace, job.cluster)}
                variant="contained"
                color="primary"
                disabled={!job.adapter?.available}
                disabledReason={t('job.noAdapterYet')}
                onClick={() => setServing(true)}
                data-testid="ft-serve"
              >
                {t('job.serve')}
              </PermissionButton>
              {live ? (
                <PermissionButton
                  permission={finetuningJobCancelPermission}
                  resourceRef={ref}
                  what={format.namespaceInCluster(job.namespace, job.cluster)}
                  variant="outlined"
                  color="secondary"
                  onClick={() => setConfirm('cancel')}
                  data-testid="ft-cancel"
                >
                  {t('job.cancel')}
                </PermissionButton>
              ) : (
                <PermissionButton
                  permission={finetuningJobCancelPermission}
                  resourceRef={ref}
                  what={format.namespaceInCluster(job.namespace, job.cluster)}
                  variant="outlined"
                  onClick={() => setConfirm('delete')}
                  data-testid="ft-delete"
                >
                  {t('job.deleteRecord')}
                </PermissionButton>
              )}
            </Box>
            {job.stateMessage && (
              <Typography
                variant="body2"
                color="textSecondary"
                paragraph
                data-testid="ft-job-state-message"
              >
                {job.stateMessage}
              </Typography>
            )}
            {served && (
              <Alert severity="success" data-testid="ft-serve-notice">
                {rich(
                  t(
                    served.untrained
                      ? 'job.servedNoticeUntrained'
                      : 'job.servedNotice',
                    { name: slot('name'), base: served.ollamaBase },
                  ),
                  { name: <b>{served.name}</b> },
                )}
              </Alert>
            )}
            <Grid container spacing={2}>
              <Grid item xs={12} md={6}>
                <InfoCard title={t('job.jobTitle')}>
                  <StructuredMetadataTable
                    metadata={{
                      [t('job.fields.cluster')]: job.cluster,
                      [t('job.fields.namespace')]: job.namespace,
                      [t('job.fields.baseModel')]: job.spec.baseModel,
                      [t('job.fields.dataset')]: job.spec.datasetName,
                      [t('job.fields.gpus')]: `${
                        job.spec.resources.workers
                      } × ${format.gpus(job.spec.resources.gpusPerWorker)}${
                        job.spec.resources.flavor
                          ? ` (${job.spec.resources.flavor})`
                          : ''
                      }`,
                      [t('job.fields.gpuHours')]: format.gpuHours(job.gpuHours),
                      [t('job.fields.created')]: format.byUser(
                        job.createdAt,
                        job.createdBy,
                      ),
                      [t('job.fields.started')]: format.time(job.startedAt),
                      [t('job.fields.finished')]: format.time(job.finishedAt),
                      [t('job.fields.entity')]: job.spec.entityRef ?? '—',
                    }}
                  />
                </InfoCard>
              </Grid>
              <Grid item xs={12} md={6}>
                <QueueCard details={value} />
              </Grid>
              <Grid item xs={12}>
                <JobMetrics job={job} live={live} />
              </Grid>
              <Grid item xs={12} md={6}>
                <InfoCard title={t('job.paramsTitle')}>
                  <StructuredMetadataTable
                    metadata={{
                      [t('job.params.rank')]: hp.rank,
                      [t('job.params.alpha')]: hp.alpha,
                      [t('job.params.learningRate')]: hp.learningRate,
                      [t('job.params.epochs')]: hp.epochs,
                      [t('job.params.batchSize')]: hp.batchSize,
                      [t('job.params.dropout')]: hp.dropout ?? '—',
                      [t('job.params.queue')]: job.spec.queue,
                      [t('job.params.priority')]: job.spec.priorityClass ?? '—',
                    }}
                  />
                </InfoCard>
              </Grid>
              <Grid item xs={12} md={6}>
                <InfoCard title={t('job.adapterTitle')}>
                  {!job.adapter ? (
                    <Typography variant="body2" color="textSecondary">
                      {t('job.noOutput')}
                    </Typography>
                  ) : (
                    <Box
                      data-testid="ft-adapter"
                      data-available={String(job.adapter.available)}
                    >
                      <Typography
                        variant="body2"
                        style={{ wordBreak: 'break-all' }}
                      >
                        {job.adapter.uri}
                      </Typography>
                      <Box mt={1} display="flex" style={{ gap: 8 }}>
                        <Typography variant="body2">
                          {job.adapter.available
                            ? t('job.adapterAvailable')
                            : t('job.adapterNotWritten')}
                        </Typography>
                        {job.adapter.untrained && <UntrainedChip />}
                      </Box>
                    </Box>
                  )}
                  {!!job.servedModels?.length && (
                    <Typography variant="body2" style={{ marginTop: 8 }}>
                      {t('job.servedAs', {
                        models: job.servedModels.join(', '),
                      })}
                    </Typography>
                  )}
                </InfoCard>
              </Grid>
              <Grid item xs={12} md={6}>
                <Table
                  title={t('job.replicasTitle')}
                  options={{ paging: false, search: false, padding: 'dense' }}
                  data={job.replicas}
                  columns={[
                    { title: t('job.replicas.type'), field: 'type' },
                    {
                      title: t('job.replicas.replicas'),
                      field: 'replicas',
                      type: 'numeric',
                    },
                    {
                      title: t('job.replicas.active'),
                      field: 'active',
                      type: 'numeric',
                    },
                    {
                      title: t('job.replicas.succeeded'),
                      field: 'succeeded',
                      type: 'numeric',
                    },
                    {
                      title: t('job.replicas.failed'),
                      field: 'failed',
                      type: 'numeric',
                    },
                  ]}
                />
              </Grid>
              <Grid item xs={12} md={6}>
                <Table
                  title={t('job.podsTitle')}
                  options={{ paging: false, search: false, padding: 'dense' }}
                  data={pods}
                  emptyContent={
                    <Box p={2}>
                      <Typography variant="body2" color="textSecondary">
                        {t('job.noPods')}
                      </Typography>
                    </Box>
                  }
                  columns={[
                    {
                      title: t('job.pods.pod'),
                      field: 'name',
                      render: p => (
                        <span
                          data-testid={`ft-pod-${p.name}`}
                          data-phase={p.phase}
                        >
                          {p.name}
                        </span>
                      ),
                    },
                    {
                      title: t('job.pods.replica'),
                      render: p => `${p.replicaType} ${p.index}`,
                    },
                    { title: t('job.pods.phase'), field: 'phase' },
                    { title: t('job.pods.node'), field: 'nodeName' },
                    {
                      title: t('job.pods.gpus'),
                      field: 'gpus',
                      type: 'numeric',
                    },
                  ]}
                />
              </Grid>
              <Grid item xs={12}>
                <JobLogs jobId={job.id} pods={pods} live={live} />
              </Grid>
              <Grid item xs={12}>
                <Table
                  title={t('job.eventsTitle')}
                  options={{
                    paging: events.length > 20,
                    pageSize: 20,
                    search: false,
                    padding: 'dense',
                  }}
                  data={events}
                  emptyContent={
                    <Box p={2}>
                      <Typography variant="body2" color="textSecondary">
                        {t('job.noEvents')}
                      </Typography>
                    </Box>
                  }
                  columns={[
                    {
                      title: t('job.events.time'),
                      render: e => format.time(e.lastTimestamp),
                    },
                    { title: t('job.events.object'), field: 'object' },
                    { title: t('job.events.type'), field: 'type' },
                    { title: t('job.events.reason'), field: 'reason' },
                    {
                      title: t('job.events.message'),
                      field: 'message',
                      cellStyle: { wordBreak: 'break-word' },
                    },
                    {
                      title: t('job.events.count'),
                      field: 'count',
                      type: 'numeric',
                    },
                  ]}
                />
              </Grid>
            </Grid>
            <ConfirmDialog
              open={confirm === 'cancel'}
              title={t('job.cancelTitle', { name: job.name })}
              verb={t('job.cancelVerb')}
              testIdPrefix="ft-cancel"
              onClose={() => setConfirm(undefined)}
              onConfirm={async () => {
                await api.cancelJob(job.id);
                details.retry();
              }}
            >
              <Typography variant="body2">{t('job.cancelBody')}</Typography>
            </ConfirmDialog>
            <ConfirmDialog
              open={confirm === 'delete'}
              title={t('job.deleteTitle', { name: job.name })}
              verb={t('job.deleteVerb')}
              testIdPrefix="ft-delete"
              onClose={() => setConfirm(undefined)}
              onConfirm={async () => {
                await api.deleteJob(job.id);
                navigate(base);
              }}
            >
              <Typography variant="body2">{t('job.deleteBody')}</Typography>
            </ConfirmDialog>
            <ServeDialog
              job={job}
              open={serving}
              onClose={() => setServing(false)}
              onServed={m => {
                setServed(m);
                details.retry();
              }}
            />
          </Box>
        );
      }}
    </Loaded>
  );
}
