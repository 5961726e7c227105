import { Grid } from '@material-ui/core';
import type {
  ClusterEvent,
  PodSummary,
  WorkloadSummary,
} from '@kubemate/plugin-clusters-common';
import type { PendingAction } from '../../hooks/useClusterAction';
import { PodsTable } from '../PodsTable';
import { WarningEventsTable } from '../WarningEventsTable';
import { WorkloadsTable } from '../WorkloadsTable';

/** One namespace of the entity in one cluster: its workloads, pods and warning events. */
export function NamespaceSection(props: {
  entityRef: string;
  cluster: string;
  namespace: string;
  workloads: WorkloadSummary[];
  otherPods: PodSummary[];
  onAction: (a: PendingAction) => void;
  onLogs: (pod: PodSummary) => void;
}) {
  const { cluster } = props;
  const pods = [...props.workloads.flatMap(w => w.pods), ...props.otherPods];
  const events: ClusterEvent[] = props.workloads
    .flatMap(w => w.events)
    .sort((a, b) =>
      (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
    );
  return (
    <Grid container spacing={2}>
      <Grid item xs={12}>
        <WorkloadsTable
          entityRef={props.entityRef}
          cluster={cluster}
          namespace={props.namespace}
          workloads={props.workloads}
          onAction={props.onAction}
        />
      </Grid>
      <Grid item xs={12}>
        <PodsTable
          cluster={cluster}
          pods={pods}
          onLogs={props.onLogs}
          onDelete={pod => props.onAction({ type: 'delete', cluster, pod })}
        />
      </Grid>
      {events.length > 0 && (
        <Grid item xs={12}>
          <WarningEventsTable events={events} />
        </Grid>
      )}
    </Grid>
  );
}
