import { paymentsTrace, span } from './testTraces';
import { spanNamespace, toSummary, toWaterfall } from './waterfall';

const all = () => true;
const paymentsOnly = (ns: string | undefined) =>
  ns?.startsWith('payments-') ?? false;

describe('toWaterfall', () => {
  it('orders spans depth-first by start time with offsets from the trace start', () => {
    const w = toWaterfall(paymentsTrace(), all);
    expect(
      w.spans.map(s => [s.spanId, s.parentSpanId, s.depth, s.offset]),
    ).toEqual([
      ['root', undefined, 0, 0],
      ['cache', 'root', 1, 10],
      ['client', 'root', 1, 100],
      ['server', 'client', 2, 120],
    ]);
    expect(w).toMatchObject({
      traceId: 'a'.repeat(32),
      startTime: 1_000_000,
      duration: 1_000,
      services: ['payments-api', 'risk-engine'],
    });
  });

  it('marks the error span and the critical path (the child finishing last, at each level)', () => {
    const w = toWaterfall(paymentsTrace(), all);
    const by = Object.fromEntries(w.spans.map(s => [s.spanId, s]));
    expect(by.server.error).toBe(true);
    expect(by.root.error).toBe(false);
    expect(w.spans.filter(s => s.critical).map(s => s.spanId)).toEqual([
      'root',
      'client',
      'server',
    ]);
  });

  it('keeps tags and logs of visible spans and only timing and service of the others', () => {
    const w = toWaterfall(paymentsTrace(), paymentsOnly);
    const by = Object.fromEntries(w.spans.map(s => [s.spanId, s]));
    expect(by.client).toMatchObject({
      namespace: 'payments-dev',
      operation: 'p1 client',
      redacted: false,
      tags: { 'http.method': 'GET' },
      logs: [{ offset: 101, fields: { event: 'start' } }],
    });
    expect(by.server).toEqual({
      spanId: 'server',
      parentSpanId: 'client',
      depth: 2,
      service: 'risk-engine',
      namespace: 'risk-dev',
      operation: '(hidden)',
      offset: 120,
      duration: 700,
      error: true,
      critical: true,
      redacted: true,
      tags: {},
      logs: [],
    });
  });

  it('makes orphans (parent not in the trace) roots', () => {
    const t = paymentsTrace();
    t.spans = t.spans.filter(s => s.spanID !== 'root');
    const w = toWaterfall(t, all);
    expect(w.spans.filter(s => s.depth === 0).map(s => s.spanId)).toEqual([
      'cache',
      'client',
    ]);
  });
});

describe('spanNamespace', () => {
  it('reads k8s.namespace.name, else service.namespace, of the process', () => {
    const t = paymentsTrace();
    t.processes.p3 = {
      serviceName: 'x',
      tags: [{ key: 'service.namespace', value: 'ops' }],
    };
    t.processes.p4 = { serviceName: 'y' };
    const s = span(t.traceID, 's', 'p3', { start: 0, duration: 1 });
    expect(spanNamespace(t, t.spans[0])).toBe('risk-dev');
    expect(spanNamespace(t, s)).toBe('ops');
    expect(spanNamespace(t, { ...s, processID: 'p4' })).toBeUndefined();
  });
});

describe('toSummary', () => {
  it('names the root, counts spans and errors and lists the services', () => {
    expect(toSummary(paymentsTrace())).toEqual({
      traceId: 'a'.repeat(32),
      rootService: 'payments-api',
      rootOperation: 'p1 root',
      startTime: 1_000_000,
      duration: 1_000,
      spanCount: 4,
      errorCount: 1,
      services: ['payments-api', 'risk-engine'],
    });
  });
});
