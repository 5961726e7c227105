import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  ClusterOverview,
  ClusterWorkloads,
  ClustersResponse,
  MutationResponse,
  PodTarget,
  WorkloadKind,
  WorkloadManifestResponse,
  WorkloadTarget,
} from '@kubemate/plugin-clusters-common';
import { EntityKubernetesSelector } from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentityService,
  objectYaml,
  ResourceCacheService,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import {
  KubernetesObject,
  PatchStrategy,
  V1Pod,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { Readable } from 'node:stream';
import { summarizeCluster } from '../ClusterOps/clusterOverview';
import type { LogOptions, UserCredentials } from '../ClusterOps/types';
import {
  groupNamespaceWorkloads,
  namespacesOf,
} from '../ClusterOps/workloadGrouping';
import { applyObjects } from './applyObjects';
import { rollbackDeployment } from './rollbackDeployment';
import { checkBelongs, checkNamespace } from './ownership';
import { ApplyRequest, ClusterKubernetesService, EntityScope } from './types';

export const KIND_OF: Record<WorkloadTarget['resource'], WorkloadKind> = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
};

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The Kubernetes work of cluster ops; see {@link ClusterKubernetesService}. */
export class DefaultClusterKubernetesService
  implements ClusterKubernetesService
{
  constructor(
    private readonly deps: {
      clusters: ClusterRegistryService;
      cache: ResourceCacheService;
      identity: KubernetesIdentityService;
      logger: LoggerService;
    },
  ) {}

  /** Runs fn with clients acting as the caller's mapped identity; errors name the cluster. */
  private async asUser<T>(
    credentials: UserCredentials,
    cluster: string,
    fn: (clients: KubeClients) => Promise<T>,
  ): Promise<T> {
    this.deps.clusters.getCluster(cluster);
    const identity = await this.deps.identity.forCredentials(credentials);
    const clients = this.deps.clusters.clientsAs(cluster, identity);
    try {
      return await fn(clients);
    } catch (e) {
      throw toBackstageError(e, cluster);
    }
  }

  /** Reads a workload with the portal identity and checks that it belongs to the entity. */
  private async readOwnedWorkload(
    scope: EntityScope,
    target: WorkloadTarget,
  ): Promise<KubernetesObject & { spec?: any }> {
    checkNamespace(scope, target.namespace);
    const portal = this.deps.clusters.portalClients(target.cluster);
    const args = { name: target.name, namespace: target.namespace };
    let obj: KubernetesObject;
    try {
      switch (target.resource) {
        case 'deployments':
          obj = await portal.apps.readNamespacedDeployment(args);
          break;
        case 'statefulsets':
          obj = await portal.apps.readNamespacedStatefulSet(args);
          break;
        case 'daemonsets':
          obj = await portal.apps.readNamespacedDaemonSet(args);
          break;
        default:
          throw new InputError(`Unsupported workload kind ${target.resource}`);
      }
    } catch (e) {
      throw toBackstageError(e, target.cluster);
    }
    checkBelongs(
      scope,
      obj,
      `${KIND_OF[target.resource]} ${target.namespace}/${target.name}`,
    );
    return obj;
  }

  private async readOwnedPod(scope: EntityScope, target: PodTarget) {
    checkNamespace(scope, target.namespace);
    const portal = this.deps.clusters.portalClients(target.cluster);
    let pod: V1Pod;
    try {
      pod = await portal.core.readNamespacedPod({
        name: target.pod,
        namespace: target.namespace,
      });
    } catch (e) {
      throw toBackstageError(e, target.cluster);
    }
    checkBelongs(scope, pod, `Pod ${target.namespace}/${target.pod}`);
    return pod;
  }

  // ---------------------------------------------------------------- reads

  async listEntityWorkloads(
    selector: EntityKubernetesSelector,
  ): Promise<ClusterWorkloads[]> {
    return Promise.all(
      this.deps.clusters
        .listClusters()
        .map(c => this.clusterWorkloads(c.name, selector)),
    );
  }

  private async clusterWorkloads(
    cluster: string,
    selector: EntityKubernetesSelector,
  ): Promise<ClusterWorkloads> {
    const { cache } = this.deps;
    const opts = { namespace: selector.namespace, labels: selector.labels };
    try {
      const [
        deployments,
        statefulsets,
        daemonsets,
        jobs,
        cronjobs,
        services,
        pods,
      ] = await Promise.all([
        cache.list(cluster, 'deployments', opts),
        cache.list(cluster, 'statefulsets', opts),
        cache.list(cluster, 'daemonsets', opts),
        cache.list(cluster, 'jobs', opts),
        cache.list(cluster, 'cronjobs', opts),
        cache.list(cluster, 'services', opts),
        cache.list(cluster, 'pods', opts),
      ]);
      const entity = {
        deployments,
        statefulsets,
        daemonsets,
        jobs,
        cronjobs,
        services,
        pods,
      };
      const namespaces = [];
      for (const namespace of namespacesOf(entity)) {
        const [nsPods, replicasets, events] = await Promise.all([
          cache.list(cluster, 'pods', { namespace }),
          cache.list(cluster, 'replicasets', { namespace }),
          cache.list(cluster, 'events', { namespace }),
        ]);
        namespaces.push(
          groupNamespaceWorkloads(namespace, entity, {
            pods: nsPods,
            replicasets,
            events,
          }),
        );
      }
      return { cluster, namespaces };
    } catch (e) {
      const error = toBackstageError(e, cluster);
      this.deps.logger.warn(
        `Could not read workloads from ${cluster}: ${error.message}`,
      );
      return { cluster, error: error.message, namespaces: [] };
    }
  }

  async getPodLogs(
    credentials: UserCredentials,
    scope: EntityScope,
    target: PodTarget,
    options: LogOptions,
    signal?: AbortSignal,
  ): Promise<Readable> {
    await this.readOwnedPod(scope, target);
    const identity = await this.deps.identity.forCredentials(credentials);
    const clients = this.deps.clusters.clientsAs(target.cluster, identity);
    const query = new URLSearchParams();
    if (options.container) {
      query.set('container', options.container);
    }
    if (options.previous) {
      query.set('previous', 'true');
    }
    if (options.tailLines !== undefined) {
      query.set('tailLines', String(options.tailLines));
    }
    if (options.follow) {
      query.set('follow', 'true');
    }
    const path = `/api/v1/namespaces/${encodeURIComponent(
      target.namespace,
    )}/pods/${encodeURIComponent(target.pod)}/log?${query}`;
    let res;
    try {
      res = await clients.raw({ path, signal });
    } catch (e) {
      throw toBackstageError(e, target.cluster);
    }
    const status = res.statusCode ?? 0;
    if (status >= 400) {
      const body = await readAll(res);
      throw toBackstageError({ code: status, body }, target.cluster);
    }
    return res;
  }

  async getWorkloadManifest(
    scope: EntityScope,
    target: WorkloadTarget,
  ): Promise<WorkloadManifestResponse> {
    const obj = await this.readOwnedWorkload(scope, target);
    return {
      cluster: target.cluster,
      yaml: objectYaml({
        ...obj,
        apiVersion: obj.apiVersion ?? 'apps/v1',
        kind: obj.kind ?? KIND_OF[target.resource],
      }),
    };
  }

  listClusters(): ClustersResponse {
    return {
      clusters: this.deps.clusters
        .listClusters()
        .map(c => ({ name: c.name, url: c.url })),
    };
  }

  async getClusterOverview(cluster: string): Promise<ClusterOverview> {
    this.deps.clusters.getCluster(cluster);
    const { cache } = this.deps;
    const [nodes, pods, namespaces] = await Promise.all([
      cache.list(cluster, 'nodes'),
      cache.list(cluster, 'pods'),
      cache.list(cluster, 'namespaces'),
    ]);
    return summarizeCluster(cluster, { nodes, pods, namespaces });
  }

  // ---------------------------------------------------------------- mutations

  async scale(
    credentials: UserCredentials,
    scope: EntityScope,
    target: WorkloadTarget,
    replicas: number,
  ): Promise<MutationResponse> {
    const kind = KIND_OF[target.resource];
    return this.asUser(credentials, target.cluster, async clients => {
      const current = await this.readOwnedWorkload(scope, target);
      const args = {
        name: target.name,
        namespace: target.namespace,
        body: { spec: { replicas } },
      };
      const options = setHeaderOptions(
        'Content-Type',
        PatchStrategy.MergePatch,
      );
      if (target.resource === 'deployments') {
        await clients.apps.patchNamespacedDeploymentScale(args, options);
      } else if (target.resource === 'statefulsets') {
        await clients.apps.patchNamespacedStatefulSetScale(args, options);
      } else {
        throw new InputError(`A ${kind} cannot be scaled`);
      }
      return {
        ...target,
        kind,
        message: `scaled ${kind} ${target.namespace}/${target.name} from ${
          current.spec?.replicas ?? '?'
        } to ${replicas} replicas`,
      };
    });
  }

  async restart(
    credentials: UserCredentials,
    scope: EntityScope,
    target: WorkloadTarget,
  ): Promise<MutationResponse> {
    const kind = KIND_OF[target.resource];
    return this.asUser(credentials, target.cluster, async clients => {
      await this.readOwnedWorkload(scope, target);
      const restartedAt = new Date().toISOString();
      const args = {
        name: target.name,
        namespace: target.namespace,
        body: {
          spec: {
            template: {
              metadata: {
                annotations: {
                  'kubectl.kubernetes.io/restartedAt': restartedAt,
                },
              },
            },
          },
        },
      };
      const options = setHeaderOptions(
        'Content-Type',
        PatchStrategy.StrategicMergePatch,
      );
      if (target.resource === 'deployments') {
        await clients.apps.patchNamespacedDeployment(args, options);
      } else if (target.resource === 'statefulsets') {
        await clients.apps.patchNamespacedStatefulSet(args, options);
      } else {
        await clients.apps.patchNamespacedDaemonSet(args, options);
      }
      return {
        ...target,
        kind,
        message: `restarted ${kind} ${target.namespace}/${target.name} at ${restartedAt}`,
      };
    });
  }

  async rollback(
    credentials: UserCredentials,
    scope: EntityScope,
    target: WorkloadTarget,
    revision?: number,
  ): Promise<MutationResponse> {
    const kind = KIND_OF[target.resource];
    return this.asUser(credentials, target.cluster, async clients => {
      if (target.resource !== 'deployments') {
        throw new InputError(
          `Rollback is supported for Deployments only, not ${kind}`,
        );
      }
      const deployment = await this.readOwnedWorkload(scope, target);
      return rollbackDeployment(
        {
          portal: this.deps.clusters.portalClients(target.cluster),
          user: clients,
        },
        deployment,
        target,
        revision,
      );
    });
  }

  async deletePod(
    credentials: UserCredentials,
    scope: EntityScope,
    target: PodTarget,
  ): Promise<MutationResponse> {
    return this.asUser(credentials, target.cluster, async clients => {
      await this.readOwnedPod(scope, target);
      await clients.core.deleteNamespacedPod({
        name: target.pod,
        namespace: target.namespace,
      });
      return {
        cluster: target.cluster,
        namespace: target.namespace,
        kind: 'Pod',
        name: target.pod,
        message: `deleted Pod ${target.namespace}/${target.pod}`,
      };
    });
  }

  async apply(
    credentials: UserCredentials,
    scope: EntityScope,
    request: ApplyRequest,
  ) {
    return this.asUser(credentials, request.cluster, clients =>
      applyObjects(clients, scope, request),
    );
  }
}
