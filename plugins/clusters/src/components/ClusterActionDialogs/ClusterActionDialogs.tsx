import { TextField } from '@material-ui/core';
import type { ClusterAction } from '../../hooks/useClusterAction';
import { ActionDialog } from '../ActionDialog';
import { YamlDialog } from '../YamlDialog';

/** The confirmation dialog of the pending action (scale, restart, roll back, delete, YAML). */
export function ClusterActionDialogs(props: { action: ClusterAction }) {
  const { action } = props;
  const { pending } = action;
  if (!pending) return null;
  switch (pending.type) {
    case 'scale':
      return (
        <ActionDialog
          open
          title={`Scale ${pending.workload.name}`}
          description={`${pending.target.cluster} / ${
            pending.target.namespace
          }: currently ${pending.workload.desiredReplicas ?? 0} replica(s).`}
          confirmLabel="Scale"
          confirmDisabled={!action.replicasValid}
          onConfirm={action.run}
          onClose={action.close}
        >
          <TextField
            id="kubemate-scale-replicas"
            fullWidth
            label="Replicas"
            value={action.replicas}
            onChange={e => action.setReplicas(e.target.value)}
            error={!action.replicasValid}
            helperText={
              action.replicasValid ? ' ' : 'A whole number from 0 to 1000'
            }
            inputProps={{ inputMode: 'numeric' }}
          />
        </ActionDialog>
      );
    case 'restart':
      return (
        <ActionDialog
          open
          title={`Restart ${pending.workload.name}?`}
          description={`A rolling restart replaces every pod of ${pending.workload.name} in ${pending.target.cluster} / ${pending.target.namespace}.`}
          confirmLabel="Restart"
          destructive
          onConfirm={action.run}
          onClose={action.close}
        />
      );
    case 'rollback':
      return (
        <ActionDialog
          open
          title={`Roll back ${pending.workload.name}?`}
          description={`Restores the pod template of an earlier revision (current: ${
            pending.workload.revision ?? 'unknown'
          }).`}
          confirmLabel="Roll back"
          destructive
          confirmDisabled={!action.revisionValid}
          onConfirm={action.run}
          onClose={action.close}
        >
          <TextField
            id="kubemate-rollback-revision"
            fullWidth
            label="Revision (empty: the previous one)"
            value={action.revision}
            onChange={e => action.setRevision(e.target.value)}
            error={!action.revisionValid}
            helperText={action.revisionValid ? ' ' : 'A revision number'}
          />
        </ActionDialog>
      );
    case 'delete':
      return (
        <ActionDialog
          open
          title={`Delete pod ${pending.pod.name}?`}
          description="Its controller creates a replacement; the pod's current state and logs are lost."
          confirmLabel="Delete"
          destructive
          onConfirm={action.run}
          onClose={action.close}
        />
      );
    case 'yaml':
      return (
        <YamlDialog
          target={pending.target}
          onClose={action.close}
          onApplied={action.succeeded}
        />
      );
    default:
      return null;
  }
}
