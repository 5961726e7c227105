export * from './types';
export {
  DefaultLogsService,
  TAIL_LIMITS,
  toLines,
  toNanos,
} from './DefaultLogsService';
