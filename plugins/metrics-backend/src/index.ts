/**
 * Kubemate metrics backend: PromQL over Thanos Query scoped to the namespaces the user may see,
 * golden signals per entity, Alertmanager alerts and silences.
 *
 * @packageDocumentation
 */
export { metricsPlugin as default, metricsRbacModule } from './plugin';
export { scopeQuery, PromQLSyntaxError } from './promql/scope';
export { rangeParameters } from './promql/resolution';
