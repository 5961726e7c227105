import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  gpuCapacityReadPermission,
  gpuQueueUpdatePermission,
  QueuesResponse,
  TeamQueue,
  UpdateQueueRequest,
  WorkloadsResponse,
} from '@kubemate/plugin-gpu-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubernetesIdentityService,
  requireNamespaceScope,
  requirePermission,
} from '@kubemate/plugin-kubemate-node';
import type { V1ResourceQuota } from '@kubernetes/client-node';
import { ClusterQueueObject, ResourceFlavorObject } from '../../lib/kueue';
import { applyFlavorChanges, patchClusterQueue } from '../../lib/quotaPatch';
import { clustersOf, errorMessage, perCluster } from '../../lib/upstream';
import { GpuClusterReader } from '../ClusterReader';
import { flavorProduct } from '../Capacity/capacity';
import {
  inScope,
  QueueObjects,
  queueVisible,
  toGpuWorkloads,
  toTeamQueue,
} from './queues';
import { QueuesService, WorkloadsQuery } from './types';

export interface DefaultQueuesServiceOptions {
  permissions: PermissionsService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
  logger: LoggerService;
  reader: GpuClusterReader;
  /** Deadline of one Kubernetes call (default 10 s). */
  timeoutMs?: number;
}

const actorOf = (credentials: BackstageCredentials) =>
  (credentials.principal as Partial<BackstageUserPrincipal>).userEntityRef ??
  'unknown';

/**
 * The team queues: Kueue ClusterQueues with their LocalQueues, GPU quota and usage per flavor and
 * the namespaces' ResourceQuotas; the Workloads with Kueue's state and reason and the portal's
 * queue position; direct queue changes as the user.
 */
export class DefaultQueuesService implements QueuesService {
  constructor(private readonly options: DefaultQueuesServiceOptions) {}

  /** The objects team queues are built from (ResourceQuotas are optional: an error leaves them out). */
  async queueObjects(cluster: string): Promise<QueueObjects> {
    const { reader, logger } = this.options;
    const [clusterQueues, localQueues, flavors, resourceQuotas] =
      await Promise.all([
        reader.clusterQueues(cluster),
        reader.localQueues(cluster),
        reader.resourceFlavors(cluster),
        reader.gpuResourceQuotas(cluster).catch((e): V1ResourceQuota[] => {
          logger.warn(`gpu: ResourceQuotas of ${cluster} unreadable: ${e}`);
          return [];
        }),
      ]);
    return { clusterQueues, localQueues, flavors, resourceQuotas };
  }

  async queues(
    credentials: BackstageCredentials,
    options: { cluster?: string },
  ): Promise<QueuesResponse> {
    const names = clustersOf(this.options.clusters, options.cluster);
    const scope = await requireNamespaceScope(this.options.permissions, {
      credentials,
      permission: gpuCapacityReadPermission,
    });
    const { results, errors } = await perCluster(names, async cluster => {
      const objects = await this.queueObjects(cluster);
      return {
        queues: objects.clusterQueues
          .map(cq => toTeamQueue(cluster, cq, objects))
          .filter(q => queueVisible(scope, q)),
        flavors: objects.flavors.map(f => flavorEntry(cluster, f)),
      };
    });
    return {
      queues: results
        .flatMap(r => r.value.queues)
        .sort(
          (a, b) =>
            a.cluster.localeCompare(b.cluster) || a.name.localeCompare(b.name),
        ),
      flavors: results.flatMap(r => r.value.flavors),
      errors,
    };
  }

  async workloads(
    credentials: BackstageCredentials,
    query: WorkloadsQuery,
  ): Promise<WorkloadsResponse> {
    const { reader, permissions } = this.options;
    const names = clustersOf(this.options.clusters, query.cluster);
    const scope = await requireNamespaceScope(permissions, {
      credentials,
      permission: gpuCapacityReadPermission,
    });
    if (query.namespace && !inScope(scope, query.namespace)) {
      throw new NotAllowedError(
        `You are not allowed ${gpuCapacityReadPermission.name} in namespace ${query.namespace}`,
      );
    }
    const { results, errors } = await perCluster(names, async cluster => {
      // positions are computed over the whole ClusterQueue, before filtering by scope
      const [workloads, localQueues] = await Promise.all([
        reader.workloads(cluster),
        reader.localQueues(cluster),
      ]);
      return toGpuWorkloads(cluster, workloads, localQueues);
    });
    const workloads = results
      .flatMap(r => r.value)
      .filter(
        w =>
          w.gpus > 0 &&
          inScope(scope, w.namespace) &&
          (!query.namespace || w.namespace === query.namespace) &&
          (!query.state || w.state === query.state) &&
          (!query.queue ||
            w.queue === query.queue ||
            w.clusterQueue === query.queue),
      )
      .sort(
        (a, b) =>
          a.cluster.localeCompare(b.cluster) ||
          (a.clusterQueue ?? '').localeCompare(b.clusterQueue ?? '') ||
          (a.position ?? Infinity) - (b.position ?? Infinity) ||
          b.createdAt.localeCompare(a.createdAt),
      );
    return { workloads, errors };
  }

  async updateQueue(
    credentials: BackstageCredentials,
    target: { cluster: string; name: string },
    request: UpdateQueueRequest,
  ): Promise<TeamQueue> {
    const { clusters, identity } = this.options;
    const actor = actorOf(credentials);
    const record = (result: 'success' | 'failure', message: string) =>
      this.options.audit
        .record({
          actor,
          action: 'gpu.queue.update',
          cluster: target.cluster,
          kind: 'ClusterQueue',
          name: target.name,
          result,
          message,
        })
        .catch(e =>
          this.options.logger.error(`gpu: audit record failed: ${e}`),
        );
    try {
      clustersOf(clusters, target.cluster);
      if (!request.flavors?.length && request.held === undefined) {
        throw new InputError(
          'the request changes nothing: give flavors and/or held',
        );
      }
      const seen = new Set<string>();
      for (const f of request.flavors ?? []) {
        if (seen.has(f.flavor)) {
          throw new InputError(`flavors: '${f.flavor}' is listed twice`);
        }
        seen.add(f.flavor);
      }
      const objects = await this.queueObjects(target.cluster);
      const cq = objects.clusterQueues.find(
        q => q.metadata.name === target.name,
      );
      if (!cq) {
        throw new NotFoundError(
          `ClusterQueue ${target.name} not found in ${target.cluster}`,
        );
      }
      await this.requireQueueUpdate(credentials, target.cluster, cq, objects);
      const who = await identity.forCredentials(
        credentials as BackstageCredentials<BackstageUserPrincipal>,
      );
      const clients = clusters.clientsAs(target.cluster, who);
      const { clusterQueue, result } = await patchClusterQueue(
        clients,
        target.name,
        live => {
          const spec: Partial<ClusterQueueObject['spec']> = {};
          let nominal = {};
          if (request.flavors?.length) {
            const changed = applyFlavorChanges(live, request.flavors);
            spec.resourceGroups = changed.resourceGroups;
            nominal = changed.nominal;
          }
          if (request.held !== undefined) {
            spec.stopPolicy = request.held ? 'Hold' : 'None';
          }
          return { spec, result: nominal };
        },
        this.options.timeoutMs,
      );
      const queue = toTeamQueue(target.cluster, clusterQueue, objects);
      await record('success', describeUpdate(request, result));
      return queue;
    } catch (e) {
      await record('failure', errorMessage(e));
      throw e;
    }
  }

  /**
   * gpu.queue.update on every namespace of the queue's LocalQueues; a queue without LocalQueues
   * needs the permission everywhere (scope all).
   */
  private async requireQueueUpdate(
    credentials: BackstageCredentials,
    cluster: string,
    cq: ClusterQueueObject,
    objects: QueueObjects,
  ) {
    const namespaces = [
      ...new Set(
        objects.localQueues
          .filter(lq => lq.spec.clusterQueue === cq.metadata.name)
          .map(lq => lq.metadata.namespace),
      ),
    ];
    if (namespaces.length) {
      await requirePermission(this.options.permissions, {
        credentials,
        permission: gpuQueueUpdatePermission,
        resourceRef: namespaces.map(namespace =>
          clustersObjectRef({ cluster, namespace }),
        ),
      });
      return;
    }
    const scope = await requireNamespaceScope(this.options.permissions, {
      credentials,
      permission: gpuQueueUpdatePermission,
    });
    if (scope.type !== 'all') {
      throw new NotAllowedError(
        `You are not allowed ${gpuQueueUpdatePermission.name} on ClusterQueue ${cq.metadata.name}: it has no LocalQueue, so only a cluster-wide grant may change it`,
      );
    }
  }
}

export function flavorEntry(cluster: string, f: ResourceFlavorObject) {
  const product = flavorProduct(f);
  return { cluster, name: f.metadata.name, ...(product ? { product } : {}) };
}

function describeUpdate(
  request: UpdateQueueRequest,
  nominal: Record<string, { before: number; after: number }>,
): string {
  const parts = (request.flavors ?? []).map(f => {
    const n = nominal[f.flavor];
    const bits = [
      n ? `nominal ${n.before} -> ${n.after}` : undefined,
      f.borrowingLimit !== undefined
        ? `borrowingLimit ${f.borrowingLimit ?? 'none'}`
        : undefined,
      f.lendingLimit !== undefined
        ? `lendingLimit ${f.lendingLimit ?? 'none'}`
        : undefined,
    ].filter(Boolean);
    return `${f.flavor}: ${bits.join(', ')}`;
  });
  if (request.held !== undefined) parts.push(request.held ? 'held' : 'resumed');
  return parts.join('; ');
}
