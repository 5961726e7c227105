import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { getEntityKubernetesSelector } from '@kubemate/plugin-kubemate-common';
import type { EntityScope } from '../ClusterKubernetes';
import type { UserCredentials } from './types';

/**
 * Fetches the entity as the user (the catalog enforces read access) and returns its normalized
 * ref and Kubernetes selector: InputError for a malformed ref or an entity without Kubernetes
 * annotations, NotFoundError when the catalog does not return it.
 */
export async function resolveEntityScope(
  catalog: CatalogService,
  credentials: UserCredentials,
  entityRef: string,
): Promise<EntityScope> {
  let ref: string;
  try {
    ref = stringifyEntityRef(parseEntityRef(entityRef));
  } catch (e) {
    throw new InputError(`Invalid entity ref '${entityRef}'`);
  }
  const entity = await catalog.getEntityByRef(ref, { credentials });
  if (!entity) {
    throw new NotFoundError(`Entity ${ref} not found`);
  }
  const selector = getEntityKubernetesSelector(entity);
  if (!selector) {
    throw new InputError(
      `Entity ${ref} has no backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation`,
    );
  }
  return { entityRef: ref, selector };
}
