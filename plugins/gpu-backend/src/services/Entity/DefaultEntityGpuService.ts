import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EntityGpuResponse,
  gpuCapacityReadPermission,
  GpuSourceError,
  GpuWorkload,
  TeamQueue,
} from '@kubemate/plugin-gpu-common';
import {
  getEntityKubernetesSelector,
  labelsMatch,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  requireNamespaceScope,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';
import { errorMessage, kubeCall, perCluster } from '../../lib/upstream';
import { GpuClusterReader } from '../ClusterReader';
import { inScope, QueueObjects, toGpuWorkloads, toTeamQueue } from '../Queues';
import { UtilizationService } from '../Utilization';
import { EntityGpuService } from './types';

export interface DefaultEntityGpuServiceOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  cache: ResourceCacheService;
  reader: GpuClusterReader;
  utilization: UtilizationService;
  /** The objects team queues are built from (the queues service's). */
  queueObjects(cluster: string): Promise<QueueObjects>;
}

/**
 * An entity's GPU workloads: the Kueue Workloads owned by the Jobs (or pods) that carry the entity's
 * Kubernetes labels (`backstage.io/kubernetes-id`, or its label selector), in the caller's
 * gpu.capacity.read scope; the ClusterQueues they queue in; their pods' GPU utilization.
 */
export class DefaultEntityGpuService implements EntityGpuService {
  constructor(private readonly options: DefaultEntityGpuServiceOptions) {}

  async entityGpu(
    credentials: BackstageCredentials,
    entityRef: string,
    options: { minutes: number },
  ): Promise<EntityGpuResponse> {
    const { catalog, permissions, clusters, cache, reader } = this.options;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) throw new NotFoundError(`Entity ${entityRef} not found`);
    const ref = stringifyEntityRef(entity);
    const scope = await requireNamespaceScope(permissions, {
      credentials,
      permission: gpuCapacityReadPermission,
    });
    const selector = getEntityKubernetesSelector(entity);
    if (!selector) return { workloads: [], queues: [], errors: [] };
    const visible = (namespace?: string) =>
      Boolean(namespace) &&
      inScope(scope, namespace!) &&
      (!selector.namespace || selector.namespace === namespace);

    const { results, errors } = await perCluster(
      clusters.listClusters().map(c => c.name),
      async cluster => {
        // the listed reads first: a cluster that does not answer is reported, not shown empty
        const [all, objects] = await Promise.all([
          reader.workloads(cluster),
          this.options.queueObjects(cluster),
        ]);
        const [jobs, pods] = await Promise.all([
          kubeCall(cluster, cache.list(cluster, 'jobs')),
          kubeCall(cluster, cache.list(cluster, 'pods')),
        ]);
        const ownJobs = jobs.filter(
          j =>
            visible(j.metadata?.namespace) &&
            labelsMatch(selector, j.metadata?.labels ?? {}),
        );
        const jobKeys = new Set(
          ownJobs.map(j => `${j.metadata!.namespace}/${j.metadata!.name}`),
        );
        const ownPods = pods.filter(
          p =>
            visible(p.metadata?.namespace) &&
            (labelsMatch(selector, p.metadata?.labels ?? {}) ||
              p.metadata?.ownerReferences?.some(
                o =>
                  o.kind === 'Job' &&
                  jobKeys.has(`${p.metadata!.namespace}/${o.name}`),
              )),
        );
        const podKeys = new Set(
          ownPods.map(p => `${p.metadata!.namespace}/${p.metadata!.name}`),
        );
        if (!jobKeys.size && !podKeys.size) {
          return { workloads: [], queues: [], pods: [] };
        }
        const workloads = toGpuWorkloads(cluster, all, objects.localQueues)
          .filter(w => {
            const key = `${w.namespace}/${w.owner?.name}`;
            return (
              (w.owner?.kind === 'Job' && jobKeys.has(key)) ||
              (w.owner?.kind === 'Pod' && podKeys.has(key))
            );
          })
          .map(w => ({ ...w, entityRef: ref }));
        const queueNames = new Set(workloads.map(w => w.clusterQueue));
        const queues = objects.clusterQueues
          .filter(cq => queueNames.has(cq.metadata.name))
          .map(cq => toTeamQueue(cluster, cq, objects));
        const running = ownPods
          .filter(p => p.status?.phase === 'Running')
          .map(p => ({
            cluster,
            namespace: p.metadata!.namespace!,
            pod: p.metadata!.name!,
            job: p.metadata?.ownerReferences?.find(o => o.kind === 'Job')?.name,
          }));
        return { workloads, queues, pods: running };
      },
    );
    let workloads: GpuWorkload[] = results.flatMap(r => r.value.workloads);
    const queues: TeamQueue[] = results.flatMap(r => r.value.queues);
    const pods = results.flatMap(r => r.value.pods);
    const allErrors: GpuSourceError[] = [...errors];
    let utilization: EntityGpuResponse['utilization'];
    if (pods.length) {
      try {
        const { response, averages } =
          await this.options.utilization.podUtilization(pods, {
            minutes: options.minutes,
          });
        utilization = response;
        workloads = workloads.map(w => {
          const values = pods
            .filter(
              p =>
                p.cluster === w.cluster &&
                p.namespace === w.namespace &&
                (w.owner?.kind === 'Job'
                  ? p.job === w.owner.name
                  : p.pod === w.owner?.name),
            )
            .map(p => averages.get(`${p.cluster}/${p.namespace}/${p.pod}`))
            .filter((v): v is number => v !== undefined);
          return values.length
            ? {
                ...w,
                utilization:
                  Math.round(
                    (values.reduce((a, b) => a + b, 0) / values.length) * 10,
                  ) / 10,
              }
            : w;
        });
      } catch (e) {
        allErrors.push({ cluster: 'prometheus', message: errorMessage(e) });
      }
    }
    return {
      workloads: workloads.sort(
        (a, b) =>
          a.cluster.localeCompare(b.cluster) ||
          b.createdAt.localeCompare(a.createdAt),
      ),
      queues,
      ...(utilization ? { utilization } : {}),
      errors: allErrors,
    };
  }
}
