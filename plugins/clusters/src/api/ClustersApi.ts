import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  ApplyResponse,
  AuditResponse,
  ClusterOverview,
  ClustersResponse,
  EntityWorkloadsResponse,
  MutationResponse,
  PodTarget,
  WorkloadManifestResponse,
  WorkloadTarget,
} from '@kubemate/plugin-clusters-common';

/** A workload of an entity. */
export type EntityWorkloadTarget = WorkloadTarget & { entityRef: string };

/** A pod of an entity. */
export type EntityPodTarget = PodTarget & { entityRef: string };

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
}

/** Client of the clusters backend (`/api/clusters`). */
export interface ClustersApi {
  getEntityWorkloads(entityRef: string): Promise<EntityWorkloadsResponse>;
  getPodLogs(target: EntityPodTarget, options: LogOptions): Promise<string>;
  /** Follows a pod's logs; calls onChunk for every chunk until the signal aborts or the stream ends. */
  followPodLogs(
    target: EntityPodTarget,
    options: LogOptions,
    onChunk: (text: string) => void,
    signal: AbortSignal,
  ): Promise<void>;
  /** The workload's manifest as YAML, to view and edit. */
  getWorkloadManifest(
    target: EntityWorkloadTarget,
  ): Promise<WorkloadManifestResponse>;
  /** Server-side apply of a manifest of the entity; with dryRun the cluster only validates and diffs. */
  apply(request: {
    entityRef: string;
    cluster: string;
    manifest: string;
    dryRun: boolean;
  }): Promise<ApplyResponse>;
  scale(
    target: EntityWorkloadTarget,
    replicas: number,
  ): Promise<MutationResponse>;
  restart(target: EntityWorkloadTarget): Promise<MutationResponse>;
  rollback(
    target: EntityWorkloadTarget,
    revision?: number,
  ): Promise<MutationResponse>;
  deletePod(target: EntityPodTarget): Promise<MutationResponse>;
  listClusters(): Promise<ClustersResponse>;
  getClusterOverview(cluster: string): Promise<ClusterOverview>;
  getAudit(entityRef: string, limit?: number): Promise<AuditResponse>;
}

export const clustersApiRef = createApiRef<ClustersApi>({
  id: 'plugin.clusters.service',
});
