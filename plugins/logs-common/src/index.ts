/**
 * Kubemate logs: permissions, annotations and API types shared by the logs plugins.
 *
 * @packageDocumentation
 */
import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';

export * from './annotations';
export * from './types';

/**
 * Read logs: a resource permission on namespaces (`clusters-object`). A role scoped to
 * `payments-*` reads exactly those namespaces' streams (the backend rewrites every LogQL
 * selector accordingly); an all-namespace role reads everything.
 */
export const logsReadPermission = createPermission({
  name: 'logs.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

export const logsPermissions = [logsReadPermission];
