import { Table, TableColumn } from '@backstage/core-components';
import { Box, Chip, Typography } from '@material-ui/core';
import type { ReleaseEvent } from '@kubemate/plugin-canary-common';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useFormatters } from '@kubemate/plugin-kubemate-react';
import { formatTime } from '../../lib/releases';
import { canaryTranslationRef } from '../../translation';

/** The release's history: Flagger's events and the portal's audited actions, newest first. */
export function EventHistory(props: { events: ReleaseEvent[] }) {
  const { t } = useTranslationRef(canaryTranslationRef);
  const { dateTime } = useFormatters();
  const events = [...props.events].sort((a, b) => b.at.localeCompare(a.at));
  const sourceOf = (e: ReleaseEvent) => {
    if (e.source !== 'portal') return t('history.flagger');
    return e.actor
      ? t('history.portalActor', { actor: e.actor })
      : t('history.portal');
  };
  const columns: TableColumn<ReleaseEvent>[] = [
    {
      title: t('history.when'),
      field: 'at',
      render: e => formatTime(dateTime, e.at),
      width: '16%',
    },
    {
      title: t('history.source'),
      field: 'source',
      width: '12%',
      render: e => <Chip size="small" label={sourceOf(e)} />,
    },
    {
      title: t('history.reason'),
      field: 'reason',
      width: '12%',
      render: e => (
        <Typography
          variant="body2"
          color={e.type === 'Warning' ? 'error' : 'textPrimary'}
          translate={e.source === 'portal' ? undefined : 'no'}
        >
          {e.reason}
        </Typography>
      ),
    },
    {
      title: t('history.message'),
      field: 'message',
      width: '60%',
      // Flagger's events are in its own words (like a Kubernetes event's message)
      render: e =>
        e.source === 'portal' ? (
          e.message
        ) : (
          <span translate="no">{e.message}</span>
        ),
    },
  ];
  return (
    <Table<ReleaseEvent>
      title={t('history.title', { total: String(events.length) })}
      options={{ paging: events.length > 10, pageSize: 10, search: false }}
      columns={columns}
      data={events}
      emptyContent={
        <Box p={2}>
          <Typography>{t('history.empty')}</Typography>
        </Box>
      }
    />
  );
}
