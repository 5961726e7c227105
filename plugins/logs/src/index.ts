/**
 * Kubemate logs: the entity tab "Logs" (query builder and raw LogQL, volume, virtualized lines,
 * live tail, line details with context and trace links).
 *
 * @packageDocumentation
 */
export { logsPlugin as default } from './plugin';
export { logsApiRef } from './api/LogsApi';
export type { LogsApi } from './api/LogsApi';
export { LogsClient } from './api/LogsClient';
export { logsTranslationRef } from './translation';
