import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  Tooltip,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import AddIcon from '@material-ui/icons/Add';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  PermissionButton,
  usePermissionGate,
} from '@kubemate/plugin-kubemate-react';
import {
  rbacMemberUpdatePermission,
  rbacRoleCreatePermission,
  rbacRoleDeletePermission,
  rbacRoleUpdatePermission,
  rbacSyncReadPermission,
  Role,
  RoleSpec,
  RoleSyncState,
} from '@kubemate/plugin-rbac-common';
import { rbacApiRef } from '../api/RbacApi';
import { readOnlyReason, scopeText, shortRef, SOURCE_LABEL } from './format';
import { EMPTY_ROLE, RoleEditor } from './RoleEditor';
import { MembersPicker } from './MembersPicker';
import { useSubmit } from './useSubmit';

type Dialogs =
  | { type: 'create' }
  | { type: 'edit'; role: Role }
  | { type: 'members'; role: Role }
  | { type: 'delete'; role: Role };

function specOf(role: Role): RoleSpec {
  const { name, title, description, scope, permissions, members } = role;
  return { name, title, description, scope, permissions, members };
}

function SyncCell(props: { state?: RoleSyncState }) {
  if (!props.state) return <Typography variant="caption">–</Typography>;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {props.state.clusters.map(c => {
        let color: 'default' | 'primary' | 'secondary' = 'default';
        if (c.state === 'in-sync') color = 'primary';
        if (c.state === 'error') color = 'secondary';
        return (
          <Tooltip
            key={c.cluster}
            title={c.error ?? `${c.objects} Kubernetes object(s)`}
          >
            <Chip
              size="small"
              color={color}
              label={`${c.cluster}: ${c.state}`}
            />
          </Tooltip>
        );
      })}
    </Box>
  );
}

function MembersDialog(props: {
  role: Role;
  onSave: (members: string[]) => Promise<void>;
  onClose: () => void;
}) {
  const [members, setMembers] = useState(props.role.members);
  const submit = useSubmit(props.onSave);
  return (
    <Dialog open onClose={props.onClose} maxWidth="sm" fullWidth>
      <DialogTitle>Members of {props.role.name}</DialogTitle>
      <DialogContent dividers>
        <MembersPicker value={members} onChange={setMembers} />
        {submit.error && <Alert severity="error">{submit.error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={() => submit.run(members)}
          disabled={submit.busy}
        >
          {submit.busy ? 'Saving…' : 'Save'}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function DeleteDialog(props: {
  role: Role;
  onDelete: () => Promise<void>;
  onClose: () => void;
}) {
  const submit = useSubmit(props.onDelete);
  return (
    <Dialog open onClose={props.onClose}>
      <DialogTitle>Delete role {props.role.name}?</DialogTitle>
      <DialogContent>
        <Typography>
          Its {props.role.members.length} member(s) lose its permissions, and
          its Kubernetes Roles and bindings are removed at the next sync.
        </Typography>
        {submit.error && <Alert severity="error">{submit.error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>Cancel</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={submit.busy}
          onClick={() => submit.run()}
        >
          Delete
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The roles: where each comes from, its scope, members and Kubernetes sync state. */
export function RolesTab() {
  const api = useApi(rbacApiRef);
  const alertApi = useApi(alertApiRef);
  const [dialog, setDialog] = useState<Dialogs>();
  const canReadSync = usePermissionGate({ permission: rbacSyncReadPermission });
  const roles = useAsyncRetry(() => api.listRoles(), [api]);
  const permissions = useAsyncRetry(() => api.listPermissions(), [api]);
  const sync = useAsyncRetry(
    async () => (canReadSync.allowed ? api.syncStatus() : undefined),
    [api, canReadSync.allowed],
  );

  const done = (message: string) => {
    setDialog(undefined);
    alertApi.post({ message, severity: 'success', display: 'transient' });
    roles.retry();
    // the backend syncs after each change; show the new state once it has run
    setTimeout(() => sync.retry(), 1500);
  };

  if (roles.loading && !roles.value) return <Progress />;
  if (roles.error) return <ResponseErrorPanel error={roles.error} />;
  const items = roles.value?.items ?? [];
  const syncOf = new Map(sync.value?.roles.map(r => [r.role, r]) ?? []);

  const columns: TableColumn<Role>[] = [
    {
      title: 'Role',
      cellStyle: { minWidth: 200 },
      render: r => (
        <>
          <Typography variant="body2">
            <b>{r.name}</b>
          </Typography>
          {r.title && <Typography variant="caption">{r.title}</Typography>}
        </>
      ),
    },
    {
      title: 'Source',
      render: r => (
        <Tooltip title={r.location ?? ''}>
          <Chip
            size="small"
            variant="outlined"
            label={SOURCE_LABEL[r.source]}
          />
        </Tooltip>
      ),
    },
    {
      title: 'Scope',
      cellStyle: { minWidth: 120 },
      render: r => scopeText(r.scope),
    },
    {
      title: 'Permissions',
      render: r =>
        r.permissions.includes('*') ? (
          'every permission (*)'
        ) : (
          <Tooltip title={r.permissions.join(', ')}>
            <span>{r.permissions.length} permission(s)</span>
          </Tooltip>
        ),
    },
    {
      title: 'Members',
      render: r =>
        r.members.length ? r.members.map(shortRef).join(', ') : <i>none</i>,
    },
    ...(canReadSync.allowed && sync.value?.enabled
      ? [
          {
            title: 'Kubernetes',
            render: (r: Role) => <SyncCell state={syncOf.get(r.name)} />,
          },
        ]
      : []),
    {
      title: 'Actions',
      cellStyle: { whiteSpace: 'nowrap' },
      render: r => {
        const readOnly = r.editable ? undefined : readOnlyReason(r);
        return (
          <Box display="flex" style={{ gap: 8 }}>
            <PermissionButton
              permission={rbacRoleUpdatePermission}
              size="small"
              variant="outlined"
              aria-label={`Edit ${r.name}`}
              disabled={!r.editable || !permissions.value}
              disabledReason={readOnly ?? 'Loading the permission list…'}
              onClick={() => setDialog({ type: 'edit', role: r })}
            >
              Edit
            </PermissionButton>
            <PermissionButton
              permission={rbacMemberUpdatePermission}
              size="small"
              variant="outlined"
              aria-label={`Members of ${r.name}`}
              disabled={!r.editable}
              disabledReason={readOnly}
              onClick={() => setDialog({ type: 'members', role: r })}
            >
              Members
            </PermissionButton>
            <PermissionButton
              permission={rbacRoleDeletePermission}
              size="small"
              variant="outlined"
              aria-label={`Delete ${r.name}`}
              disabled={!r.editable}
              disabledReason={readOnly}
              onClick={() => setDialog({ type: 'delete', role: r })}
            >
              Delete
            </PermissionButton>
          </Box>
        );
      },
    },
  ];

  return (
    <>
      {roles.value?.conflicts.map(c => (
        <Box mb={2} key={`conflict-${c.name}`}>
          <WarningPanel
            title={`Role ${c.name} is defined twice`}
            message={c.message}
          />
        </Box>
      ))}
      {sync.value?.fileErrors.map(f => (
        <Box mb={2} key={`file-${f.path}`}>
          <WarningPanel
            title={`Role file ${f.path} could not be loaded; its last valid version stays in force`}
            message={f.error}
          />
        </Box>
      ))}
      {permissions.error && (
        <Box mb={2}>
          <WarningPanel
            title="The permission list could not be loaded; roles cannot be created or edited"
            message={permissions.error.message}
          />
        </Box>
      )}
      <Box display="flex" justifyContent="flex-end" mb={1}>
        <PermissionButton
          permission={rbacRoleCreatePermission}
          variant="contained"
          color="primary"
          startIcon={<AddIcon />}
          disabled={!permissions.value}
          disabledReason="Loading the permission list…"
          onClick={() => setDialog({ type: 'create' })}
        >
          Create role
        </PermissionButton>
      </Box>
      {items.length === 0 ? (
        <EmptyState
          missing="data"
          title="No roles yet"
          description="Everything is denied by default. Create a role, or declare roles in a role file (kubemate.rbac.roleFiles)."
        />
      ) : (
        <Table
          title={`Roles (${items.length})`}
          options={{ paging: false, search: true, padding: 'dense' }}
          columns={columns}
          data={items}
        />
      )}
      {dialog?.type === 'create' && permissions.value && (
        <RoleEditor
          mode="create"
          initial={EMPTY_ROLE}
          permissions={permissions.value}
          onClose={() => setDialog(undefined)}
          onSave={async spec => {
            await api.createRole(spec);
            done(`Role ${spec.name} created`);
          }}
        />
      )}
      {dialog?.type === 'edit' && permissions.value && (
        <RoleEditor
          mode="edit"
          initial={specOf(dialog.role)}
          permissions={permissions.value}
          onClose={() => setDialog(undefined)}
          onSave={async spec => {
            await api.updateRole(dialog.role.name, spec);
            done(`Role ${spec.name} saved`);
          }}
        />
      )}
      {dialog?.type === 'members' && (
        <MembersDialog
          role={dialog.role}
          onClose={() => setDialog(undefined)}
          onSave={async members => {
            await api.setMembers(dialog.role.name, members);
            done(`Members of ${dialog.role.name} saved`);
          }}
        />
      )}
      {dialog?.type === 'delete' && (
        <DeleteDialog
          role={dialog.role}
          onClose={() => setDialog(undefined)}
          onDelete={async () => {
            await api.deleteRole(dialog.role.name);
            done(`Role ${dialog.role.name} deleted`);
          }}
        />
      )}
    </>
  );
}
