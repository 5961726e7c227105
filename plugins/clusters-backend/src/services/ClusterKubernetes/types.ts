import type {
  ApplyResponse,
  ClusterOverview,
  ClusterWorkloads,
  ClustersResponse,
  MutationResponse,
  PodTarget,
  WorkloadManifestResponse,
  WorkloadTarget,
} from '@kubemate/plugin-clusters-common';
import type { EntityKubernetesSelector } from '@kubemate/plugin-kubemate-common';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { Readable } from 'node:stream';
import type { LogOptions, UserCredentials } from '../ClusterOps/types';

/** The entity whose objects a call may touch: its ref and its Kubernetes selector. */
export interface EntityScope {
  entityRef: string;
  selector: EntityKubernetesSelector;
}

/** A manifest split into its objects, or the reason it could not be parsed. */
export interface ParsedManifest {
  objects: KubernetesObject[];
  error?: Error;
}

/** An apply of a manifest to one cluster. */
export interface ApplyRequest {
  cluster: string;
  manifest: ParsedManifest;
  dryRun: boolean;
  /**
   * Called for every object's namespace before the object is sent to the cluster (the caller's
   * permission check); throwing stops the apply there.
   */
  authorizeNamespace(namespace: string): Promise<void>;
}

/**
 * The Kubernetes side of cluster ops, with no Backstage authorization: reads through the
 * resource cache or as the portal, mutations as the caller's mapped Kubernetes identity
 * (impersonation, so Kubernetes RBAC applies), server-side apply with diffs, rollbacks. Every
 * call on an object first checks that it belongs to the entity (namespace annotation and
 * labels), NotAllowedError otherwise; Kubernetes errors become Backstage errors naming the
 * cluster.
 */
export interface ClusterKubernetesService {
  /** The entity's workloads in every cluster; a cluster that cannot be read carries `error`. */
  listEntityWorkloads(
    selector: EntityKubernetesSelector,
  ): Promise<ClusterWorkloads[]>;
  getPodLogs(
    credentials: UserCredentials,
    scope: EntityScope,
    target: PodTarget,
    options: LogOptions,
    signal?: AbortSignal,
  ): Promise<Readable>;
  getWorkloadManifest(
    scope: EntityScope,
    target: WorkloadTarget,
  ): Promise<WorkloadManifestResponse>;
  scale(
    credentials: UserCredentials,
    scope: EntityScope,
    target: WorkloadTarget,
    replicas: number,
  ): Promise<MutationResponse>;
  restart(
    credentials: UserCredentials,
    scope: EntityScope,
    target: WorkloadTarget,
  ): Promise<MutationResponse>;
  rollback(
    credentials: UserCredentials,
    scope: EntityScope,
    target: WorkloadTarget,
    revision?: number,
  ): Promise<MutationResponse>;
  deletePod(
    credentials: UserCredentials,
    scope: EntityScope,
    target: PodTarget,
  ): Promise<MutationResponse>;
  apply(
    credentials: UserCredentials,
    scope: EntityScope,
    request: ApplyRequest,
  ): Promise<ApplyResponse>;
  listClusters(): ClustersResponse;
  getClusterOverview(cluster: string): Promise<ClusterOverview>;
}
