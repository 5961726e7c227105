import { Box } from '@material-ui/core';
import DeleteIcon from '@material-ui/icons/Delete';
import SubjectIcon from '@material-ui/icons/Subject';
import { Table, TableColumn } from '@backstage/core-components';
import {
  clustersPodDeletePermission,
  clustersPodLogsPermission,
  PodSummary,
} from '@kubemate/plugin-clusters-common';
import { age } from '../../lib/format';
import { ActionButton } from '../ActionButton';
import { HealthChip } from '../HealthChip';

/** Pods with their status, restarts, age and node, and the logs and delete actions. */
export function PodsTable(props: {
  cluster: string;
  pods: PodSummary[];
  onLogs: (pod: PodSummary) => void;
  onDelete: (pod: PodSummary) => void;
}) {
  const { cluster, pods } = props;
  const columns: TableColumn<PodSummary>[] = [
    { title: 'Pod', field: 'name' },
    { title: 'Status', render: p => <HealthChip health={p.health} /> },
    { title: 'Phase', field: 'phase' },
    { title: 'Restarts', field: 'restarts', type: 'numeric' },
    { title: 'Age', render: p => age(p.createdAt) },
    { title: 'Node', field: 'nodeName' },
    {
      title: 'Actions',
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
              label="Logs"
              ariaLabel={`Logs of ${p.name}`}
              icon={<SubjectIcon />}
              onClick={() => props.onLogs(p)}
            />
            <ActionButton
              permission={clustersPodDeletePermission}
              object={object}
              label="Delete"
              ariaLabel={`Delete ${p.name}`}
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
      title={`Pods (${pods.length})`}
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
