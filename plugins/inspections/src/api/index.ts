export { inspectionsApiRef } from './InspectionsApi';
export type {
  InspectionsApi,
  ExemptionDecision,
  RunExport,
  RunsQuery,
} from './InspectionsApi';
export { InspectionsClient } from './InspectionsClient';
