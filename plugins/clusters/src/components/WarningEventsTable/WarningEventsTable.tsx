import { Table, TableColumn } from '@backstage/core-components';
import type { ClusterEvent } from '@kubemate/plugin-clusters-common';
import { age } from '../../lib/format';

const columns: TableColumn<ClusterEvent>[] = [
  { title: 'Last seen', render: e => age(e.lastTimestamp) },
  { title: 'Type', field: 'type' },
  { title: 'Reason', field: 'reason' },
  {
    title: 'Object',
    render: e =>
      `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
  },
  { title: 'Message', field: 'message' },
  { title: 'Count', field: 'count', type: 'numeric' },
];

/** Recent warning events of a namespace's workloads. */
export function WarningEventsTable(props: { events: ClusterEvent[] }) {
  const { events } = props;
  return (
    <Table
      title={`Recent warning events (${events.length})`}
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
