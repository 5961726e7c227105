/**
 * Kubemate traces: permissions, annotations and API types shared by the traces plugins.
 *
 * @packageDocumentation
 */
import { Entity } from '@backstage/catalog-model';
import { createPermission } from '@backstage/plugin-permission-common';
import {
  KUBERNETES_ID_ANNOTATION,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
} from '@kubemate/plugin-kubemate-common';

/**
 * Read traces: a resource permission on namespaces (`clusters-object`). Spans of namespaces
 * outside the user's scope are shown as redacted (timing and service only).
 */
export const tracesReadPermission = createPermission({
  name: 'traces.entity.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CLUSTERS_OBJECT,
});

export const tracesPermissions = [tracesReadPermission];

/** The tracing service name(s) of the entity, comma-separated; default its kubernetes-id. */
export const TRACES_SERVICE_ANNOTATION = 'kubemate.io/traces-service';

/** The entity's tracing service names. */
export function entityTraceServices(entity: Entity): string[] {
  const a = entity.metadata.annotations ?? {};
  const declared = a[TRACES_SERVICE_ANNOTATION];
  if (declared) {
    return declared
      .split(',')
      .map(s => s.trim())
      .filter(Boolean);
  }
  return a[KUBERNETES_ID_ANNOTATION] ? [a[KUBERNETES_ID_ANNOTATION]] : [];
}

export function isTracesAvailable(entity: Entity): boolean {
  return entityTraceServices(entity).length > 0;
}

/** A trace in search results. */
export interface TraceSummary {
  traceId: string;
  rootService: string;
  rootOperation: string;
  /** Unix microseconds. */
  startTime: number;
  /** Microseconds. */
  duration: number;
  spanCount: number;
  errorCount: number;
  services: string[];
}

export interface TraceSearchResponse {
  traces: TraceSummary[];
  scope: 'all' | string[];
}

/** A span of the waterfall, in display order (depth-first by start time). */
export interface WaterfallSpan {
  spanId: string;
  parentSpanId?: string;
  depth: number;
  service: string;
  namespace?: string;
  operation: string;
  /** Microseconds from the trace start. */
  offset: number;
  duration: number;
  error: boolean;
  /** On the critical path: the chain of spans that determines the trace's duration. */
  critical: boolean;
  /** Span outside the user's namespaces: only timing and service are shown. */
  redacted: boolean;
  tags: Record<string, string | number | boolean>;
  logs: Array<{
    offset: number;
    fields: Record<string, string | number | boolean>;
  }>;
}

export interface TraceWaterfall {
  traceId: string;
  /** Unix microseconds. */
  startTime: number;
  duration: number;
  services: string[];
  spans: WaterfallSpan[];
}

export interface DependencyEdge {
  parent: string;
  child: string;
  callCount: number;
}

export interface DependenciesResponse {
  edges: DependencyEdge[];
}
