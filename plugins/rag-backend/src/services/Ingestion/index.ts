export * from './types';
export {
  BOOTSTRAP_ACTOR,
  bootstrapFromConfig,
  DefaultIngestionService,
  ingestionSettingsFromConfig,
} from './DefaultIngestionService';
export type {
  BootstrapCollection,
  IngestionServiceOptions,
  IngestionSettings,
} from './DefaultIngestionService';
