import { createPermission } from '@backstage/plugin-permission-common';
import {
  KubernetesPolicyRule,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/*
 * Canary and gray release permissions: resource permissions on the Kubernetes object concerned
 * (resource type `clusters-object`: the Canary, the HTTPRoute or the namespace), so a role scoped
 * to `payments-*` grants them in those namespaces only. The backend also checks that the object
 * belongs to an entity the user can see in the catalog.
 */

/** Read an entity's releases, their checks with measured values, history and traffic split. */
export const canaryReleaseReadPermission = createPermission({
  name: 'canary.release.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Start a canary release: a new image (and pod-template annotations) on the target Deployment. */
export const canaryReleaseStartPermission = createPermission({
  name: 'canary.release.start',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Open a release's gates (confirm-rollout, confirm-promotion), hold it again, or promote now. */
export const canaryReleaseApprovePermission = createPermission({
  name: 'canary.release.approve',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Abort a release: Flagger rolls the canary back. */
export const canaryReleaseAbortPermission = createPermission({
  name: 'canary.release.abort',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Create or change a gray release: a Service's route weights over Deployments and header rules. */
export const canaryTrafficUpdatePermission = createPermission({
  name: 'canary.traffic.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Every permission of the canary plugin. */
export const canaryPermissions = [
  canaryReleaseReadPermission,
  canaryReleaseStartPermission,
  canaryReleaseApprovePermission,
  canaryReleaseAbortPermission,
  canaryTrafficUpdatePermission,
];

const FLAGGER = 'flagger.app';
const GATEWAY = 'gateway.networking.k8s.io';

/**
 * What each canary permission means in Kubernetes RBAC when the action is made as the user
 * (synced by the RBAC plugin into a role's namespaces).
 */
export const canaryKubernetesRules: Record<string, KubernetesPolicyRule[]> = {
  'canary.release.read': [
    {
      apiGroups: [FLAGGER],
      resources: ['canaries', 'metrictemplates'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: [GATEWAY],
      resources: ['httproutes'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: ['apps'],
      resources: ['deployments'],
      verbs: ['get', 'list', 'watch'],
    },
    {
      apiGroups: [''],
      resources: ['services', 'events'],
      verbs: ['get', 'list', 'watch'],
    },
  ],
  'canary.release.start': [
    {
      apiGroups: ['apps'],
      resources: ['deployments'],
      verbs: ['get', 'patch'],
    },
  ],
  'canary.release.approve': [
    { apiGroups: [FLAGGER], resources: ['canaries'], verbs: ['get', 'patch'] },
  ],
  'canary.release.abort': [
    { apiGroups: [FLAGGER], resources: ['canaries'], verbs: ['get', 'patch'] },
  ],
  'canary.traffic.update': [
    {
      apiGroups: [GATEWAY],
      resources: ['httproutes'],
      verbs: ['get', 'create', 'patch', 'update'],
    },
  ],
};
