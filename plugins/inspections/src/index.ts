/**
 * Kubemate inspections: the page "Inspections" — cluster cards with grade and trend, runs, a
 * run's report by category with evidence and remediation, comparing two runs, the exemption
 * register with approve / reject / revoke, the check catalogue, Run now with a scope — and the
 * entity card "Inspection findings".
 *
 * @packageDocumentation
 */
export { inspectionsPlugin as default } from './plugin';
export { inspectionsRouteRef } from './routes';
export { inspectionsApiRef, InspectionsClient } from './api';
export type {
  InspectionsApi,
  ExemptionDecision,
  RunExport,
  RunsQuery,
} from './api';
export { inspectionsTranslationRef } from './translation';
