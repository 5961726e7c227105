import { useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Box, Button, TextField } from '@material-ui/core';
import RefreshIcon from '@material-ui/icons/Refresh';
import { Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  TranslatedErrorPanel,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
import type { RbacAuditRecord, SyncChange } from '@kubemate/plugin-rbac-common';
import { rbacApiRef } from '../api/RbacApi';
import { when } from './format';
import { rbacTranslationRef, type RbacT } from '../translation';

/** The audit actions the backend records, by their message key (others show as recorded). */
const ACTION_KEYS = {
  'role.create': 'roleCreate',
  'role.update': 'roleUpdate',
  'role.members.update': 'roleMembersUpdate',
  'role.delete': 'roleDelete',
  'sync.run': 'syncRun',
  'sync.drift-restored': 'syncDriftRestored',
} as const;

function actionText(action: string, t: RbacT): string {
  const key = ACTION_KEYS[action as keyof typeof ACTION_KEYS];
  return key ? t(`audit.actions.${key}`) : action;
}

const count = (v: unknown) => (typeof v === 'number' ? v : undefined);

/** A sync run's counts or a drift repair in the reader's language; other messages as recorded. */
function worded(r: RbacAuditRecord, t: RbacT): string | undefined {
  const a = (r.after ?? {}) as Record<string, unknown>;
  if (r.action === 'sync.run') {
    const [changes, drift, errors] = [a.changes, a.drift, a.errors].map(count);
    if (changes === undefined || drift === undefined || errors === undefined) {
      return undefined;
    }
    return t('audit.syncRunSummary', {
      changes: String(changes),
      drift: String(drift),
      errors: String(errors),
    });
  }
  if (r.action === 'sync.drift-restored') {
    const c = a as Partial<SyncChange>;
    if (!c.cause || !c.cluster || !c.kind || !c.name) return undefined;
    return t('audit.driftRestored', {
      cluster: c.cluster,
      kind: c.kind,
      object: c.namespace ? `${c.namespace}/${c.name}` : c.name,
      cause: t(`sync.causes.${c.cause}`),
    });
  }
  return undefined;
}

function summary(r: RbacAuditRecord, t: RbacT): string {
  const w = worded(r, t);
  if (w) return w;
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
  const { t } = useTranslationRef(rbacTranslationRef);
  const format = useFormatters();
  const api = useApi(rbacApiRef);
  const [role, setRole] = useState('');
  const audit = useAsyncRetry(
    () => api.audit({ role: role.trim() || undefined, limit: 200 }),
    [api, role],
  );
  const columns: TableColumn<RbacAuditRecord>[] = [
    {
      title: t('common.when'),
      render: r => when(format, r.createdAt),
      width: '180px',
    },
    { title: t('audit.who'), field: 'actor' },
    {
      title: t('audit.action'),
      field: 'action',
      render: r => actionText(r.action, t),
    },
    { title: t('common.role'), field: 'role' },
    {
      title: t('common.change'),
      render: r => summary(r, t),
      cellStyle: { wordBreak: 'break-word' },
    },
  ];
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={1}>
        <TextField
          id="audit-role-filter"
          label={t('audit.filter')}
          value={role}
          onChange={e => setRole(e.target.value)}
          margin="dense"
        />
        <Button startIcon={<RefreshIcon />} onClick={audit.retry}>
          {t('common.refresh')}
        </Button>
      </Box>
      {audit.error ? (
        <TranslatedErrorPanel error={audit.error} />
      ) : (
        <Table
          title={t('audit.title')}
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
              {role ? t('audit.emptyForRole', { role }) : t('audit.empty')}
            </Box>
          }
        />
      )}
    </>
  );
}
