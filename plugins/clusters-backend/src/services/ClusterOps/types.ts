import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  ApplyResponse,
  ClusterOverview,
  ClustersResponse,
  EntityWorkloadsResponse,
  MutationResponse,
  PodTarget,
  WorkloadManifestResponse,
  WorkloadTarget,
} from '@kubemate/plugin-clusters-common';

export type {
  PodTarget,
  WorkloadResource,
  WorkloadTarget,
} from '@kubemate/plugin-clusters-common';
import type { Readable } from 'node:stream';
import { AuditRecord } from '@kubemate/plugin-kubemate-common';

export type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

export interface LogOptions {
  container?: string;
  previous?: boolean;
  tailLines?: number;
  follow?: boolean;
}

/**
 * Cluster operations on the Kubernetes objects of one catalog entity. Every method fetches the
 * entity with the caller's credentials, checks the Backstage permission on it, verifies that
 * the targeted object belongs to the entity and, for mutations, acts as the caller's mapped
 * Kubernetes identity (impersonation) and writes an audit record.
 */
export interface ClusterOpsService {
  getEntityWorkloads(
    credentials: UserCredentials,
    entityRef: string,
  ): Promise<EntityWorkloadsResponse>;
  /** A log stream (follow) or the logs as a single chunk. */
  getPodLogs(
    credentials: UserCredentials,
    entityRef: string,
    target: PodTarget,
    options: LogOptions,
    signal?: AbortSignal,
  ): Promise<Readable>;
  /** The workload's manifest as YAML, without server-managed fields, ready to edit and apply. */
  getWorkloadManifest(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
  ): Promise<WorkloadManifestResponse>;
  scale(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
    replicas: number,
  ): Promise<MutationResponse>;
  restart(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
  ): Promise<MutationResponse>;
  rollback(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
    revision?: number,
  ): Promise<MutationResponse>;
  deletePod(
    credentials: UserCredentials,
    entityRef: string,
    target: PodTarget,
  ): Promise<MutationResponse>;
  apply(
    credentials: UserCredentials,
    entityRef: string,
    request: { cluster: string; manifest: string; dryRun: boolean },
  ): Promise<ApplyResponse>;
  listClusters(credentials: UserCredentials): Promise<ClustersResponse>;
  getClusterOverview(
    credentials: UserCredentials,
    cluster: string,
  ): Promise<ClusterOverview>;
  getAudit(
    credentials: UserCredentials,
    entityRef: string,
    limit?: number,
  ): Promise<AuditRecord[]>;
}
