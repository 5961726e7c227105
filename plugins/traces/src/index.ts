/**
 * Kubemate traces: the entity tab "Traces" (search, waterfall with critical path, service graph,
 * logs of a trace).
 *
 * @packageDocumentation
 */
export { tracesPlugin as default } from './plugin';
export { tracesApiRef } from './api/TracesApi';
export type { TracesApi, TraceSearch } from './api/TracesApi';
export { TracesClient } from './api/TracesClient';
export { tracesTranslationRef } from './translation';
