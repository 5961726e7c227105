import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type { InspectionCheck } from './checks';

/**
 * Adds checks to the inspections engine. Registered by the inspections backend plugin; use it from
 * a backend module:
 *
 * ```ts
 * export default createBackendModule({
 *   pluginId: 'inspections',
 *   moduleId: 'my-checks',
 *   register(reg) {
 *     reg.registerInit({
 *       deps: { inspections: inspectionsChecksExtensionPoint },
 *       async init({ inspections }) {
 *         inspections.addChecks(myCheck);
 *       },
 *     });
 *   },
 * });
 * ```
 *
 * Ids must be unique (`<category>.<name>`); a duplicate id fails the backend's start.
 */
export interface InspectionsChecksExtensionPoint {
  addChecks(...checks: InspectionCheck[]): void;
}

export const inspectionsChecksExtensionPoint =
  createExtensionPoint<InspectionsChecksExtensionPoint>({
    id: 'inspections.checks',
  });
