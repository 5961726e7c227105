export * from './types';
export { DatabaseHistoryStore, HISTORY_TABLE } from './DatabaseHistoryStore';
