export * from './types';
export { DatabaseReleaseHistory } from './DatabaseReleaseHistory';
export type { RecordedEvent } from './DatabaseReleaseHistory';
export { ReleaseHistoryCollector } from './ReleaseHistoryCollector';
