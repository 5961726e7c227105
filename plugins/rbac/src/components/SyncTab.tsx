import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Box, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import SyncIcon from '@material-ui/icons/Sync';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { PermissionButton } from '@kubemate/plugin-kubemate-react';
import {
  rbacSyncRunPermission,
  SyncChange,
} from '@kubemate/plugin-rbac-common';
import { rbacApiRef } from '../api/RbacApi';
import { when } from './format';
import { useSubmit } from './useSubmit';

type TimedChange = SyncChange & { at: string };

const columns: TableColumn<TimedChange>[] = [
  { title: 'When', render: c => when(c.at), width: '180px' },
  { title: 'Cluster', field: 'cluster' },
  { title: 'Change', field: 'change' },
  { title: 'Kind', field: 'kind' },
  {
    title: 'Object',
    render: c => (c.namespace ? `${c.namespace}/${c.name}` : c.name),
  },
  { title: 'Role', field: 'role' },
  { title: 'Detail', field: 'detail' },
];

/** The Kubernetes RBAC the roles are translated to: per-cluster state, changes and drift. */
export function SyncTab() {
  const api = useApi(rbacApiRef);
  const status = useAsyncRetry(() => api.syncStatus(), [api]);
  const sync = useSubmit(async () => {
    await api.runSync();
    status.retry();
  });

  if (status.loading && !status.value) return <Progress />;
  if (status.error) return <ResponseErrorPanel error={status.error} />;
  const s = status.value!;
  if (!s.enabled) {
    return (
      <EmptyState
        missing="content"
        title="The Kubernetes sync is off"
        description="Configure kubemate.rbac.kubernetes.credentials (a token per cluster allowed to manage RBAC) to translate roles into Kubernetes Roles and RoleBindings."
      />
    );
  }
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={2}>
        <Typography variant="body2">
          Clusters: {s.clusters.join(', ') || 'none'} ·{' '}
          {s.lastRun
            ? `last run ${when(s.lastRun.finishedAt)}: ${
                s.lastRun.changes.length
              } change(s), ${s.lastRun.drift.length} drift repair(s), ${
                s.lastRun.errors.length
              } error(s)`
            : 'not run yet'}
        </Typography>
        <PermissionButton
          permission={rbacSyncRunPermission}
          variant="outlined"
          startIcon={<SyncIcon />}
          disabled={sync.busy}
          disabledReason="Syncing…"
          onClick={() => sync.run()}
        >
          Sync now
        </PermissionButton>
      </Box>
      {sync.error && (
        <Box mb={2}>
          <Alert severity="error">{sync.error}</Alert>
        </Box>
      )}
      {s.lastRun?.errors.map(e => (
        <Box mb={2} key={e.cluster}>
          <WarningPanel
            title={`Cluster ${e.cluster} could not be synced`}
            message={e.error}
          />
        </Box>
      ))}
      <Box mb={2}>
        <Table
          title="Drift repaired (objects changed or deleted by hand)"
          options={{
            paging: true,
            pageSize: 10,
            search: false,
            padding: 'dense',
          }}
          columns={columns}
          data={s.recentDrift}
          emptyContent={
            <Box p={2}>
              No drift: nobody changed the managed objects by hand.
            </Box>
          }
        />
      </Box>
      <Table
        title="Recent changes"
        options={{ paging: true, pageSize: 20, search: true, padding: 'dense' }}
        columns={columns}
        data={s.recentChanges}
        emptyContent={
          <Box p={2}>No changes yet: Kubernetes matches the roles.</Box>
        }
      />
    </>
  );
}
