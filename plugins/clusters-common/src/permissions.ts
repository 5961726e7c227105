import { createPermission } from '@backstage/plugin-permission-common';
import {
  KubernetesPolicyRule,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/*
 * Cluster ops permissions. The entity-scoped ones are resource permissions on the Kubernetes
 * object concerned (resource type `clusters-object`); the backend also checks that the object
 * belongs to an entity the user can see in the catalog.
 */

/** Read the entity's Kubernetes objects (workloads, pods, events) and its audit trail. */
export const clustersResourcesReadPermission = createPermission({
  name: 'clusters.resources.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Read (and follow) the logs of the entity's pods. */
export const clustersPodLogsPermission = createPermission({
  name: 'clusters.pod.logs',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Scale a workload of the entity. */
export const clustersWorkloadScalePermission = createPermission({
  name: 'clusters.workload.scale',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Rollout-restart a workload of the entity. */
export const clustersWorkloadRestartPermission = createPermission({
  name: 'clusters.workload.restart',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Roll a Deployment of the entity back to an earlier revision. */
export const clustersWorkloadRollbackPermission = createPermission({
  name: 'clusters.workload.rollback',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Server-side apply (or dry-run) a manifest belonging to the entity. */
export const clustersWorkloadApplyPermission = createPermission({
  name: 'clusters.workload.apply',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Delete a pod of the entity (its controller replaces it). */
export const clustersPodDeletePermission = createPermission({
  name: 'clusters.pod.delete',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
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

/**
 * The Kubernetes RBAC rules each permission needs when the action is made as the user
 * (impersonation): what the RBAC sync grants in a role's namespaces.
 */
export const clustersKubernetesRules: Record<string, KubernetesPolicyRule[]> = {
  'clusters.resources.read': [
    {
      apiGroups: [''],
      resources: ['pods', 'events', 'services', 'configmaps', 'resourcequotas'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'],
      verbs: ['get', 'list', 'watch'],
    },
  ],
  'clusters.pod.logs': [
    { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get'] },
  ],
  'clusters.workload.scale': [
    {
      apiGroups: ['apps'],
      resources: ['deployments/scale', 'statefulsets/scale'],
      verbs: ['get', 'patch', 'update'],
    },
  ],
  'clusters.workload.restart': [
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'statefulsets', 'daemonsets'],
      verbs: ['get', 'patch'],
    },
  ],
  'clusters.workload.rollback': [
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'replicasets'],
      verbs: ['get', 'list', 'patch', 'update'],
    },
  ],
  'clusters.workload.apply': [
    {
      apiGroups: ['apps'],
      resources: ['deployments', 'statefulsets', 'daemonsets'],
      verbs: ['get', 'create', 'patch', 'update'],
    },
    {
      apiGroups: [''],
      resources: ['services', 'configmaps'],
      verbs: ['get', 'create', 'patch', 'update'],
    },
  ],
  'clusters.pod.delete': [
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'delete'] },
  ],
};
