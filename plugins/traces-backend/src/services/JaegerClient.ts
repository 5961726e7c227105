import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';

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

/** Jaeger query HTTP API client that names Jaeger in every failure. */
export class JaegerClient {
  constructor(private readonly baseUrl: string) {}

  private async get<T>(path: string): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ServiceUnavailableError(
        `Jaeger at ${this.baseUrl} is unavailable: ${
          c?.code ?? c?.message ?? (e as Error).message
        }`,
      );
    }
    const text = await res.text();
    let body: { data?: T; errors?: Array<{ msg?: string }> } = {};
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: reported below with the status
    }
    const message = body.errors?.map(e => e.msg).join('; ') || text.trim();
    if (res.status === 400)
      throw new InputError(`Jaeger rejected the request: ${message}`);
    if (res.status === 404)
      throw new NotFoundError(`Jaeger: ${message || 'not found'}`);
    if (!res.ok) {
      throw new ServiceUnavailableError(
        `Jaeger at ${this.baseUrl} failed (${res.status}): ${message.slice(
          0,
          500,
        )}`,
      );
    }
    return body.data as T;
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
    return this.get<
      Array<{ parent: string; child: string; callCount: number }>
    >(`/api/dependencies?endTs=${endTs}&lookback=${lookbackMs}`);
  }
}
