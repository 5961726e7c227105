import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Box, Button, Grid, TextField, Typography } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import ReplayIcon from '@material-ui/icons/Replay';
import HistoryIcon from '@material-ui/icons/History';
import LinearScaleIcon from '@material-ui/icons/LinearScale';
import DeleteIcon from '@material-ui/icons/Delete';
import SubjectIcon from '@material-ui/icons/Subject';
import CodeIcon from '@material-ui/icons/Code';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  ClusterEvent,
  clustersPodDeletePermission,
  clustersResourcesReadPermission,
  clustersPodLogsPermission,
  clustersWorkloadRestartPermission,
  clustersWorkloadRollbackPermission,
  clustersWorkloadScalePermission,
  PodSummary,
  WorkloadResource,
  WorkloadSummary,
} from '@kubemate/plugin-clusters-common';
import { clustersApiRef, EntityWorkloadTarget } from '../../api/ClustersApi';
import { ActionButton } from './ActionButton';
import { ActionDialog } from './ActionDialog';
import { HealthChip } from './HealthChip';
import { LogsDrawer } from './LogsDrawer';
import { YamlDialog } from './YamlDialog';

const resourceOf: Partial<Record<WorkloadSummary['kind'], WorkloadResource>> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

function age(iso?: string): string {
  if (!iso) return '';
  const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
  if (s < 120) return `${Math.round(s)}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

type PendingAction =
  | {
      type: 'scale' | 'restart' | 'rollback' | 'yaml';
      target: EntityWorkloadTarget;
      workload: WorkloadSummary;
    }
  | { type: 'delete'; cluster: string; pod: PodSummary };

function NamespaceSection(props: {
  entityRef: string;
  cluster: string;
  namespace: string;
  workloads: WorkloadSummary[];
  otherPods: PodSummary[];
  onAction: (a: PendingAction) => void;
  onLogs: (pod: PodSummary) => void;
}) {
  const { entityRef, cluster } = props;
  const pods = [...props.workloads.flatMap(w => w.pods), ...props.otherPods];
  const events: ClusterEvent[] = props.workloads
    .flatMap(w => w.events)
    .sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    );

  const workloadColumns: TableColumn<WorkloadSummary>[] = [
    { title: 'Workload', render: w => <b>{w.name}</b> },
    { title: 'Kind', field: 'kind' },
    {
      title: 'Ready',
      render: w =>
        w.desiredReplicas === undefined
          ? ''
          : `${w.readyReplicas ?? 0}/${w.desiredReplicas}`,
    },
    { title: 'Health', render: w => <HealthChip health={w.health} /> },
    { title: 'Revision', field: 'revision' },
    {
      title: 'Images',
      render: w => w.images.join(', '),
      cellStyle: { wordBreak: 'break-all' },
    },
    {
      title: 'Actions',
      cellStyle: { whiteSpace: 'nowrap' },
      render: w => {
        const resource = resourceOf[w.kind];
        if (!resource) return null;
        const target: EntityWorkloadTarget = {
          entityRef,
          cluster,
          namespace: w.namespace,
          resource,
          name: w.name,
        };
        const object = {
          cluster,
          namespace: w.namespace,
          resource,
          name: w.name,
        };
        const act = (type: 'scale' | 'restart' | 'rollback' | 'yaml') => () =>
          props.onAction({ type, target, workload: w });
        return (
          <Box display="flex" style={{ gap: 8 }}>
            {resource !== 'daemonsets' && (
              <ActionButton
                permission={clustersWorkloadScalePermission}
                object={object}
                label="Scale"
                ariaLabel={`Scale ${w.name}`}
                icon={<LinearScaleIcon />}
                onClick={act('scale')}
              />
            )}
            <ActionButton
              permission={clustersWorkloadRestartPermission}
              object={object}
              label="Restart"
              ariaLabel={`Restart ${w.name}`}
              icon={<ReplayIcon />}
              onClick={act('restart')}
            />
            <ActionButton
              permission={clustersResourcesReadPermission}
              object={object}
              label="YAML"
              ariaLabel={`YAML of ${w.name}`}
              icon={<CodeIcon />}
              onClick={act('yaml')}
            />
            {resource === 'deployments' && (
              <ActionButton
                permission={clustersWorkloadRollbackPermission}
                object={object}
                label="Roll back"
                ariaLabel={`Roll back ${w.name}`}
                icon={<HistoryIcon />}
                onClick={act('rollback')}
              />
            )}
          </Box>
        );
      },
    },
  ];

  const podColumns: TableColumn<PodSummary>[] = [
    { title: 'Pod', field: 'name' },
    { title: 'Status', render: p => <HealthChip health={p.health} /> },
    { title: 'Phase', field: 'phase' },
    { title: 'Restarts', field: 'restarts', type: 'numeric' },
    { title: 'Age', render: p => age(p.createdAt) },
    { title: 'Node', field: 'nodeName' },
    {
      title: 'Actions',
      cellStyle: { whiteSpace: 'nowrap' },
      render: p => (
        <Box display="flex" style={{ gap: 8 }}>
          <ActionButton
            permission={clustersPodLogsPermission}
            object={{
              cluster,
              namespace: p.namespace,
              resource: 'pods',
              name: p.name,
            }}
            label="Logs"
            ariaLabel={`Logs of ${p.name}`}
            icon={<SubjectIcon />}
            onClick={() => props.onLogs(p)}
          />
          <ActionButton
            permission={clustersPodDeletePermission}
            object={{
              cluster,
              namespace: p.namespace,
              resource: 'pods',
              name: p.name,
            }}
            label="Delete"
            ariaLabel={`Delete ${p.name}`}
            icon={<DeleteIcon />}
            onClick={() => props.onAction({ type: 'delete', cluster, pod: p })}
          />
        </Box>
      ),
    },
  ];

  const eventColumns: TableColumn<ClusterEvent>[] = [
    { title: 'Last seen', render: e => age(e.lastTimestamp) },
    { title: 'Type', field: 'type' },
    { title: 'Reason', field: 'reason' },
    {
      title: 'Object',
      render: e =>
        `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
    },
    { title: 'Message', field: 'message' },
    { title: 'Count', field: 'count', type: 'numeric' },
  ];

  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <Table
          title={`Workloads in ${cluster} / ${props.namespace}`}
          options={{ paging: false, search: false, padding: 'dense' }}
          columns={workloadColumns}
          data={props.workloads}
        />
      </Grid>
      <Grid item xs={12}>
        <Table
          title={`Pods (${pods.length})`}
          options={{
            paging: pods.length > 20,
            pageSize: 20,
            search: pods.length > 20,
            padding: 'dense',
          }}
          columns={podColumns}
          data={pods}
        />
      </Grid>
      {events.length > 0 && (
        <Grid item xs={12}>
          <Table
            title={`Recent warning events (${events.length})`}
            options={{
              paging: events.length > 10,
              pageSize: 10,
              search: false,
              padding: 'dense',
            }}
            columns={eventColumns}
            data={events}
          />
        </Grid>
      )}
    </Grid>
  );
}

/** The entity tab "Cluster Ops": the entity's workloads on every cluster, with actions. */
export function ClusterOpsContent() {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(clustersApiRef);
  const alertApi = useApi(alertApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.getEntityWorkloads(entityRef),
    [api, entityRef],
  );
  const [pending, setPending] = useState<PendingAction | undefined>();
  const [replicas, setReplicas] = useState('');
  const [revision, setRevision] = useState('');
  const [logs, setLogs] = useState<
    { cluster: string; pod: PodSummary } | undefined
  >();

  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;

  const found = value.clusters.some(c => c.namespaces.length > 0);

  const run = async () => {
    if (!pending) return;
    let message: string;
    if (pending.type === 'delete') {
      message = (
        await api.deletePod({
          entityRef,
          cluster: pending.cluster,
          namespace: pending.pod.namespace,
          pod: pending.pod.name,
        })
      ).message;
    } else if (pending.type === 'scale') {
      message = (await api.scale(pending.target, Number(replicas))).message;
    } else if (pending.type === 'restart') {
      message = (await api.restart(pending.target)).message;
    } else if (pending.type === 'rollback') {
      message = (
        await api.rollback(
          pending.target,
          revision === '' ? undefined : Number(revision),
        )
      ).message;
    } else {
      return; // the YAML dialog applies by itself
    }
    alertApi.post({ message, severity: 'success', display: 'transient' });
    retry();
  };

  const openAction = (a: PendingAction) => {
    if (a.type === 'scale')
      setReplicas(String(a.workload.desiredReplicas ?? 1));
    if (a.type === 'rollback') setRevision('');
    setPending(a);
  };

  const replicasValid = /^\d+$/.test(replicas) && Number(replicas) <= 1000;
  const revisionValid = revision === '' || /^\d+$/.test(revision);

  return (
    <Box>
      <Box display="flex" alignItems="center" mb={2}>
        <Typography variant="body2" style={{ flexGrow: 1 }}>
          Objects labelled <code>{value.labelSelector}</code> on{' '}
          {value.clusters.length} cluster(s)
        </Typography>
        <Button startIcon={<RefreshIcon />} onClick={retry} disabled={loading}>
          Refresh
        </Button>
      </Box>
      {value.clusters
        .filter(c => c.error)
        .map(c => (
          <Box key={`error-${c.cluster}`} mb={2}>
            <WarningPanel
              title={`Cluster ${c.cluster} could not be read`}
              message={c.error}
            />
          </Box>
        ))}
      {!found && (
        <EmptyState
          missing="data"
          title="No workloads found"
          description={`No Kubernetes objects labelled ${value.labelSelector} on any cluster the portal knows. Label your workloads (or set the backstage.io/kubernetes-label-selector annotation) to see them here.`}
        />
      )}
      {value.clusters.map(c =>
        c.namespaces.map(ns => (
          <Box key={`${c.cluster}/${ns.namespace}`} mb={3}>
            <InfoCard title={`${c.cluster} · ${ns.namespace}`} noPadding>
              <NamespaceSection
                entityRef={entityRef}
                cluster={c.cluster}
                namespace={ns.namespace}
                workloads={ns.workloads}
                otherPods={ns.otherPods}
                onAction={openAction}
                onLogs={pod => setLogs({ cluster: c.cluster, pod })}
              />
            </InfoCard>
          </Box>
        )),
      )}

      {pending?.type === 'scale' && (
        <ActionDialog
          open
          title={`Scale ${pending.workload.name}`}
          description={`${pending.target.cluster} / ${
            pending.target.namespace
          }: currently ${pending.workload.desiredReplicas ?? 0} replica(s).`}
          confirmLabel="Scale"
          confirmDisabled={!replicasValid}
          onConfirm={run}
          onClose={() => setPending(undefined)}
        >
          <TextField
            id="kubemate-scale-replicas"
            fullWidth
            label="Replicas"
            value={replicas}
            onChange={e => setReplicas(e.target.value)}
            error={!replicasValid}
            helperText={replicasValid ? ' ' : 'A whole number from 0 to 1000'}
            inputProps={{ inputMode: 'numeric' }}
          />
        </ActionDialog>
      )}
      {pending?.type === 'restart' && (
        <ActionDialog
          open
          title={`Restart ${pending.workload.name}?`}
          description={`A rolling restart replaces every pod of ${pending.workload.name} in ${pending.target.cluster} / ${pending.target.namespace}.`}
          confirmLabel="Restart"
          destructive
          onConfirm={run}
          onClose={() => setPending(undefined)}
        />
      )}
      {pending?.type === 'rollback' && (
        <ActionDialog
          open
          title={`Roll back ${pending.workload.name}?`}
          description={`Restores the pod template of an earlier revision (current: ${
            pending.workload.revision ?? 'unknown'
          }).`}
          confirmLabel="Roll back"
          destructive
          confirmDisabled={!revisionValid}
          onConfirm={run}
          onClose={() => setPending(undefined)}
        >
          <TextField
            id="kubemate-rollback-revision"
            fullWidth
            label="Revision (empty: the previous one)"
            value={revision}
            onChange={e => setRevision(e.target.value)}
            error={!revisionValid}
            helperText={revisionValid ? ' ' : 'A revision number'}
          />
        </ActionDialog>
      )}
      {pending?.type === 'delete' && (
        <ActionDialog
          open
          title={`Delete pod ${pending.pod.name}?`}
          description="Its controller creates a replacement; the pod's current state and logs are lost."
          confirmLabel="Delete"
          destructive
          onConfirm={run}
          onClose={() => setPending(undefined)}
        />
      )}
      {pending?.type === 'yaml' && (
        <YamlDialog
          target={pending.target}
          onClose={() => setPending(undefined)}
          onApplied={message => {
            alertApi.post({
              message,
              severity: 'success',
              display: 'transient',
            });
            retry();
          }}
        />
      )}
      {logs && (
        <LogsDrawer
          entityRef={entityRef}
          cluster={logs.cluster}
          pod={logs.pod}
          onClose={() => setLogs(undefined)}
        />
      )}
    </Box>
  );
}
