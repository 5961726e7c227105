import { ServiceUnavailableError } from '@backstage/errors';
import {
  fetchUpstream,
  Upstream,
  upstreamFailed,
  UpstreamPool,
} from '@kubemate/plugin-kubemate-node';

/** Prometheus HTTP API answer. */
interface PromResponse {
  status: 'success' | 'error';
  data?: { resultType: any; result: unknown[] };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/** How long a Thanos Query request may take before it is a 503 (kubemate.metrics.thanosQuery.timeoutMs). */
export const THANOS_TIMEOUT_MS = 15_000;

/** A Thanos Query (or Prometheus) HTTP API client that names itself in every failure. */
export class ThanosClient {
  private readonly upstream: Upstream;

  /**
   * `timeoutMs`: kubemate.metrics.thanosQuery.timeoutMs (default {@link THANOS_TIMEOUT_MS});
   * `pool`: keep-alive connections to send through (default: the global fetch).
   */
  constructor(
    baseUrl: string,
    options: { timeoutMs?: number; pool?: UpstreamPool } = {},
  ) {
    this.upstream = {
      name: 'Thanos Query',
      url: baseUrl,
      timeoutMs: options.timeoutMs ?? THANOS_TIMEOUT_MS,
      pool: options.pool,
    };
  }

  /** The Prometheus API body, or a 503 when the answer has none. */
  private body(text: string, status: number): PromResponse {
    try {
      return JSON.parse(text) as PromResponse;
    } catch {
      throw new ServiceUnavailableError(
        `Thanos Query at ${this.upstream.url} answered ${status} without a Prometheus API body`,
      );
    }
  }

  async query(
    path: '/api/v1/query' | '/api/v1/query_range',
    params: Record<string, string>,
  ): Promise<NonNullable<PromResponse['data']> & { warnings?: string[] }> {
    const res = await fetchUpstream(this.upstream, path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
      // bad_data (parse errors, bad parameters) and execution errors: the user's query is at fault
      rejected: { statuses: [400, 422], what: 'the query' },
      errorMessage: (text, status) => {
        const body = this.body(text, status);
        return status === 400 || status === 422
          ? `${body.error ?? body.errorType}`
          : body.error ?? 'no data';
      },
    });
    const body = this.body(res.text, res.status);
    if (body.status !== 'success' || !body.data) {
      throw upstreamFailed(this.upstream, res.status, body.error ?? 'no data');
    }
    return { ...body.data, warnings: body.warnings };
  }
}
