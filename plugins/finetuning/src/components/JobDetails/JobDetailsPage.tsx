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
import {
  finetuningJobCancelPermission,
  finetuningModelServePermission,
  type FinetuningJobDetails,
  type ServedModel,
} from '@kubemate/plugin-finetuning-common';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import { finetuningApiRef } from '../../api';
import { isLive, useJob } from '../../hooks';
import { formatGpuHours, formatTime, gpusText } from '../../lib/format';
import { DemoChip, StateChip, UntrainedChip } from '../common/Chips';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { Loaded } from '../common/Loaded';
import { useFinetuningBase } from '../FinetuningPage/base';
import { JobLogs } from './JobLogs';
import { JobMetrics } from './JobMetrics';
import { ServeDialog } from './ServeDialog';

function QueueCard(props: { details: FinetuningJobDetails }) {
  const { job } = props.details;
  const q = job.queue;
  return (
    <InfoCard title="Queue (Kueue)">
      {!q ? (
        <Typography variant="body2" color="textSecondary">
          No Kueue workload for this job (yet).
        </Typography>
      ) : (
        <Box data-testid="ft-job-queue" data-queue-state={q.state}>
          <StructuredMetadataTable
            metadata={{
              state: q.state,
              queue: `${q.localQueue}${
                q.clusterQueue ? ` → ${q.clusterQueue}` : ''
              }`,
              position: q.position !== undefined ? `#${q.position}` : '—',
              flavor: q.flavor ?? '—',
              admitted: formatTime(q.admittedAt),
              workload: q.workload ?? '—',
            }}
          />
          {(q.reason || q.message) && (
            <Box mt={1}>
              <Typography variant="caption" color="textSecondary">
                Kueue says
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
  const details = useJob(id);
  const [confirm, setConfirm] = useState<'cancel' | 'delete'>();
  const [serving, setServing] = useState(false);
  const [served, setServed] = useState<ServedModel>();
  return (
    <Loaded state={details} what="the job">
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
                  Open in MLflow
                </Link>
              )}
              <PermissionButton
                permission={finetuningModelServePermission}
                resourceRef={ref}
                what={`${job.namespace} in ${job.cluster}`}
                variant="contained"
                color="primary"
                disabled={!job.adapter?.available}
                disabledReason="The job has not written an adapter yet"
                onClick={() => setServing(true)}
                data-testid="ft-serve"
              >
                Serve
              </PermissionButton>
              {live ? (
                <PermissionButton
                  permission={finetuningJobCancelPermission}
                  resourceRef={ref}
                  what={`${job.namespace} in ${job.cluster}`}
                  variant="outlined"
                  color="secondary"
                  onClick={() => setConfirm('cancel')}
                  data-testid="ft-cancel"
                >
                  Cancel
                </PermissionButton>
              ) : (
                <PermissionButton
                  permission={finetuningJobCancelPermission}
                  resourceRef={ref}
                  what={`${job.namespace} in ${job.cluster}`}
                  variant="outlined"
                  onClick={() => setConfirm('delete')}
                  data-testid="ft-delete"
                >
                  Delete record
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
                Ollama model <b>{served.name}</b> created from{' '}
                {served.ollamaBase} and the adapter
                {served.untrained ? ' (untrained)' : ''}. It appears in the
                knowledge assistant's model picker.
              </Alert>
            )}
            <Grid container spacing={2}>
              <Grid item xs={12} md={6}>
                <InfoCard title="Job">
                  <StructuredMetadataTable
                    metadata={{
                      cluster: job.cluster,
                      namespace: job.namespace,
                      'base model': job.spec.baseModel,
                      dataset: job.spec.datasetName,
                      GPUs: `${job.spec.resources.workers} × ${gpusText(
                        job.spec.resources.gpusPerWorker,
                      )}${
                        job.spec.resources.flavor
                          ? ` (${job.spec.resources.flavor})`
                          : ''
                      }`,
                      'GPU-hours': formatGpuHours(job.gpuHours),
                      created: `${formatTime(job.createdAt)} by ${
                        job.createdBy
                      }`,
                      started: formatTime(job.startedAt),
                      finished: formatTime(job.finishedAt),
                      entity: job.spec.entityRef ?? '—',
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
                <InfoCard title="Parameters">
                  <StructuredMetadataTable
                    metadata={{
                      rank: hp.rank,
                      alpha: hp.alpha,
                      'learning rate': hp.learningRate,
                      epochs: hp.epochs,
                      'batch size': hp.batchSize,
                      dropout: hp.dropout ?? '—',
                      queue: job.spec.queue,
                      priority: job.spec.priorityClass ?? '—',
                    }}
                  />
                </InfoCard>
              </Grid>
              <Grid item xs={12} md={6}>
                <InfoCard title="Adapter">
                  {!job.adapter ? (
                    <Typography variant="body2" color="textSecondary">
                      No output location recorded.
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
                            ? 'adapter_config.json and adapter_model.safetensors available'
                            : 'Not written yet'}
                        </Typography>
                        {job.adapter.untrained && <UntrainedChip />}
                      </Box>
                    </Box>
                  )}
                  {!!job.servedModels?.length && (
                    <Typography variant="body2" style={{ marginTop: 8 }}>
                      Served as {job.servedModels.join(', ')}
                    </Typography>
                  )}
                </InfoCard>
              </Grid>
              <Grid item xs={12} md={6}>
                <Table
                  title="Replicas"
                  options={{ paging: false, search: false, padding: 'dense' }}
                  data={job.replicas}
                  columns={[
                    { title: 'Type', field: 'type' },
                    { title: 'Replicas', field: 'replicas', type: 'numeric' },
                    { title: 'Active', field: 'active', type: 'numeric' },
                    { title: 'Succeeded', field: 'succeeded', type: 'numeric' },
                    { title: 'Failed', field: 'failed', type: 'numeric' },
                  ]}
                />
              </Grid>
              <Grid item xs={12} md={6}>
                <Table
                  title="Pods"
                  options={{ paging: false, search: false, padding: 'dense' }}
                  data={pods}
                  emptyContent={
                    <Box p={2}>
                      <Typography variant="body2" color="textSecondary">
                        No pods: the controller creates them once Kueue admits
                        the job.
                      </Typography>
                    </Box>
                  }
                  columns={[
                    {
                      title: 'Pod',
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
                      title: 'Replica',
                      render: p => `${p.replicaType} ${p.index}`,
                    },
                    { title: 'Phase', field: 'phase' },
                    { title: 'Node', field: 'nodeName' },
                    { title: 'GPUs', field: 'gpus', type: 'numeric' },
                  ]}
                />
              </Grid>
              <Grid item xs={12}>
                <JobLogs jobId={job.id} pods={pods} live={live} />
              </Grid>
              <Grid item xs={12}>
                <Table
                  title="Events"
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
                        No events.
                      </Typography>
                    </Box>
                  }
                  columns={[
                    { title: 'Time', render: e => formatTime(e.lastTimestamp) },
                    { title: 'Object', field: 'object' },
                    { title: 'Type', field: 'type' },
                    { title: 'Reason', field: 'reason' },
                    {
                      title: 'Message',
                      field: 'message',
                      cellStyle: { wordBreak: 'break-word' },
                    },
                    { title: 'Count', field: 'count', type: 'numeric' },
                  ]}
                />
              </Grid>
            </Grid>
            <ConfirmDialog
              open={confirm === 'cancel'}
              title={`Cancel ${job.name}?`}
              verb="Cancel the job"
              testIdPrefix="ft-cancel"
              onClose={() => setConfirm(undefined)}
              onConfirm={async () => {
                await api.cancelJob(job.id);
                details.retry();
              }}
            >
              <Typography variant="body2">
                The PyTorchJob is deleted as you; its pods stop and the MLflow
                run is marked KILLED. The record stays.
              </Typography>
            </ConfirmDialog>
            <ConfirmDialog
              open={confirm === 'delete'}
              title={`Delete the record of ${job.name}?`}
              verb="Delete"
              testIdPrefix="ft-delete"
              onClose={() => setConfirm(undefined)}
              onConfirm={async () => {
                await api.deleteJob(job.id);
                navigate(base);
              }}
            >
              <Typography variant="body2">
                The job disappears from the portal; its MLflow run is kept.
              </Typography>
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
