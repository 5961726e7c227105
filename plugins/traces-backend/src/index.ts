/**
 * Kubemate traces backend: Jaeger trace search per entity, waterfall with critical path and
 * dependency graph, scoped to the namespaces the user may read.
 *
 * @packageDocumentation
 */
export { tracesPlugin as default, tracesRbacModule } from './plugin';
