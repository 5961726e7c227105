import { SyncChange, SyncStatusResponse } from '@kubemate/plugin-rbac-common';

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
  /** The last run, per role and cluster state, recent changes and drift repairs. */
  status(): SyncStatusResponse;
  /** Runs a reconciliation; concurrent requests are coalesced into one follow-up run. */
  reconcile(): Promise<SyncRun>;
}
