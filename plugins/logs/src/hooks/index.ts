export { useLogQuery } from './useLogQuery';
export { useLogsResult } from './useLogsResult';
export type { LogsResult } from './useLogsResult';
export { useLiveTail, TAIL_KEEP } from './useLiveTail';
