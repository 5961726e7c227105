import { useState } from 'react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
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
  TranslatedErrorPanel,
  useErrorMessage,
  useFormatters,
  usePolledAsync,
} from '@kubemate/plugin-kubemate-react';
import type { DevStackServer } from '@kubemate/plugin-localstack-common';
import { localstackApiRef } from '../../api';
import { LogDialog } from '../LogDialog';
import { ago, describeServerText, describeStackText } from './format';
import { localstackTranslationRef } from '../../translation';
import { StateChip } from './StateChip';

/** How often the page reads the servers again while a `stack.sh build/up` is running. */
export const REFRESH_MS = 3_000;
/** … and otherwise, to notice a new run. */
export const IDLE_REFRESH_MS = 15_000;

/**
 * The local stack's servers, their states and logs; read again every 3 s while it is working,
 * every 15 s otherwise (a new `stack.sh up` may start).
 */
export function LocalStackServers() {
  const { t } = useTranslationRef(localstackTranslationRef);
  const format = useFormatters();
  const errorMessage = useErrorMessage();
  const api = useApi(localstackApiRef);
  const servers = usePolledAsync(
    () => api.servers(),
    [api],
    v => {
      if (!v?.configured) return undefined;
      return v.running ? REFRESH_MS : IDLE_REFRESH_MS;
    },
  );
  const [logOf, setLogOf] = useState<DevStackServer>();
  const { value, error } = servers;

  if (!value) {
    if (error) return <TranslatedErrorPanel error={error} />;
    return <Progress />;
  }
  if (!value.configured) {
    return (
      <EmptyState
        missing="info"
        title={t('servers.notConfiguredTitle')}
        description={t('servers.notConfiguredDescription')}
      />
    );
  }
  const refresh = (
    <Button variant="outlined" onClick={servers.retry}>
      {t('servers.refresh')}
    </Button>
  );
  if (value.servers.length === 0) {
    return (
      <EmptyState
        missing="data"
        title={t('servers.notStartedTitle')}
        description={t('servers.notStartedDescription')}
        action={refresh}
      />
    );
  }

  /** Each server with its title in the user's language (by id; a server the ref does not know keeps stack.sh's). */
  const titled = value.servers.map(server => {
    const key = `serverTitles.${server.id}`;
    const title = (t as unknown as (k: string) => string)(key);
    return title && title !== key ? { ...server, title } : server;
  });
  const now = new Date();
  /** A server still to come while no stack.sh works on it: its estimate means nothing. */
  const stale = (server: DevStackServer) =>
    !value.running &&
    ['pending', 'building', 'starting'].includes(server.state);
  const columns: TableColumn<DevStackServer>[] = [
    {
      title: t('servers.server'),
      field: 'title',
      render: s => (
        <>
          <Typography variant="body2">{s.title}</Typography>
          <Typography variant="caption" color="textSecondary" translate="no">
            {s.id} · {s.part}
          </Typography>
        </>
      ),
    },
    {
      title: t('servers.state'),
      field: 'state',
      render: s => <StateChip state={s.state} />,
    },
    {
      title: t('servers.status'),
      render: s =>
        stale(s)
          ? t('servers.stale', {
              name: s.title,
              state: t(`states.${s.state}`),
            })
          : describeServerText(s, t, now, value.updatedAt),
    },
    {
      title: t('servers.since'),
      field: 'since',
      render: s => (
        <Tooltip title={s.since}>
          <span>{ago(s.since, now, format)}</span>
        </Tooltip>
      ),
    },
    {
      title: t('servers.log'),
      render: s => (
        <Button
          size="small"
          variant="outlined"
          disabled={!s.log}
          onClick={() => setLogOf(s)}
          aria-label={t('servers.logAria', { name: s.title })}
        >
          {t('servers.log')}
        </Button>
      ),
    },
  ];

  return (
    <>
      {error && (
        <Box mb={2}>
          <WarningPanel
            title={t('servers.readAgainFailed')}
            message={errorMessage(error)}
          />
        </Box>
      )}
      <Box mb={2} display="flex" alignItems="center" style={{ gap: 16 }}>
        <Typography variant="h6" data-testid="localstack-summary">
          {describeStackText(
            titled.map(s => (stale(s) ? { ...s, etaSeconds: null } : s)),
            t,
            now,
            value.updatedAt,
          )}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {value.running
            ? t('servers.working', {
                seconds: format.number(REFRESH_MS / 1000),
              })
            : t('servers.notRunning')}
        </Typography>
        {!value.running && refresh}
      </Box>
      <Table<DevStackServer>
        title={t('servers.tableTitle', {
          total: format.number(value.servers.length),
        })}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={titled}
      />
      {logOf && (
        <LogDialog server={logOf} onClose={() => setLogOf(undefined)} />
      )}
    </>
  );
}
