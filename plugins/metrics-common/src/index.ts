/**
 * Kubemate metrics: permissions and API types shared by the metrics plugins.
 *
 * @packageDocumentation
 */
import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-clusters-common';

/**
 * Run PromQL. A resource permission on namespaces (`clusters-object`): a role scoped to
 * `payments-*` lets its members query exactly those namespaces' series (the backend rewrites
 * every query accordingly); an all-namespace role lets them query everything.
 */
export const metricsQueryPermission = createPermission({
  name: 'metrics.query.run',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

export const metricsPermissions = [metricsQueryPermission];

/** Thanos `max_source_resolution` values: raw, 5-minute and 1-hour downsampled blocks. */
export type SourceResolution = '0s' | '5m' | '1h';

/** What POST /query and /query_range answer: Prometheus' data plus how the query was run. */
export interface QueryResponse {
  resultType: 'matrix' | 'vector' | 'scalar' | 'string';
  result: unknown[];
  /** The query as sent to Thanos (scoped to the user's namespaces). */
  effectiveQuery: string;
  /** Namespaces the query was scoped to; `all` when unscoped. */
  scope: 'all' | string[];
  dedup: boolean;
  /** Range queries only. */
  step?: number;
  maxSourceResolution?: SourceResolution;
  warnings?: string[];
}
