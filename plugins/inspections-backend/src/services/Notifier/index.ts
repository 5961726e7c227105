export * from './types';
export {
  CLUSTER_NAME_ANNOTATION,
  DefaultInspectionNotifier,
  MAX_LISTED_FINDINGS,
  NOTIFICATION_TOPIC,
} from './DefaultInspectionNotifier';
export type { DefaultInspectionNotifierOptions } from './DefaultInspectionNotifier';
