/**
 * Kubemate metrics: permissions and API types shared by the metrics plugins.
 *
 * @packageDocumentation
 */
import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';

export * from './annotations';
export * from './types';

/**
 * Run PromQL. A resource permission on namespaces (`clusters-object`): a role scoped to
 * `payments-*` lets its members query exactly those namespaces' series (the backend rewrites
 * every query accordingly); an all-namespace role lets them query everything.
 */
export const metricsQueryPermission = createPermission({
  name: 'metrics.query.run',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/**
 * Read the alerts of Alertmanager (an entity's alerts and the cluster-wide alerts page). Scoped like
 * `metrics.query.run`: a namespace-scoped role sees the alerts whose `namespace` label it covers.
 */
export const metricsAlertReadPermission = createPermission({
  name: 'metrics.alert.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Create an Alertmanager silence (audited; limited to the namespaces the role covers). */
export const metricsSilenceCreatePermission = createPermission({
  name: 'metrics.silence.create',
  attributes: { action: 'create' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

/** Expire an Alertmanager silence (audited; limited to the namespaces the role covers). */
export const metricsSilenceExpirePermission = createPermission({
  name: 'metrics.silence.expire',
  attributes: { action: 'delete' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

export const metricsPermissions = [
  metricsQueryPermission,
  metricsAlertReadPermission,
  metricsSilenceCreatePermission,
  metricsSilenceExpirePermission,
];
