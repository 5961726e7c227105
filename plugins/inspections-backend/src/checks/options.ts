import type { Config } from '@backstage/config';

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
