import { Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import type { ClusterEvent } from '@kubemate/plugin-clusters-common';
import { age } from '../../lib/format';
import { clustersTranslationRef } from '../../translation';

/** Recent warning events of a namespace's workloads. */
export function WarningEventsTable(props: { events: ClusterEvent[] }) {
  const { events } = props;
  const { t } = useTranslationRef(clustersTranslationRef);
  const columns: TableColumn<ClusterEvent>[] = [
    { title: t('events.columns.lastSeen'), render: e => age(e.lastTimestamp) },
    // type, reason and message are Kubernetes' own words (translate="no")
    {
      title: t('events.columns.type'),
      field: 'type',
      render: e => <span translate="no">{e.type}</span>,
    },
    {
      title: t('events.columns.reason'),
      field: 'reason',
      render: e => <span translate="no">{e.reason}</span>,
    },
    {
      title: t('events.columns.object'),
      render: e =>
        `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
    },
    {
      title: t('events.columns.message'),
      field: 'message',
      render: e => <span translate="no">{e.message}</span>,
    },
    { title: t('events.columns.count'), field: 'count', type: 'numeric' },
  ];
  return (
    <Table
      title={t('events.title', { total: String(events.length) })}
      options={{
        paging: events.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
      }}
      columns={columns}
      data={events}
    />
  );
}
