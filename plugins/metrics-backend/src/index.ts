/**
 * Kubemate metrics backend — in progress (issue #6). So far: PromQL scoping to the namespaces a
 * user may see (`scopeQuery`), tested against the real Thanos Query of the dev stack.
 *
 * @packageDocumentation
 */
export { scopeQuery, namespaceRegex, PromQLSyntaxError } from './promql/scope';
export type { NamespaceScope } from './promql/scope';
