/**
 * Kubemate pipelines: the entity tab "Pipelines" — Tekton runs across clusters with filters,
 * environment lanes and a duration trend; run details with task graph, params, results and step
 * logs; start, re-run and cancel gated by the user's permissions.
 *
 * @packageDocumentation
 */
export { pipelinesPlugin as default } from './plugin';
export { pipelinesApiRef } from './api/PipelinesApi';
export type { PipelinesApi, RunRef } from './api/PipelinesApi';
export { PipelinesClient } from './api/PipelinesClient';
export { pipelinesTranslationRef } from './translation';
