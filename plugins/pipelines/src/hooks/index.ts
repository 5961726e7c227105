export { useEntityRuns, POLL_MS } from './useEntityRuns';
export { useStartablePipelines } from './useStartablePipelines';
export { useRunActions } from './useRunActions';
export { useRunFormat } from './useRunFormat';
export type { RunFormat } from './useRunFormat';
