import { Entity } from '@backstage/catalog-model';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_LABEL_SELECTOR_ANNOTATION,
} from '@kubemate/plugin-kubemate-common';

/**
 * The value of the `service` label the entity's request metrics carry. Defaults to the
 * entity's `backstage.io/kubernetes-id`, else its name.
 */
export const METRICS_SERVICE_ANNOTATION = 'kubemate.io/metrics-service';

/**
 * PromQL label matchers that select the entity's request metrics instead of
 * `service="<service>"`, e.g. `job="payments", app=~"payments-.*"`.
 */
export const METRICS_SELECTOR_ANNOTATION = 'kubemate.io/metrics-selector';

/** The golden signals, in the order the entity tab draws them. */
export const GOLDEN_SIGNALS = [
  'latency',
  'traffic',
  'errors',
  'saturation',
] as const;
export type GoldenSignal = (typeof GOLDEN_SIGNALS)[number];

/**
 * Overrides the default query of one golden signal: `kubemate.io/metrics-query-latency`,
 * `…-traffic`, `…-errors`, `…-saturation`. The query may use the variables `$selector` (the
 * entity's label matchers), `$window` (the rate window picked from the range) and, for latency,
 * `$quantile` (0.5, 0.95 and 0.99 are drawn). It is scoped to the viewer's namespaces like any query.
 */
export const METRICS_QUERY_ANNOTATION_PREFIX = 'kubemate.io/metrics-query-';

export function metricsQueryAnnotation(signal: GoldenSignal): string {
  return `${METRICS_QUERY_ANNOTATION_PREFIX}${signal}`;
}

/** The entity has metrics when it names its workloads or its metrics. */
export function isMetricsAvailable(entity: Entity): boolean {
  const a = entity.metadata.annotations ?? {};
  return Boolean(
    a[METRICS_SERVICE_ANNOTATION] ||
      a[METRICS_SELECTOR_ANNOTATION] ||
      a[KUBERNETES_ID_ANNOTATION] ||
      a[KUBERNETES_LABEL_SELECTOR_ANNOTATION] ||
      GOLDEN_SIGNALS.some(s => a[metricsQueryAnnotation(s)]),
  );
}
