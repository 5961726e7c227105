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
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  PermissionButton,
  TranslatedErrorPanel,
  useErrorMessage,
  usePermissionGate,
} from '@kubemate/plugin-kubemate-react';
import {
  BOOTSTRAP_ROLE,
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
import { readOnlyReason, scopeText, shortRef, sourceLabel } from './format';
import { EMPTY_ROLE, RoleEditor } from './RoleEditor';
import { MembersPicker } from './MembersPicker';
import { useSubmit } from './useSubmit';
import { rbacTranslationRef } from '../translation';

/** The message keys of the clusters' sync states. */
const SYNC_STATE_KEYS = {
  'in-sync': 'inSync',
  error: 'error',
  'not-configured': 'notConfigured',
  'nothing-to-sync': 'nothingToSync',
} as const;

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
  const { t } = useTranslationRef(rbacTranslationRef);
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
            title={c.error ?? t('roles.objects', { count: c.objects })}
          >
            <Chip
              size="small"
              color={color}
              label={t('roles.syncChip', {
                cluster: c.cluster,
                state: SYNC_STATE_KEYS[c.state]
                  ? t(`roles.syncStates.${SYNC_STATE_KEYS[c.state]}`)
                  : c.state,
              })}
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
  const { t } = useTranslationRef(rbacTranslationRef);
  const [members, setMembers] = useState(props.role.members);
  const submit = useSubmit(props.onSave);
  return (
    <Dialog open onClose={props.onClose} maxWidth="sm" fullWidth>
      <DialogTitle>
        {t('roles.membersDialogTitle', { role: props.role.name })}
      </DialogTitle>
      <DialogContent dividers>
        <MembersPicker value={members} onChange={setMembers} />
        {submit.error && <Alert severity="error">{submit.error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('common.cancel')}</Button>
        <Button
          color="primary"
          variant="contained"
          onClick={() => submit.run(members)}
          disabled={submit.busy}
        >
          {submit.busy ? t('common.saving') : t('common.save')}
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
  const { t } = useTranslationRef(rbacTranslationRef);
  const submit = useSubmit(props.onDelete);
  return (
    <Dialog open onClose={props.onClose}>
      <DialogTitle>
        {t('roles.deleteDialogTitle', { role: props.role.name })}
      </DialogTitle>
      <DialogContent>
        <Typography>
          {t('roles.deleteDialogText', { count: props.role.members.length })}
        </Typography>
        {submit.error && <Alert severity="error">{submit.error}</Alert>}
      </DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('common.cancel')}</Button>
        <Button
          color="secondary"
          variant="contained"
          disabled={submit.busy}
          onClick={() => submit.run()}
        >
          {t('common.delete')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** The roles: where each comes from, its scope, members and Kubernetes sync state. */
export function RolesTab() {
  const { t } = useTranslationRef(rbacTranslationRef);
  const errorMessage = useErrorMessage();
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
  if (roles.error) return <TranslatedErrorPanel error={roles.error} />;
  const items = roles.value?.items ?? [];
  const syncOf = new Map(sync.value?.roles.map(r => [r.role, r]) ?? []);

  const columns: TableColumn<Role>[] = [
    {
      title: t('common.role'),
      cellStyle: { minWidth: 200 },
      render: r => (
        <>
          <Typography variant="body2">
            <b>{r.name}</b>
          </Typography>
          {r.title && (
            <Typography variant="caption">
              {/* the built-in role's title is the portal's own text; others are the admins' */}
              {r.name === BOOTSTRAP_ROLE ? t('roles.bootstrapTitle') : r.title}
            </Typography>
          )}
        </>
      ),
    },
    {
      title: t('roles.source'),
      render: r => (
        <Tooltip title={r.location ?? ''}>
          <Chip
            size="small"
            variant="outlined"
            label={sourceLabel(r.source, t)}
          />
        </Tooltip>
      ),
    },
    {
      title: t('roles.scope'),
      cellStyle: { minWidth: 120 },
      render: r => scopeText(r.scope, t),
    },
    {
      title: t('roles.permissions'),
      render: r =>
        r.permissions.includes('*') ? (
          t('roles.everyPermission')
        ) : (
          <Tooltip title={r.permissions.join(', ')}>
            <span>
              {t('roles.permissionCount', { count: r.permissions.length })}
            </span>
          </Tooltip>
        ),
    },
    {
      title: t('roles.members'),
      render: r =>
        r.members.length ? (
          r.members.map(shortRef).join(', ')
        ) : (
          <i>{t('common.none')}</i>
        ),
    },
    ...(canReadSync.allowed && sync.value?.enabled
      ? [
          {
            title: t('roles.kubernetes'),
            render: (r: Role) => <SyncCell state={syncOf.get(r.name)} />,
          },
        ]
      : []),
    {
      title: t('roles.actions'),
      cellStyle: { whiteSpace: 'nowrap' },
      render: r => {
        const readOnly = r.editable ? undefined : readOnlyReason(r, t);
        return (
          <Box display="flex" style={{ gap: 8 }}>
            <PermissionButton
              permission={rbacRoleUpdatePermission}
              size="small"
              variant="outlined"
              aria-label={t('roles.editAria', { role: r.name })}
              disabled={!r.editable || !permissions.value}
              disabledReason={readOnly ?? t('roles.loadingPermissions')}
              onClick={() => setDialog({ type: 'edit', role: r })}
            >
              {t('roles.edit')}
            </PermissionButton>
            <PermissionButton
              permission={rbacMemberUpdatePermission}
              size="small"
              variant="outlined"
              aria-label={t('roles.membersAria', { role: r.name })}
              disabled={!r.editable}
              disabledReason={readOnly}
              onClick={() => setDialog({ type: 'members', role: r })}
            >
              {t('roles.members')}
            </PermissionButton>
            <PermissionButton
              permission={rbacRoleDeletePermission}
              size="small"
              variant="outlined"
              aria-label={t('roles.deleteAria', { role: r.name })}
              disabled={!r.editable}
              disabledReason={readOnly}
              onClick={() => setDialog({ type: 'delete', role: r })}
            >
              {t('common.delete')}
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
            title={t('roles.conflict', { name: c.name })}
            message={c.message}
          />
        </Box>
      ))}
      {sync.value?.fileErrors.map(f => (
        <Box mb={2} key={`file-${f.path}`}>
          <WarningPanel
            title={t('roles.fileError', { path: f.path })}
            message={f.error}
          />
        </Box>
      ))}
      {permissions.error && (
        <Box mb={2}>
          <WarningPanel
            title={t('roles.permissionsError')}
            message={errorMessage(permissions.error)}
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
          disabledReason={t('roles.loadingPermissions')}
          onClick={() => setDialog({ type: 'create' })}
        >
          {t('roles.create')}
        </PermissionButton>
      </Box>
      {items.length === 0 ? (
        <EmptyState
          missing="data"
          title={t('roles.emptyTitle')}
          description={t('roles.emptyDescription')}
        />
      ) : (
        <Table
          title={t('roles.tableTitle', { total: String(items.length) })}
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
            done(t('roles.created', { name: spec.name }));
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
            done(t('roles.saved', { name: spec.name }));
          }}
        />
      )}
      {dialog?.type === 'members' && (
        <MembersDialog
          role={dialog.role}
          onClose={() => setDialog(undefined)}
          onSave={async members => {
            await api.setMembers(dialog.role.name, members);
            done(t('roles.membersSaved', { role: dialog.role.name }));
          }}
        />
      )}
      {dialog?.type === 'delete' && (
        <DeleteDialog
          role={dialog.role}
          onClose={() => setDialog(undefined)}
          onDelete={async () => {
            await api.deleteRole(dialog.role.name);
            done(t('roles.deleted', { role: dialog.role.name }));
          }}
        />
      )}
    </>
  );
}
