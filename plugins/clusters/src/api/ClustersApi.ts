import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ApplyResponse,
  AuditResponse,
  ClusterOverview,
  ClustersResponse,
  EntityWorkloadsResponse,
  MutationResponse,
  WorkloadManifestResponse,
} from '@kubemate/plugin-clusters-common';

/** Workload kinds the actions apply to, as the backend's path segment. */
export type ScalableResource = 'deployments' | 'statefulsets' | 'daemonsets';

/** Identifies a workload of an entity. */
export interface WorkloadTarget {
  entityRef: string;
  cluster: string;
  namespace: string;
  resource: ScalableResource;
  name: string;
}

/** Identifies a pod of an entity. */
export interface PodTarget {
  entityRef: string;
  cluster: string;
  namespace: string;
  pod: string;
}

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
}

/** Client of the clusters backend (`/api/clusters`). */
export interface ClustersApi {
  getEntityWorkloads(entityRef: string): Promise<EntityWorkloadsResponse>;
  getPodLogs(target: PodTarget, options: LogOptions): Promise<string>;
  /** Follows a pod's logs; calls onChunk for every chunk until the signal aborts or the stream ends. */
  followPodLogs(
    target: PodTarget,
    options: LogOptions,
    onChunk: (text: string) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** The workload's manifest as YAML, to view and edit. */
  getWorkloadManifest(
    target: WorkloadTarget,
  ): Promise<WorkloadManifestResponse>;
  /** Server-side apply of a manifest of the entity; with dryRun the cluster only validates and diffs. */
  apply(request: {
    entityRef: string;
    cluster: string;
    manifest: string;
    dryRun: boolean;
  }): Promise<ApplyResponse>;
  scale(target: WorkloadTarget, replicas: number): Promise<MutationResponse>;
  restart(target: WorkloadTarget): Promise<MutationResponse>;
  rollback(
    target: WorkloadTarget,
    revision?: number,
  ): Promise<MutationResponse>;
  deletePod(target: PodTarget): Promise<MutationResponse>;
  listClusters(): Promise<ClustersResponse>;
  getClusterOverview(cluster: string): Promise<ClusterOverview>;
  getAudit(entityRef: string, limit?: number): Promise<AuditResponse>;
}

export const clustersApiRef = createApiRef<ClustersApi>({
  id: 'plugin.clusters.service',
});
