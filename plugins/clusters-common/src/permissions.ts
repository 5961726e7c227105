import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/*
 * Cluster ops permissions. All of them are resource permissions on the catalog entity whose
 * workloads are concerned, so a policy can make them conditional on entity ownership
 * (`catalogConditions.isEntityOwner`).
 */

/** Read the entity's Kubernetes objects (workloads, pods, events) and its audit trail. */
export const clustersResourcesReadPermission = createPermission({
  name: 'clusters.resources.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Read (and follow) the logs of the entity's pods. */
export const clustersPodLogsPermission = createPermission({
  name: 'clusters.pod.logs',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Scale a workload of the entity. */
export const clustersWorkloadScalePermission = createPermission({
  name: 'clusters.workload.scale',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Rollout-restart a workload of the entity. */
export const clustersWorkloadRestartPermission = createPermission({
  name: 'clusters.workload.restart',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Roll a Deployment of the entity back to an earlier revision. */
export const clustersWorkloadRollbackPermission = createPermission({
  name: 'clusters.workload.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Server-side apply (or dry-run) a manifest belonging to the entity. */
export const clustersWorkloadApplyPermission = createPermission({
  name: 'clusters.workload.apply',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/** Delete a pod of the entity (its controller replaces it). */
export const clustersPodDeletePermission = createPermission({
  name: 'clusters.pod.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the overview of a whole cluster (nodes, capacity, namespaces); not tied to an entity.
 */
export const clustersOverviewReadPermission = createPermission({
  name: 'clusters.overview.read',
  attributes: { action: 'read' },
});

/** Every permission of the clusters plugin. */
export const clustersPermissions = [
  clustersResourcesReadPermission,
  clustersPodLogsPermission,
  clustersWorkloadScalePermission,
  clustersWorkloadRestartPermission,
  clustersWorkloadRollbackPermission,
  clustersWorkloadApplyPermission,
  clustersPodDeletePermission,
  clustersOverviewReadPermission,
];
