export * from './types';
export { DatabaseHistoryStore, HISTORY_TABLE } from './DatabaseHistoryStore';
export {
  DefaultHistoryService,
  historyOwner,
  MAX_HISTORY_LIMIT,
} from './DefaultHistoryService';
export type { HistoryService } from './DefaultHistoryService';
