import { InputError, ServiceUnavailableError } from '@backstage/errors';

/** Prometheus HTTP API answer. */
interface PromResponse {
  status: 'success' | 'error';
  data?: { resultType: any; result: unknown[] };
  errorType?: string;
  error?: string;
  warnings?: string[];
}

/** A Thanos Query (or Prometheus) HTTP API client that names itself in every failure. */
export class ThanosClient {
  constructor(private readonly baseUrl: string) {}

  async query(
    path: '/api/v1/query' | '/api/v1/query_range',
    params: Record<string, string>,
  ): Promise<NonNullable<PromResponse['data']> & { warnings?: string[] }> {
    let res: Response;
    try {
      res = await fetch(`${this.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (e as Error).message;
      throw new ServiceUnavailableError(
        `Thanos Query at ${this.baseUrl} is unavailable: ${cause}`,
      );
    }
    let body: PromResponse;
    try {
      body = (await res.json()) as PromResponse;
    } catch {
      throw new ServiceUnavailableError(
        `Thanos Query at ${this.baseUrl} answered ${res.status} without a Prometheus API body`,
      );
    }
    if (res.status === 400 || res.status === 422) {
      // bad_data (parse errors, bad parameters) and execution errors: the user's query is at fault
      throw new InputError(
        `Thanos Query rejected the query: ${body.error ?? body.errorType}`,
      );
    }
    if (!res.ok || body.status !== 'success' || !body.data) {
      throw new ServiceUnavailableError(
        `Thanos Query at ${this.baseUrl} failed (${res.status}): ${
          body.error ?? 'no data'
        }`,
      );
    }
    return { ...body.data, warnings: body.warnings };
  }
}
