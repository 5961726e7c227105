import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Box, Button, TextField } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { RbacAuditRecord } from '@kubemate/plugin-rbac-common';
import { rbacApiRef } from '../api/RbacApi';
import { when } from './format';

function summary(r: RbacAuditRecord): string {
  if (r.message) return r.message;
  const b = r.before as Record<string, unknown> | undefined;
  const a = r.after as Record<string, unknown> | undefined;
  if (!b || !a) return '';
  const changed = Object.keys({ ...b, ...a }).filter(
    k => JSON.stringify(b[k]) !== JSON.stringify(a[k]),
  );
  return changed
    .map(
      k =>
        `${k}: ${JSON.stringify(b[k] ?? null)} → ${JSON.stringify(
          a[k] ?? null,
        )}`,
    )
    .join('; ');
}

/** Who changed which role or membership, when, and what it was before. */
export function AuditTab() {
  const api = useApi(rbacApiRef);
  const [role, setRole] = useState('');
  const audit = useAsyncRetry(
    () => api.audit({ role: role.trim() || undefined, limit: 200 }),
    [api, role],
  );
  const columns: TableColumn<RbacAuditRecord>[] = [
    { title: 'When', render: r => when(r.createdAt), width: '180px' },
    { title: 'Who', field: 'actor' },
    { title: 'Action', field: 'action' },
    { title: 'Role', field: 'role' },
    {
      title: 'Change',
      render: r => summary(r),
      cellStyle: { wordBreak: 'break-word' },
    },
  ];
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
        <TextField
          id="audit-role-filter"
          label="Filter by role"
          value={role}
          onChange={e => setRole(e.target.value)}
          margin="dense"
        />
        <Button startIcon={<RefreshIcon />} onClick={audit.retry}>
          Refresh
        </Button>
      </Box>
      {audit.error ? (
        <ResponseErrorPanel error={audit.error} />
      ) : (
        <Table
          title="RBAC audit log"
          isLoading={audit.loading}
          options={{
            paging: true,
            pageSize: 20,
            search: false,
            padding: 'dense',
          }}
          columns={columns}
          data={audit.value?.items ?? []}
          emptyContent={
            <Box p={2}>
              No changes recorded{role ? ` for role ${role}` : ''} yet.
            </Box>
          }
        />
      )}
    </>
  );
}
