import { fetchUpstream, Upstream } from '@kubemate/plugin-kubemate-node';

/** One series of a Prometheus answer: its labels and its samples (epoch seconds, value). */
export interface PromSeries {
  metric: Record<string, string>;
  values: Array<[number, number]>;
}

interface PromResponse {
  status?: string;
  error?: string;
  data?: {
    resultType?: string;
    result?: Array<{
      metric?: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>;
  };
}

const errorMessage = (text: string) => {
  try {
    return (JSON.parse(text) as PromResponse).error ?? text.trim();
  } catch {
    return text.trim();
  }
};

function toSeries(res: PromResponse | undefined): PromSeries[] {
  return (res?.data?.result ?? []).map(r => ({
    metric: r.metric ?? {},
    values: (r.values ?? (r.value ? [r.value] : []))
      .map(([t, v]) => [Number(t), Number(v)] as [number, number])
      .filter(([, v]) => Number.isFinite(v)),
  }));
}

/**
 * The Prometheus HTTP API (instant and range queries) through kubemate-node's fetch helper: a
 * timeout, 503 naming Prometheus when it is down or fails, 400 when it rejects the query.
 */
export class PrometheusClient {
  constructor(readonly upstream: Upstream) {}

  private async get(path: string, params: Record<string, string>) {
    const res = await fetchUpstream(
      this.upstream,
      `${path}?${new URLSearchParams(params)}`,
      {
        rejected: { statuses: [400, 422], what: 'the query' },
        errorMessage,
        maxMessageLength: 500,
      },
    );
    return toSeries(res.json<PromResponse>());
  }

  instant(query: string, time?: number): Promise<PromSeries[]> {
    return this.get('/api/v1/query', {
      query,
      ...(time ? { time: String(time) } : {}),
    });
  }

  range(
    query: string,
    grid: { start: number; end: number; step: number },
  ): Promise<PromSeries[]> {
    return this.get('/api/v1/query_range', {
      query,
      start: String(grid.start),
      end: String(grid.end),
      step: String(grid.step),
    });
  }
}

/** A time grid over the last `minutes` with at most ~240 points, aligned to its step. */
export function gridFor(
  minutes: number,
  now: number = Date.now(),
): { start: number; end: number; step: number } {
  const step = Math.max(15, Math.ceil((minutes * 60) / 240 / 15) * 15);
  const t = Math.floor(now / 1000);
  const end = t - (t % step);
  return { start: end - Math.floor((minutes * 60) / step) * step, end, step };
}

/** Escapes a value for a PromQL string literal. */
export const promString = (s: string) =>
  `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
