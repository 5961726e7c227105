import { NotFoundError } from '@backstage/errors';
import { fetchUpstream, Upstream } from '@kubemate/plugin-kubemate-node';

/** Jaeger's query API (JSON, `/api/...`) types, as far as the portal reads them. */
export interface JaegerTag {
  key: string;
  type?: string;
  value: string | number | boolean;
}
export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: Array<{ refType: string; traceID: string; spanID: string }>;
  startTime: number;
  duration: number;
  tags: JaegerTag[];
  logs?: Array<{ timestamp: number; fields: JaegerTag[] }>;
  processID: string;
}
export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags?: JaegerTag[] }>;
}

/** Jaeger's answer envelope; a body that is not JSON reads as empty. */
function readJaegerBody<T>(text: string): {
  data?: T;
  errors?: Array<{ msg?: string }>;
} {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

/** An edge of Jaeger's service graph. */
export interface JaegerDependency {
  parent: string;
  child: string;
  callCount: number;
}

/** What the traces service asks of Jaeger (fakes implement it in unit tests). */
export interface JaegerApi {
  search(params: Record<string, string>): Promise<JaegerTrace[]>;
  trace(traceId: string): Promise<JaegerTrace>;
  services(): Promise<string[]>;
  operations(service: string): Promise<string[]>;
  dependencies(endTs: number, lookbackMs: number): Promise<JaegerDependency[]>;
}

/** How long a Jaeger request may take before it is a 503 (kubemate.traces.jaeger.timeoutMs). */
export const JAEGER_TIMEOUT_MS = 15_000;

/** Jaeger query HTTP API client that names Jaeger in every failure. */
export class JaegerClient implements JaegerApi {
  private readonly upstream: Upstream;

  /** `timeoutMs`: kubemate.traces.jaeger.timeoutMs (default {@link JAEGER_TIMEOUT_MS}). */
  constructor(baseUrl: string, options: { timeoutMs?: number } = {}) {
    this.upstream = {
      name: 'Jaeger',
      url: baseUrl,
      timeoutMs: options.timeoutMs ?? JAEGER_TIMEOUT_MS,
    };
  }

  private async get<T>(path: string): Promise<T> {
    const res = await fetchUpstream(this.upstream, path, {
      rejected: { statuses: [400], what: 'the request' },
      notFound: true,
      errorMessage: text =>
        readJaegerBody(text)
          .errors?.map(e => e.msg)
          .join('; ') || text.trim(),
      maxMessageLength: 500,
    });
    return readJaegerBody<T>(res.text).data as T;
  }

  search(params: Record<string, string>): Promise<JaegerTrace[]> {
    return this.get(`/api/traces?${new URLSearchParams(params)}`);
  }

  async trace(traceId: string): Promise<JaegerTrace> {
    const [trace] = await this.get<JaegerTrace[]>(
      `/api/traces/${encodeURIComponent(traceId)}`,
    );
    if (!trace) throw new NotFoundError(`Trace ${traceId} not found`);
    return trace;
  }

  services(): Promise<string[]> {
    return this.get('/api/services');
  }

  operations(service: string): Promise<string[]> {
    return this.get(`/api/services/${encodeURIComponent(service)}/operations`);
  }

  dependencies(endTs: number, lookbackMs: number) {
    return this.get<JaegerDependency[]>(
      `/api/dependencies?endTs=${endTs}&lookback=${lookbackMs}`,
    );
  }
}
