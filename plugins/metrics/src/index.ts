/**
 * Kubemate metrics and alerts: the entity tab "Metrics" (golden signals, resource usage vs
 * requests/limits, PromQL explorer, alerts with silences) and the cluster-wide alerts page.
 *
 * @packageDocumentation
 */
export { metricsPlugin as default, alertsRouteRef } from './plugin';
export { metricsApiRef } from './api/MetricsApi';
export type { MetricsApi } from './api/MetricsApi';
export { MetricsClient } from './api/MetricsClient';
export { metricsTranslationRef } from './translation';
