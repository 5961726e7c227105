import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { Box, Typography } from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import SyncIcon from '@material-ui/icons/Sync';
import {
  EmptyState,
  Progress,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  type Formatters,
  PermissionButton,
  TranslatedErrorPanel,
  useFormatters,
} from '@kubemate/plugin-kubemate-react';
import {
  rbacSyncRunPermission,
  SyncChange,
} from '@kubemate/plugin-rbac-common';
import { rbacApiRef } from '../api/RbacApi';
import { when } from './format';
import { useSubmit } from './useSubmit';
import { rbacTranslationRef, type RbacT } from '../translation';

type TimedChange = SyncChange & { at: string };

function columnsOf(t: RbacT, format: Formatters): TableColumn<TimedChange>[] {
  return [
    {
      title: t('common.when'),
      render: c => when(format, c.at),
      width: '180px',
    },
    { title: t('sync.cluster'), field: 'cluster' },
    {
      title: t('common.change'),
      field: 'change',
      render: c => t(`sync.changes.${c.change}`),
    },
    { title: t('sync.kind'), field: 'kind' },
    {
      title: t('sync.object'),
      render: c => (c.namespace ? `${c.namespace}/${c.name}` : c.name),
    },
    { title: t('common.role'), field: 'role' },
    {
      title: t('sync.detail'),
      field: 'detail',
      render: c => (c.cause ? t(`sync.causes.${c.cause}`) : c.detail),
    },
  ];
}

/** The Kubernetes RBAC the roles are translated to: per-cluster state, changes and drift. */
export function SyncTab() {
  const { t } = useTranslationRef(rbacTranslationRef);
  const format = useFormatters();
  const columns = columnsOf(t, format);
  const api = useApi(rbacApiRef);
  const status = useAsyncRetry(() => api.syncStatus(), [api]);
  const sync = useSubmit(async () => {
    await api.runSync();
    status.retry();
  });

  if (status.loading && !status.value) return <Progress />;
  if (status.error) return <TranslatedErrorPanel error={status.error} />;
  const s = status.value!;
  if (!s.enabled) {
    return (
      <EmptyState
        missing="content"
        title={t('sync.offTitle')}
        description={t('sync.offDescription')}
      />
    );
  }
  return (
    <>
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={2}>
        <Typography variant="body2">
          {s.lastRun
            ? t('sync.summaryLastRun', {
                clusters: s.clusters.join(', ') || t('common.none'),
                time: when(format, s.lastRun.finishedAt),
                changes: format.number(s.lastRun.changes.length),
                drift: format.number(s.lastRun.drift.length),
                errors: format.number(s.lastRun.errors.length),
              })
            : t('sync.summaryNotRun', {
                clusters: s.clusters.join(', ') || t('common.none'),
              })}
        </Typography>
        <PermissionButton
          permission={rbacSyncRunPermission}
          variant="outlined"
          startIcon={<SyncIcon />}
          disabled={sync.busy}
          disabledReason={t('sync.syncing')}
          onClick={() => sync.run()}
        >
          {t('sync.syncNow')}
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
            title={t('sync.clusterError', { cluster: e.cluster })}
            message={e.error}
          />
        </Box>
      ))}
      <Box mb={2}>
        <Table
          title={t('sync.driftTitle')}
          options={{
            paging: true,
            pageSize: 10,
            search: false,
            padding: 'dense',
          }}
          columns={columns}
          data={s.recentDrift}
          emptyContent={<Box p={2}>{t('sync.noDrift')}</Box>}
        />
      </Box>
      <Table
        title={t('sync.recentTitle')}
        options={{ paging: true, pageSize: 20, search: true, padding: 'dense' }}
        columns={columns}
        data={s.recentChanges}
        emptyContent={<Box p={2}>{t('sync.noChanges')}</Box>}
      />
    </>
  );
}
