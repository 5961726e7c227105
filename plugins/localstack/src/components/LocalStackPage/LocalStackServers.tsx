import { useState } from 'react';
import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { usePolledAsync } from '@kubemate/plugin-kubemate-react';
import {
  describeDevStack,
  describeServer,
  DevStackServer,
} from '@kubemate/plugin-localstack-common';
import { localstackApiRef } from '../../api';
import { LogDialog } from '../LogDialog';
import { ago } from './format';
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
    if (error) return <ResponseErrorPanel error={error} />;
    return <Progress />;
  }
  if (!value.configured) {
    return (
      <EmptyState
        missing="info"
        title="This portal has no local stack"
        description="The Local stack page shows the servers ./kubemate start builds and starts on a developer's machine (kubemate.devStack.progressFile). A production portal uses its own servers."
      />
    );
  }
  const refresh = (
    <Button variant="outlined" onClick={servers.retry}>
      Refresh
    </Button>
  );
  if (value.servers.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="The local stack has not been started"
        description="Run ./kubemate start (or ./kubemate dev up): its servers appear here as they build and start."
        action={refresh}
      />
    );
  }

  const now = new Date();
  /** A server still to come while no stack.sh works on it: its estimate means nothing. */
  const stale = (server: DevStackServer) =>
    !value.running &&
    ['pending', 'building', 'starting'].includes(server.state);
  const columns: TableColumn<DevStackServer>[] = [
    {
      title: 'Server',
      field: 'title',
      render: s => (
        <>
          <Typography variant="body2">{s.title}</Typography>
          <Typography variant="caption" color="textSecondary">
            {s.id} · {s.part}
          </Typography>
        </>
      ),
    },
    {
      title: 'State',
      field: 'state',
      render: s => <StateChip state={s.state} />,
    },
    {
      title: 'Status',
      render: s =>
        stale(s)
          ? `${s.title} was ${s.state} when stack.sh stopped`
          : describeServer(s, now, value.updatedAt),
    },
    {
      title: 'Since',
      field: 'since',
      render: s => (
        <Tooltip title={s.since}>
          <span>{ago(s.since, now)}</span>
        </Tooltip>
      ),
    },
    {
      title: 'Log',
      render: s => (
        <Button
          size="small"
          variant="outlined"
          disabled={!s.log}
          onClick={() => setLogOf(s)}
          aria-label={`Log of ${s.title}`}
        >
          Log
        </Button>
      ),
    },
  ];

  return (
    <>
      {error && (
        <Box mb={2}>
          <WarningPanel
            title="The servers could not be read again; showing the last answer"
            message={error.message}
          />
        </Box>
      )}
      <Box mb={2} display="flex" alignItems="center" style={{ gap: 16 }}>
        <Typography variant="h6" data-testid="localstack-summary">
          {describeDevStack(
            value.servers.map(s => (stale(s) ? { ...s, etaSeconds: null } : s)),
            now,
            value.updatedAt,
          )}
        </Typography>
        <Typography variant="body2" color="textSecondary">
          {value.running
            ? `stack.sh is working — refreshing every ${REFRESH_MS / 1000} s`
            : 'stack.sh is not running'}
        </Typography>
        {!value.running && refresh}
      </Box>
      <Table<DevStackServer>
        title={`Servers (${value.servers.length})`}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={value.servers}
      />
      {logOf && (
        <LogDialog server={logOf} onClose={() => setLogOf(undefined)} />
      )}
    </>
  );
}
