import { useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type {
  PodSummary,
  WorkloadSummary,
} from '@kubemate/plugin-clusters-common';
import { clustersApiRef, EntityWorkloadTarget } from '../api/ClustersApi';

/** An action the user started and has not confirmed or cancelled yet. */
export type PendingAction =
  | {
      type: 'scale' | 'restart' | 'rollback' | 'yaml';
      target: EntityWorkloadTarget;
      workload: WorkloadSummary;
    }
  | { type: 'delete'; cluster: string; pod: PodSummary };

/**
 * The action dialogs' state: which action is pending, the replicas and revision inputs with
 * their validity, and `run`, which performs the pending action, announces the backend's
 * message and calls `onDone` (to read the workloads again).
 */
export function useClusterAction(entityRef: string, onDone: () => void) {
  const api = useApi(clustersApiRef);
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState<PendingAction | undefined>();
  const [replicas, setReplicas] = useState('');
  const [revision, setRevision] = useState('');

  const succeeded = (message: string) => {
    alertApi.post({ message, severity: 'success', display: 'transient' });
    onDone();
  };

  const run = async () => {
    if (!pending) return;
    let message: string;
    if (pending.type === 'delete') {
      message = (
        await api.deletePod({
          entityRef,
          cluster: pending.cluster,
          namespace: pending.pod.namespace,
          pod: pending.pod.name,
        })
      ).message;
    } else if (pending.type === 'scale') {
      message = (await api.scale(pending.target, Number(replicas))).message;
    } else if (pending.type === 'restart') {
      message = (await api.restart(pending.target)).message;
    } else if (pending.type === 'rollback') {
      message = (
        await api.rollback(
          pending.target,
          revision === '' ? undefined : Number(revision),
        )
      ).message;
    } else {
      return; // the YAML dialog applies by itself
    }
    succeeded(message);
  };

  const open = (a: PendingAction) => {
    if (a.type === 'scale')
      setReplicas(String(a.workload.desiredReplicas ?? 1));
    if (a.type === 'rollback') setRevision('');
    setPending(a);
  };

  return {
    pending,
    open,
    close: () => setPending(undefined),
    run,
    /** For actions that run by themselves (the YAML dialog's apply). */
    succeeded,
    replicas,
    setReplicas,
    replicasValid: /^\d+$/.test(replicas) && Number(replicas) <= 1000,
    revision,
    setRevision,
    revisionValid: revision === '' || /^\d+$/.test(revision),
  };
}

export type ClusterAction = ReturnType<typeof useClusterAction>;
