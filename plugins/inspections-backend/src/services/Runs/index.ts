export * from './types';
export { DefaultInspectionRunsService } from './DefaultInspectionRunsService';
export type { InspectionRunsServiceOptions } from './DefaultInspectionRunsService';
export { diffRuns, summaryOf } from './diff';
export { filterDetails, readVisibility, visibilityOf } from './visibility';
export type { Visibility } from './visibility';
