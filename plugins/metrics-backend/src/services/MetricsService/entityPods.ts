import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getEntityKubernetesSelector,
  labelsMatch,
  namespaceInScope,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  NamespaceScope,
  ResourceCacheService,
} from '@kubemate/plugin-kubemate-node';

/** The entity as the user may see it (the catalog enforces read access); 404 when it is not. */
export async function getEntity(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  entityRef: string,
): Promise<Entity> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity) throw new NotFoundError(`Entity ${entityRef} not found`);
  return entity;
}

export type EntityPod = Awaited<ReturnType<typeof entityPods>>[number];

/** The entity's running pods in every cluster (from the shared cache), within the scope. */
export async function entityPods(
  deps: { clusters: ClusterRegistryService; cache: ResourceCacheService },
  entity: Entity,
  scope: NamespaceScope,
) {
  const selector = getEntityKubernetesSelector(entity);
  if (!selector) return [];
  const perCluster = await Promise.all(
    deps.clusters.listClusters().map(async c => {
      // the last known pods while a cluster is unreachable: their metrics are in Thanos
      const pods = await deps.cache.list(c.name, 'pods', {
        namespace: selector.namespace,
        labels: selector.labels,
        allowStale: true,
      });
      return pods
        .filter(p => labelsMatch(selector, p.metadata?.labels))
        .filter(
          p => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed',
        )
        .filter(
          p =>
            scope.type === 'all' ||
            namespaceInScope(scope.namespaces, p.metadata?.namespace ?? ''),
        )
        .map(p => ({ cluster: c.name, pod: p }));
    }),
  );
  return perCluster.flat();
}
