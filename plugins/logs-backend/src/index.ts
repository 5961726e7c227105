/**
 * Kubemate logs backend: LogQL over Loki scoped to the namespaces the user may read; volume,
 * live tail, context and download.
 *
 * @packageDocumentation
 */
export { logsPlugin as default, logsRbacModule } from './plugin';
export { scopeLogQL, isMetricQuery } from './logql/scope';
