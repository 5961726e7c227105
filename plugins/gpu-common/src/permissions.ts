import { createPermission } from '@backstage/plugin-permission-common';
import {
  KubernetesPolicyRule,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/*
 * GPU quota permissions: resource permissions on the team namespace concerned (resource type
 * `clusters-object`, ref `<cluster>/<namespace>`), so a role scoped to `payments-*` grants them for
 * the queues whose LocalQueues live in those namespaces only. A ClusterQueue is visible to a user
 * who may read one of its LocalQueues' namespaces; admins (scope all) see every queue.
 */

/** See GPU capacity, the team queues (quota, usage, borrowing), workloads, utilization and idle GPUs. */
export const gpuCapacityReadPermission = createPermission({
  name: 'gpu.capacity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Ask for GPU quota for a team namespace (N GPUs of a flavor for a period, with a reason). */
export const gpuRequestCreatePermission = createPermission({
  name: 'gpu.request.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Approve or reject quota requests: an approval changes the team's ClusterQueue (as the approver). */
export const gpuRequestApprovePermission = createPermission({
  name: 'gpu.request.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Change a team queue directly: nominal quota, borrowing and lending limits, hold or resume. */
export const gpuQueueUpdatePermission = createPermission({
  name: 'gpu.queue.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Every permission of the gpu plugin. */
export const gpuPermissions = [
  gpuCapacityReadPermission,
  gpuRequestCreatePermission,
  gpuRequestApprovePermission,
  gpuQueueUpdatePermission,
];

const KUEUE = 'kueue.x-k8s.io';

/**
 * What each GPU permission means in Kubernetes RBAC when the action is made as the user (synced by
 * the RBAC plugin into a role's namespaces). ClusterQueues and ResourceFlavors are cluster-scoped:
 * a namespaced role cannot grant them, so changing a ClusterQueue needs a cluster-wide grant (the
 * platform admins' binding); the namespaced rules cover the LocalQueues, Workloads and quotas.
 */
export const gpuKubernetesRules: Record<string, KubernetesPolicyRule[]> = {
  'gpu.capacity.read': [
    {
      apiGroups: [KUEUE],
      resources: ['localqueues', 'workloads'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: [''],
      resources: ['resourcequotas', 'pods'],
      verbs: ['get', 'list', 'watch'],
    },
  ],
  'gpu.request.create': [],
  'gpu.request.approve': [
    {
      apiGroups: [KUEUE],
      resources: ['clusterqueues'],
      verbs: ['get', 'patch'],
    },
    {
      apiGroups: [''],
      resources: ['resourcequotas'],
      verbs: ['get', 'patch'],
    },
  ],
  'gpu.queue.update': [
    {
      apiGroups: [KUEUE],
      resources: ['clusterqueues'],
      verbs: ['get', 'patch'],
    },
  ],
};
