import type {
  TraceSummary,
  TraceWaterfall,
  WaterfallSpan,
} from '@kubemate/plugin-traces-common';
import type { JaegerSpan, JaegerTag, JaegerTrace } from './JaegerClient';

const NAMESPACE_TAGS = ['k8s.namespace.name', 'service.namespace'];

const tagsOf = (tags: JaegerTag[] = []) =>
  Object.fromEntries(tags.map(t => [t.key, t.value]));

/** The namespace a span ran in, from its process (resource) tags. */
export function spanNamespace(
  trace: JaegerTrace,
  span: JaegerSpan,
): string | undefined {
  const process = tagsOf(trace.processes[span.processID]?.tags);
  for (const k of NAMESPACE_TAGS)
    if (typeof process[k] === 'string') return process[k] as string;
  return undefined;
}

const isError = (s: JaegerSpan) =>
  s.tags.some(
    t => t.key === 'error' && (t.value === true || t.value === 'true'),
  );

const parentOf = (s: JaegerSpan) =>
  s.references?.find(r => r.refType === 'CHILD_OF' && r.traceID === s.traceID)
    ?.spanID;

/** The trace's spans in display order: depth-first from the roots, children by start time. */
function ordered(trace: JaegerTrace) {
  const ids = new Set(trace.spans.map(s => s.spanID));
  const children = new Map<string | undefined, JaegerSpan[]>();
  for (const s of trace.spans) {
    const p = parentOf(s);
    const key = p && ids.has(p) ? p : undefined; // orphans become roots
    children.set(key, [...(children.get(key) ?? []), s]);
  }
  for (const list of children.values())
    list.sort((a, b) => a.startTime - b.startTime);
  const out: Array<{ span: JaegerSpan; depth: number }> = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const s of children.get(parent) ?? []) {
      out.push({ span: s, depth });
      walk(s.spanID, depth + 1);
    }
  };
  walk(undefined, 0);
  return { out, children };
}

/**
 * The critical path: from the root, repeatedly the child that finishes last (before its parent's
 * end) — the chain whose spans determine when the request finished.
 */
function criticalPath(
  children: Map<string | undefined, JaegerSpan[]>,
): Set<string> {
  const onPath = new Set<string>();
  const roots = children.get(undefined) ?? [];
  let current = [...roots].sort(
    (a, b) => b.startTime + b.duration - (a.startTime + a.duration),
  )[0];
  while (current) {
    onPath.add(current.spanID);
    const end = current.startTime + current.duration;
    current = (children.get(current.spanID) ?? [])
      .filter(c => c.startTime + c.duration <= end + 1)
      .sort((a, b) => b.startTime + b.duration - (a.startTime + a.duration))[0];
  }
  return onPath;
}

/**
 * A trace as a waterfall; spans whose namespace `visible` rejects keep only timing and service
 * (their tags and logs are not the viewer's to read).
 */
export function toWaterfall(
  trace: JaegerTrace,
  visible: (namespace: string | undefined) => boolean,
): TraceWaterfall {
  const { out, children } = ordered(trace);
  const start = Math.min(...trace.spans.map(s => s.startTime));
  const end = Math.max(...trace.spans.map(s => s.startTime + s.duration));
  const critical = criticalPath(children);
  const spans: WaterfallSpan[] = out.map(({ span, depth }) => {
    const namespace = spanNamespace(trace, span);
    const redacted = !visible(namespace);
    return {
      spanId: span.spanID,
      parentSpanId: parentOf(span),
      depth,
      service: trace.processes[span.processID]?.serviceName ?? 'unknown',
      namespace,
      operation: redacted ? '(hidden)' : span.operationName,
      offset: span.startTime - start,
      duration: span.duration,
      error: isError(span),
      critical: critical.has(span.spanID),
      redacted,
      tags: redacted ? {} : tagsOf(span.tags),
      logs: redacted
        ? []
        : (span.logs ?? []).map(l => ({
            offset: l.timestamp - start,
            fields: tagsOf(l.fields),
          })),
    };
  });
  return {
    traceId: trace.traceID,
    startTime: start,
    duration: end - start,
    services: [...new Set(spans.map(s => s.service))].sort(),
    spans,
  };
}

export function toSummary(trace: JaegerTrace): TraceSummary {
  const { out } = ordered(trace);
  const root = out[0]?.span;
  const start = Math.min(...trace.spans.map(s => s.startTime));
  const end = Math.max(...trace.spans.map(s => s.startTime + s.duration));
  return {
    traceId: trace.traceID,
    rootService: root
      ? trace.processes[root.processID]?.serviceName ?? 'unknown'
      : 'unknown',
    rootOperation: root?.operationName ?? '',
    startTime: start,
    duration: end - start,
    spanCount: trace.spans.length,
    errorCount: trace.spans.filter(isError).length,
    services: [
      ...new Set(Object.values(trace.processes).map(p => p.serviceName)),
    ].sort(),
  };
}
