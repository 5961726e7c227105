import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';

/*
 * Permissions of the provisioning actions, checked for the user who runs the template on every
 * namespace an action touches (`clusters-object` refs `cluster/namespace`): a role scoped to
 * `payments-*` may provision `payments-ledger-dev` and nothing else.
 */
export const provisioningNamespaceEnsurePermission = createPermission({
  name: 'provisioning.namespace.ensure',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
export const provisioningQuotaApplyPermission = createPermission({
  name: 'provisioning.quota.apply',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
export const provisioningRbacBindPermission = createPermission({
  name: 'provisioning.rbac.bind',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
export const provisioningPipelineApplyPermission = createPermission({
  name: 'provisioning.pipeline.apply',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
export const provisioningDeploymentApplyPermission = createPermission({
  name: 'provisioning.deployment.apply',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});
/** Creating a repository on the configured Git host (basic). */
export const provisioningRepositoryCreatePermission = createPermission({
  name: 'provisioning.repository.create',
  attributes: { action: 'create' },
});

export const provisioningPermissions = [
  provisioningNamespaceEnsurePermission,
  provisioningQuotaApplyPermission,
  provisioningRbacBindPermission,
  provisioningPipelineApplyPermission,
  provisioningDeploymentApplyPermission,
  provisioningRepositoryCreatePermission,
];
