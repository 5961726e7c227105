import type { Config } from '@backstage/config';
import type { InspectionCheck } from '@kubemate/plugin-inspections-node';
import { clusterChecks } from './cluster';

/** What the built-in checks read from configuration besides their thresholds. */
export interface BuiltinChecksOptions {
  /** kubemate.inspections.allowedImageRegistries (empty: every registry allowed). */
  allowedImageRegistries: string[];
  /** kubemate.inspections.hostSelector: PromQL label matchers of the node exporter series. */
  hostSelector: string;
}

export function builtinChecksOptions(config?: Config): BuiltinChecksOptions {
  return {
    allowedImageRegistries:
      config?.getOptionalStringArray(
        'kubemate.inspections.allowedImageRegistries',
      ) ?? [],
    hostSelector:
      config?.getOptionalString('kubemate.inspections.hostSelector') ??
      'job="node"',
  };
}

/** The built-in checks, configured from `kubemate.inspections` (registries, host selector). */
export function createBuiltinChecks(config?: Config): InspectionCheck[] {
  builtinChecksOptions(config); // validates the keys; used by the checks still to come
  return [...clusterChecks];
}

/** The built-in checks with the default configuration (no registry allow-list, `job="node"`). */
export const builtinChecks: InspectionCheck[] = createBuiltinChecks();
