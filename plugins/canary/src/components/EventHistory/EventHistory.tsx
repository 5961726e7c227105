import { Table, TableColumn } from '@backstage/core-components';
import { Box, Chip, Typography } from '@material-ui/core';
import type { ReleaseEvent } from '@kubemate/plugin-canary-common';
import { formatTime } from '../../lib/releases';

/** The release's history: Flagger's events and the portal's audited actions, newest first. */
export function EventHistory(props: { events: ReleaseEvent[] }) {
  const events = [...props.events].sort((a, b) => b.at.localeCompare(a.at));
  const columns: TableColumn<ReleaseEvent>[] = [
    { title: 'When', field: 'at', render: e => formatTime(e.at), width: '16%' },
    {
      title: 'Source',
      field: 'source',
      width: '12%',
      render: e => (
        <Chip
          size="small"
          label={
            e.source === 'portal'
              ? `portal${e.actor ? `: ${e.actor}` : ''}`
              : 'flagger'
          }
        />
      ),
    },
    {
      title: 'Reason',
      field: 'reason',
      width: '12%',
      render: e => (
        <Typography
          variant="body2"
          color={e.type === 'Warning' ? 'error' : 'textPrimary'}
        >
          {e.reason}
        </Typography>
      ),
    },
    { title: 'Message', field: 'message', width: '60%' },
  ];
  return (
    <Table<ReleaseEvent>
      title={`History (${events.length})`}
      options={{ paging: events.length > 10, pageSize: 10, search: false }}
      columns={columns}
      data={events}
      emptyContent={
        <Box p={2}>
          <Typography>No event recorded for this release yet.</Typography>
        </Box>
      }
    />
  );
}
