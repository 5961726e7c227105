import { Box } from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import SubjectIcon from '@material-ui/icons/Subject';
import { Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  clustersPodDeletePermission,
  clustersPodLogsPermission,
  PodSummary,
} from '@kubemate/plugin-clusters-common';
import { age } from '../../lib/format';
import { ActionButton } from '../ActionButton';
import { HealthChip } from '../HealthChip';
import { clustersTranslationRef } from '../../translation';

/** Pods with their status, restarts, age and node, and the logs and delete actions. */
export function PodsTable(props: {
  cluster: string;
  pods: PodSummary[];
  onLogs: (pod: PodSummary) => void;
  onDelete: (pod: PodSummary) => void;
}) {
  const { cluster, pods } = props;
  const { t } = useTranslationRef(clustersTranslationRef);
  const columns: TableColumn<PodSummary>[] = [
    { title: t('pods.columns.pod'), field: 'name' },
    {
      title: t('pods.columns.status'),
      render: p => <HealthChip health={p.health} />,
    },
    { title: t('pods.columns.phase'), field: 'phase' },
    { title: t('pods.columns.restarts'), field: 'restarts', type: 'numeric' },
    { title: t('pods.columns.age'), render: p => age(p.createdAt) },
    { title: t('pods.columns.node'), field: 'nodeName' },
    {
      title: t('common.actions'),
      cellStyle: { whiteSpace: 'nowrap' },
      render: p => {
        const object = {
          cluster,
          namespace: p.namespace,
          resource: 'pods',
          name: p.name,
        };
        return (
          <Box display="flex" style={{ gap: 8 }}>
            <ActionButton
              permission={clustersPodLogsPermission}
              object={object}
              label={t('actions.logs')}
              ariaLabel={t('actions.logsAria', { name: p.name })}
              icon={<SubjectIcon />}
              onClick={() => props.onLogs(p)}
            />
            <ActionButton
              permission={clustersPodDeletePermission}
              object={object}
              label={t('actions.delete')}
              ariaLabel={t('actions.deleteAria', { name: p.name })}
              icon={<DeleteIcon />}
              onClick={() => props.onDelete(p)}
            />
          </Box>
        );
      },
    },
  ];
  return (
    <Table
      title={t('pods.title', { total: String(pods.length) })}
      options={{
        paging: pods.length > 20,
        pageSize: 20,
        search: pods.length > 20,
        padding: 'dense',
      }}
      columns={columns}
      data={pods}
    />
  );
}
