/**
 * Kubemate metrics backend — in progress (issue #6): `/api/metrics/query` and `/query_range`
 * over Thanos Query, every query scoped to the namespaces the user may see.
 *
 * @packageDocumentation
 */
export { metricsPlugin as default } from './plugin';
export { scopeQuery, namespaceRegex, PromQLSyntaxError } from './promql/scope';
export type { NamespaceScope } from './promql/scope';
export { rangeParameters } from './promql/resolution';
