export * from './types';
export {
  DefaultReleaseActionsService,
  SKIP_ANALYSIS_BY,
  SKIP_ANALYSIS_REVISION,
} from './DefaultReleaseActionsService';
export type { DefaultReleaseActionsServiceOptions } from './DefaultReleaseActionsService';
export { entityOfWorkload } from './entityOf';
