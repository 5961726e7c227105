import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  clustersObjectRef,
  getEntityKubernetesSelector,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';
import { KubeClients, requirePermission } from '@kubemate/plugin-kubemate-node';
import { TEKTON_SELECTOR_ANNOTATION } from '@kubemate/plugin-pipelines-common';
import { TEKTON, TektonObject } from './tekton';

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

export interface TektonSelector {
  labelSelector: string;
  namespace?: string;
}

/** The label selector (and namespace) of the entity's Tekton objects; 400 when it has none. */
export function tektonSelector(entity: Entity): TektonSelector {
  const custom = entity.metadata.annotations?.[TEKTON_SELECTOR_ANNOTATION];
  const k8s = getEntityKubernetesSelector(entity);
  if (custom) return { labelSelector: custom, namespace: k8s?.namespace };
  if (!k8s) {
    throw new InputError(
      `${stringifyEntityRef(
        entity,
      )} has no ${TEKTON_SELECTOR_ANNOTATION} or Kubernetes annotation`,
    );
  }
  return { labelSelector: k8s.labelSelector, namespace: k8s.namespace };
}

/** Tekton objects of a kind by label, in a namespace or cluster-wide. */
export async function listTekton(
  clients: KubeClients,
  plural: string,
  labelSelector: string,
  namespace?: string,
): Promise<TektonObject[]> {
  const api = clients.custom;
  const res = namespace
    ? await api.listNamespacedCustomObject({
        ...TEKTON,
        namespace,
        plural,
        labelSelector,
      })
    : await api.listClusterCustomObject({ ...TEKTON, plural, labelSelector });
  return (res as { items: TektonObject[] }).items;
}

/** 403 unless the user holds the permission on the object (or namespace). */
export async function authorizeObject(
  permissions: PermissionsService,
  credentials: BackstageCredentials,
  permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>,
  ref: {
    cluster: string;
    namespace: string;
    resource?: string;
    name?: string;
  },
): Promise<void> {
  await requirePermission(permissions, {
    credentials,
    permission,
    resourceRef: clustersObjectRef(ref),
  });
}
