/**
 * Kubemate inspections backend plugin (`/api/inspections`): a check engine over clusters,
 * hosts, applications and databases; runs with scores, diffs, exemptions, reports.
 *
 * @packageDocumentation
 */
export { inspectionsPlugin as default, inspectionsRbacModule } from './plugin';
export {
  createServices,
  INSPECTIONS_TASKS,
  DEFAULT_SCHEDULE,
} from './services/createServices';
export type {
  InspectionsServiceDeps,
  InspectionsServices,
} from './services/createServices';
export { createBuiltinChecks, builtinChecks } from './checks';
