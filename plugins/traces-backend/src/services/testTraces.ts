import type { JaegerSpan, JaegerTrace } from './JaegerClient';

/** A span of a test trace: `parent` a CHILD_OF reference, times in microseconds. */
export function span(
  traceID: string,
  spanID: string,
  processID: string,
  o: {
    parent?: string;
    start: number;
    duration: number;
    op?: string;
    error?: boolean;
  },
): JaegerSpan {
  return {
    traceID,
    spanID,
    processID,
    operationName: o.op ?? `${processID} ${spanID}`,
    references: o.parent
      ? [{ refType: 'CHILD_OF', traceID, spanID: o.parent }]
      : [],
    startTime: o.start,
    duration: o.duration,
    tags: [
      { key: 'http.method', value: 'GET' },
      ...(o.error ? [{ key: 'error', type: 'bool', value: true }] : []),
    ],
    logs: [
      { timestamp: o.start + 1, fields: [{ key: 'event', value: 'start' }] },
    ],
  };
}

/** A process of a test trace: service name and namespace resource tag. */
export const proc = (serviceName: string, namespace: string) => ({
  serviceName,
  tags: [{ key: 'k8s.namespace.name', value: namespace }],
});

/**
 * payments-api (payments-dev) → its client span → risk-engine (risk-dev, error), and a fast cache
 * call of payments-api that finishes early.
 */
export function paymentsTrace(traceID = 'a'.repeat(32)): JaegerTrace {
  return {
    traceID,
    processes: {
      p1: proc('payments-api', 'payments-dev'),
      p2: proc('risk-engine', 'risk-dev'),
    },
    spans: [
      // listed out of order on purpose
      span(traceID, 'server', 'p2', {
        parent: 'client',
        start: 1_000_120,
        duration: 700,
        error: true,
      }),
      span(traceID, 'root', 'p1', { start: 1_000_000, duration: 1_000 }),
      span(traceID, 'cache', 'p1', {
        parent: 'root',
        start: 1_000_010,
        duration: 50,
      }),
      span(traceID, 'client', 'p1', {
        parent: 'root',
        start: 1_000_100,
        duration: 800,
      }),
    ],
  };
}
