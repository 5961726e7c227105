import { createPermission } from '@backstage/plugin-permission-common';
import {
  KubernetesPolicyRule,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/*
 * Inspections permissions. Reading runs and findings and requesting exemptions are resource
 * permissions on the inspected Kubernetes object (resource type `clusters-object`), so a role scoped
 * to `risk-*` sees and exempts the findings of those namespaces only; findings without a namespace
 * (nodes, control plane, hosts, databases) need an unconditional decision. Starting runs and
 * approving exemptions are basic permissions (platform teams).
 */

/** See runs, scores, findings (of the namespaces in scope), diffs, exports and the check catalogue. */
export const inspectionsRunReadPermission = createPermission({
  name: 'inspections.run.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Start an inspection run now (a scope of clusters, namespaces and categories). */
export const inspectionsRunCreatePermission = createPermission({
  name: 'inspections.run.create',
  attributes: { action: 'create' },
});

/** Request an exemption for a finding (reason, ticket, expiry); it applies once approved. */
export const inspectionsExemptionCreatePermission = createPermission({
  name: 'inspections.exemption.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Approve, reject or revoke exemptions (never one's own request). */
export const inspectionsExemptionApprovePermission = createPermission({
  name: 'inspections.exemption.approve',
  attributes: { action: 'update' },
});

/** Every permission of the inspections plugin. */
export const inspectionsPermissions = [
  inspectionsRunReadPermission,
  inspectionsRunCreatePermission,
  inspectionsExemptionCreatePermission,
  inspectionsExemptionApprovePermission,
];

/**
 * What each permission means in Kubernetes RBAC: nothing: inspections read the clusters with the
 * portal's own identity and never act in a cluster as the user.
 */
export const inspectionsKubernetesRules: Record<
  string,
  KubernetesPolicyRule[]
> = {};
