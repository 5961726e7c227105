import type { Config } from '@backstage/config';
import type { InspectionCheck } from '@kubemate/plugin-inspections-node';
import { applicationChecks } from './application';
import { clusterChecks } from './cluster';
import { databaseChecks } from './database';
import { createHostChecks } from './host';
import { builtinChecksOptions } from './options';
import { createSecurityChecks } from './security';

export { builtinChecksOptions } from './options';
export type { BuiltinChecksOptions } from './options';

/**
 * The built-in checks, configured from `kubemate.inspections` (`allowedImageRegistries`,
 * `hostSelector`); thresholds, timeouts and enabling are applied by the engine.
 */
export function createBuiltinChecks(config?: Config): InspectionCheck[] {
  const options = builtinChecksOptions(config);
  return [
    ...clusterChecks,
    ...createSecurityChecks(options),
    ...applicationChecks,
    ...createHostChecks(options),
    ...databaseChecks,
  ];
}

/** The built-in checks with the default configuration (no registry allow-list, `job="node"`). */
export const builtinChecks: InspectionCheck[] = createBuiltinChecks();
