import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  DependenciesResponse,
  TraceSearchResponse,
  TraceWaterfall,
} from '@kubemate/plugin-traces-common';

/** A search of an entity's traces. */
export interface SearchRequest {
  operation?: string;
  /** Span tags that must match, e.g. {"error": "true", "http.route": "/v1/payments"}. */
  tags?: Record<string, string>;
  /** Jaeger durations: `100ms`, `1.5s`. */
  minDuration?: string;
  maxDuration?: string;
  /** `1h`, `2d`… */
  lookback: string;
  limit: number;
  /** Only traces with an error span (filtered here: Jaeger v2's memory search cannot). */
  errorsOnly?: boolean;
}

/** The service graph, around an entity's services or (unscoped users only) all of it. */
export interface DependenciesRequest {
  entityRef?: string;
  lookbackMs: number;
}

/**
 * The traces capability over Jaeger: an entity's traces (its service names), the waterfall of a
 * trace and the service graph, within the namespaces the user may read (`traces.entity.read`).
 */
export interface TracesService {
  /** The entity's traces whose entity spans ran in the user's namespaces, newest first. */
  search(
    credentials: BackstageCredentials,
    entityRef: string,
    req: SearchRequest,
  ): Promise<TraceSearchResponse>;
  /** One trace as a waterfall; 403 when none of its spans is in the user's namespaces. */
  trace(
    credentials: BackstageCredentials,
    traceId: string,
  ): Promise<TraceWaterfall>;
  /** The service graph around the entity's services (every edge for unscoped users). */
  dependencies(
    credentials: BackstageCredentials,
    req: DependenciesRequest,
  ): Promise<DependenciesResponse>;
}
