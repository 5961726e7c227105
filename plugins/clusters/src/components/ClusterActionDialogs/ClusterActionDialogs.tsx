import { TextField } from '@material-ui/core';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { clustersTranslationRef } from '../../translation';
import type { ClusterAction } from '../../hooks/useClusterAction';
import { ActionDialog } from '../ActionDialog';
import { YamlDialog } from '../YamlDialog';

/** The confirmation dialog of the pending action (scale, restart, roll back, delete, YAML). */
export function ClusterActionDialogs(props: { action: ClusterAction }) {
  const { action } = props;
  const { t } = useTranslationRef(clustersTranslationRef);
  const { pending } = action;
  if (!pending) return null;
  switch (pending.type) {
    case 'scale':
      return (
        <ActionDialog
          open
          title={t('dialogs.scale.title', { name: pending.workload.name })}
          description={t('dialogs.scale.description', {
            cluster: pending.target.cluster,
            namespace: pending.target.namespace,
            replicas: String(pending.workload.desiredReplicas ?? 0),
          })}
          confirmLabel={t('dialogs.scale.confirm')}
          confirmDisabled={!action.replicasValid}
          onConfirm={action.run}
          onClose={action.close}
        >
          <TextField
            id="kubemate-scale-replicas"
            fullWidth
            label={t('dialogs.scale.replicas')}
            value={action.replicas}
            onChange={e => action.setReplicas(e.target.value)}
            error={!action.replicasValid}
            helperText={
              action.replicasValid ? ' ' : t('dialogs.scale.replicasInvalid')
            }
            inputProps={{ inputMode: 'numeric' }}
          />
        </ActionDialog>
      );
    case 'restart':
      return (
        <ActionDialog
          open
          title={t('dialogs.restart.title', { name: pending.workload.name })}
          description={t('dialogs.restart.description', {
            name: pending.workload.name,
            cluster: pending.target.cluster,
            namespace: pending.target.namespace,
          })}
          confirmLabel={t('dialogs.restart.confirm')}
          destructive
          onConfirm={action.run}
          onClose={action.close}
        />
      );
    case 'rollback':
      return (
        <ActionDialog
          open
          title={t('dialogs.rollback.title', { name: pending.workload.name })}
          description={t('dialogs.rollback.description', {
            revision:
              pending.workload.revision ??
              t('dialogs.rollback.unknownRevision'),
          })}
          confirmLabel={t('dialogs.rollback.confirm')}
          destructive
          confirmDisabled={!action.revisionValid}
          onConfirm={action.run}
          onClose={action.close}
        >
          <TextField
            id="kubemate-rollback-revision"
            fullWidth
            label={t('dialogs.rollback.revision')}
            value={action.revision}
            onChange={e => action.setRevision(e.target.value)}
            error={!action.revisionValid}
            helperText={
              action.revisionValid ? ' ' : t('dialogs.rollback.revisionInvalid')
            }
          />
        </ActionDialog>
      );
    case 'delete':
      return (
        <ActionDialog
          open
          title={t('dialogs.deletePod.title', { name: pending.pod.name })}
          description={t('dialogs.deletePod.description')}
          confirmLabel={t('dialogs.deletePod.confirm')}
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
