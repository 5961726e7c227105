import {
  RoleSyncState,
  SyncChange,
  SyncStatusResponse,
} from '@kubemate/plugin-rbac-common';

export interface SyncRun {
  startedAt: string;
  finishedAt: string;
  changes: SyncChange[];
  drift: SyncChange[];
  errors: Array<{ cluster: string; error: string }>;
}

/** Keeps Kubernetes RBAC in line with the portal roles (see DefaultKubernetesRbacSync). */
export interface KubernetesRbacSync {
  /** Clusters the sync has credentials for. */
  readonly configuredClusters: string[];
  /** The last run (of any replica), per role and cluster state, recent changes and drift repairs. */
  status(): Promise<SyncStatusResponse>;
  /** Runs a reconciliation; concurrent requests are coalesced into one follow-up run. */
  reconcile(): Promise<SyncRun>;
}

/**
 * Where the sync's runs are kept, so that every replica reports the same status whichever one ran
 * the sync (DatabaseSyncStatusStore).
 */
export interface SyncStatusStore {
  /** Records a finished run with the per role and cluster state it left. */
  record(run: SyncRun, roles: RoleSyncState[]): Promise<void>;
  /** The last run, its role states and the recent changes and drift repairs of all runs. */
  status(): Promise<SyncStatusResponse>;
  /** What the last run applied on a cluster: object key -> content hash (tells drift from change). */
  applied(cluster: string): Promise<Map<string, string>>;
  setApplied(cluster: string, applied: Map<string, string>): Promise<void>;
}
