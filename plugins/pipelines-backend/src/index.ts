/**
 * Kubemate pipelines backend (in progress): Tekton PipelineRuns of an entity; start, re-run and
 * cancel as the user; step logs.
 *
 * @packageDocumentation
 */
export { pipelinesPlugin as default, pipelinesRbacModule } from './plugin';
