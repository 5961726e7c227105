import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@kubemate/plugin-kubemate-common';

/**
 * LogQL stream matchers selecting the entity's logs instead of `app="<kubernetes-id>"`, e.g.
 * `app="payments", container!="istio-proxy"` (braces optional).
 */
export const LOGS_SELECTOR_ANNOTATION = 'kubemate.io/logs-selector';

/** The entity has logs when it names its workloads or its log streams. */
export function isLogsAvailable(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[LOGS_SELECTOR_ANNOTATION] ||
      a[KUBERNETES_ID_ANNOTATION] ||
      a[KUBERNETES_LABEL_SELECTOR_ANNOTATION],
  );
}

/**
 * The stream matchers (without braces) of the entity's logs: the annotation, else
 * `app="<kubernetes-id>"` plus `namespace="<ns>"` when the entity names its namespace.
 */
export function entityLogsMatchers(entity: Entity): string | undefined {
  const a = entity.metadata.annotations ?? {};
  const custom = a[LOGS_SELECTOR_ANNOTATION];
  if (custom)
    return custom
      .trim()
      .replace(/^\{|\}$/g, '')
      .trim();
  const id = a[KUBERNETES_ID_ANNOTATION];
  if (!id) return undefined;
  const ns = a[KUBERNETES_NAMESPACE_ANNOTATION];
  return [
    `app=${JSON.stringify(id)}`,
    ...(ns ? [`namespace=${JSON.stringify(ns)}`] : []),
  ].join(', ');
}
