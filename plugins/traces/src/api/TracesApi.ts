import { createApiRef } from '@backstage/frontend-plugin-api';
import type {
  DependenciesResponse,
  TraceSearchResponse,
  TraceWaterfall,
} from '@kubemate/plugin-traces-common';

export interface TraceSearch {
  operation?: string;
  /** Span tags that must match, e.g. {"http.route": "/v1/refunds"}. */
  tags?: Record<string, string>;
  minDuration?: string;
  maxDuration?: string;
  lookback: string;
  limit: number;
  errorsOnly: boolean;
}

/** The traces backend's API (`/api/traces`). */
export interface TracesApi {
  search(entityRef: string, search: TraceSearch): Promise<TraceSearchResponse>;
  trace(traceId: string): Promise<TraceWaterfall>;
  dependencies(entityRef: string): Promise<DependenciesResponse>;
}

export const tracesApiRef = createApiRef<TracesApi>({
  id: 'plugin.traces.service',
});
