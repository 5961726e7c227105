import { Entity } from '@backstage/catalog-model';

/** Same annotations as the upstream Kubernetes plugin. */
export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION =
  'backstage.io/kubernetes-label-selector';
/** On a Resource entity of type kubernetes-cluster: the cluster's name in the portal's config. */
export const KUBEMATE_CLUSTER_NAME_ANNOTATION = 'kubemate.io/cluster-name';

/** How an entity's Kubernetes objects are found. */
export interface EntityKubernetesSelector {
  /** A label selector in Kubernetes syntax (`a=b,c=d`). */
  labelSelector: string;
  /** The labels that every object of the entity must carry (parsed equality requirements). */
  labels: Record<string, string>;
  /** Limit to this namespace, if annotated. */
  namespace?: string;
}

/** True when the entity has one of the Kubernetes annotations. */
export function isKubernetesAvailable(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[KUBERNETES_ID_ANNOTATION] || a[KUBERNETES_LABEL_SELECTOR_ANNOTATION],
  );
}

/**
 * Parses the equality requirements (`k=v`, `k==v`) of a label selector. Set-based
 * requirements are passed to the apiserver untouched but not used for local matching.
 */
export function parseEqualityLabels(selector: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const part of selector.split(',')) {
    const m = part.trim().match(/^([^=!\s]+)\s*==?\s*([^=\s]*)$/);
    if (m) {
      labels[m[1]] = m[2];
    }
  }
  return labels;
}

/** The selector for an entity's objects, or undefined when the entity is not annotated. */
export function getEntityKubernetesSelector(
  entity: Entity,
): EntityKubernetesSelector | undefined {
  const a = entity.metadata.annotations ?? {};
  const namespace = a[KUBERNETES_NAMESPACE_ANNOTATION] || undefined;
  const selector = a[KUBERNETES_LABEL_SELECTOR_ANNOTATION];
  if (selector) {
    return {
      labelSelector: selector,
      labels: parseEqualityLabels(selector),
      namespace,
    };
  }
  const id = a[KUBERNETES_ID_ANNOTATION];
  if (id) {
    return {
      labelSelector: `${KUBERNETES_ID_ANNOTATION}=${id}`,
      labels: { [KUBERNETES_ID_ANNOTATION]: id },
      namespace,
    };
  }
  return undefined;
}

/** Whether an object's labels satisfy the entity's equality requirements. */
export function labelsMatch(
  selector: EntityKubernetesSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const entries = Object.entries(selector.labels);
  if (entries.length === 0) {
    return false;
  }
  return entries.every(([k, v]) => (labels ?? {})[k] === v);
}
