export { DefaultInspectionDataSources } from './DefaultInspectionDataSources';
export type {
  InspectionDataSourcesDeps,
  InspectionDataSourcesService,
  WarningEventReader,
} from './types';
