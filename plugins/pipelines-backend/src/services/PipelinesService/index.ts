export { DefaultPipelinesService } from './DefaultPipelinesService';
export type { PipelinesServiceDeps } from './DefaultPipelinesService';
export type {
  PipelinesService,
  RunRef,
  StartRun,
  UserCredentials,
} from './types';
