import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  getEntityKubernetesSelector,
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  labelsMatch,
} from '@kubemate/plugin-kubemate-common';

/**
 * The entity (visible to the user) that a workload belongs to: an entity whose Kubernetes
 * annotations select the workload's labels (and whose namespace annotation, if any, is the
 * workload's). Candidates are looked up by `backstage.io/kubernetes-id` and by single-label
 * `backstage.io/kubernetes-label-selector` values, as the user (the catalog hides what the user
 * may not see). NotAllowedError when none is found: the portal acts only on objects of entities
 * the user can see.
 */
export async function entityOfWorkload(
  catalog: CatalogService,
  credentials: BackstageCredentials,
  workload: {
    cluster: string;
    namespace: string;
    kind: string;
    name: string;
    labels?: Record<string, string>;
  },
): Promise<string> {
  const labels = workload.labels ?? {};
  const filter: Array<Record<string, string>> = Object.entries(labels).map(
    ([k, v]) => ({
      [`metadata.annotations.${KUBERNETES_LABEL_SELECTOR_ANNOTATION}`]: `${k}=${v}`,
    }),
  );
  if (labels[KUBERNETES_ID_ANNOTATION]) {
    filter.push({
      [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]:
        labels[KUBERNETES_ID_ANNOTATION],
    });
  }
  const what = `${workload.kind} ${workload.cluster}/${workload.namespace}/${workload.name}`;
  if (filter.length) {
    const { items } = await catalog.getEntities({ filter }, { credentials });
    const owner = items.find(entity => {
      const selector = getEntityKubernetesSelector(entity);
      return (
        selector &&
        (!selector.namespace || selector.namespace === workload.namespace) &&
        labelsMatch(selector, labels)
      );
    });
    if (owner) return stringifyEntityRef(owner);
  }
  throw new NotAllowedError(
    `${what} does not belong to a catalog entity you can see`,
  );
}
