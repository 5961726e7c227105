import { Box } from '@material-ui/core';
import ReplayIcon from '@material-ui/icons/Replay';
import HistoryIcon from '@material-ui/icons/History';
import LinearScaleIcon from '@material-ui/icons/LinearScale';
import CodeIcon from '@material-ui/icons/Code';
import { Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  clustersResourcesReadPermission,
  clustersWorkloadRestartPermission,
  clustersWorkloadRollbackPermission,
  clustersWorkloadScalePermission,
  WorkloadSummary,
} from '@kubemate/plugin-clusters-common';
import { EntityWorkloadTarget } from '../../api/ClustersApi';
import type { PendingAction } from '../../hooks/useClusterAction';
import { resourceOf } from '../../lib/format';
import { ActionButton } from '../ActionButton';
import { HealthChip } from '../HealthChip';
import { clustersTranslationRef } from '../../translation';

function WorkloadActions(props: {
  entityRef: string;
  cluster: string;
  workload: WorkloadSummary;
  onAction: (a: PendingAction) => void;
}) {
  const { entityRef, cluster, workload: w } = props;
  const { t } = useTranslationRef(clustersTranslationRef);
  const resource = resourceOf[w.kind];
  if (!resource) return null;
  const target: EntityWorkloadTarget = {
    entityRef,
    cluster,
    namespace: w.namespace,
    resource,
    name: w.name,
  };
  const object = { cluster, namespace: w.namespace, resource, name: w.name };
  const act = (type: 'scale' | 'restart' | 'rollback' | 'yaml') => () =>
    props.onAction({ type, target, workload: w });
  return (
    <Box display="flex" style={{ gap: 8 }}>
      {resource !== 'daemonsets' && (
        <ActionButton
          permission={clustersWorkloadScalePermission}
          object={object}
          label={t('actions.scale')}
          ariaLabel={t('actions.scaleAria', { name: w.name })}
          icon={<LinearScaleIcon />}
          onClick={act('scale')}
        />
      )}
      <ActionButton
        permission={clustersWorkloadRestartPermission}
        object={object}
        label={t('actions.restart')}
        ariaLabel={t('actions.restartAria', { name: w.name })}
        icon={<ReplayIcon />}
        onClick={act('restart')}
      />
      <ActionButton
        permission={clustersResourcesReadPermission}
        object={object}
        label="YAML"
        ariaLabel={t('actions.yamlAria', { name: w.name })}
        icon={<CodeIcon />}
        onClick={act('yaml')}
      />
      {resource === 'deployments' && (
        <ActionButton
          permission={clustersWorkloadRollbackPermission}
          object={object}
          label={t('actions.rollback')}
          ariaLabel={t('actions.rollbackAria', { name: w.name })}
          icon={<HistoryIcon />}
          onClick={act('rollback')}
        />
      )}
    </Box>
  );
}

/** The workloads of one namespace: readiness, health, revision, images and their actions. */
export function WorkloadsTable(props: {
  entityRef: string;
  cluster: string;
  namespace: string;
  workloads: WorkloadSummary[];
  onAction: (a: PendingAction) => void;
}) {
  const { t } = useTranslationRef(clustersTranslationRef);
  const columns: TableColumn<WorkloadSummary>[] = [
    { title: t('workloads.columns.workload'), render: w => <b>{w.name}</b> },
    { title: t('workloads.columns.kind'), field: 'kind' },
    {
      title: t('workloads.columns.ready'),
      render: w =>
        w.desiredReplicas === undefined
          ? ''
          : `${w.readyReplicas ?? 0}/${w.desiredReplicas}`,
    },
    {
      title: t('workloads.columns.health'),
      render: w => <HealthChip health={w.health} />,
    },
    { title: t('workloads.columns.revision'), field: 'revision' },
    {
      title: t('workloads.columns.images'),
      render: w => w.images.join(', '),
      cellStyle: { wordBreak: 'break-all' },
    },
    {
      title: t('common.actions'),
      cellStyle: { whiteSpace: 'nowrap' },
      render: w => (
        <WorkloadActions
          entityRef={props.entityRef}
          cluster={props.cluster}
          workload={w}
          onAction={props.onAction}
        />
      ),
    },
  ];
  return (
    <Table
      title={t('workloads.title', {
        cluster: props.cluster,
        namespace: props.namespace,
      })}
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={props.workloads}
    />
  );
}
