import { ReleaseSeries, SeriesPoint } from '@kubemate/plugin-canary-common';
import { fetchUpstream, Upstream } from '@kubemate/plugin-kubemate-node';

/** At most this many samples per line: the step grows with the window (never under 15 s). */
const MAX_POINTS = 240;
const MIN_STEP_S = 15;

/** A PromQL string literal (label values are Kubernetes names, escaped anyway). */
const quote = (s: string) => JSON.stringify(s);

/** The selector of a Deployment's inbound Linkerd-proxy series. */
const selector = (namespace: string, deployment: string, extra = '') =>
  `{namespace=${quote(namespace)},deployment=${quote(
    deployment,
  )},direction="inbound"${extra}}`;

/** Success rate in % (non-failure / all responses) of a Deployment, Linkerd's golden metric. */
export const successRateQuery = (namespace: string, deployment: string) =>
  `100 * sum(rate(response_total${selector(
    namespace,
    deployment,
    ',classification!="failure"',
  )}[1m])) / sum(rate(response_total${selector(namespace, deployment)}[1m]))`;

/** p99 response latency in ms of a Deployment. */
export const p99Query = (namespace: string, deployment: string) =>
  `histogram_quantile(0.99, sum by (le) (rate(response_latency_ms_bucket${selector(
    namespace,
    deployment,
  )}[1m])))`;

/** The step (s) for a window: ≥ 15 s, ≤ MAX_POINTS samples. */
export const stepFor = (minutes: number) =>
  Math.max(MIN_STEP_S, Math.ceil((minutes * 60) / MAX_POINTS / 15) * 15);

interface RangeResponse {
  error?: string;
  data?: {
    resultType?: string;
    result?: Array<{ values?: Array<[number, string]> }>;
  };
}

/**
 * One range query on the grid [start, end] by step: a sample per grid time, null where Prometheus
 * has none (or NaN, e.g. no traffic). Upstream down → 503 naming it (fetchUpstream).
 */
export async function rangeQuery(
  upstream: Upstream,
  query: string,
  grid: { start: number; end: number; step: number },
): Promise<SeriesPoint[]> {
  const params = new URLSearchParams({
    query,
    start: String(grid.start),
    end: String(grid.end),
    step: String(grid.step),
  });
  const res = await fetchUpstream(upstream, `/api/v1/query_range?${params}`, {
    rejected: { statuses: [400, 422], what: 'the query' },
    errorMessage: text => {
      try {
        return (JSON.parse(text) as RangeResponse).error ?? text.trim();
      } catch {
        return text.trim();
      }
    },
    maxMessageLength: 500,
  });
  const values = new Map<number, number>();
  for (const r of res.json<RangeResponse>()?.data?.result ?? []) {
    for (const [t, v] of r.values ?? []) {
      const n = Number(v);
      if (Number.isFinite(n)) values.set(Math.round(Number(t)), n);
    }
  }
  const points: SeriesPoint[] = [];
  for (let t = grid.start; t <= grid.end; t += grid.step) {
    points.push([t, values.get(t) ?? null]);
  }
  return points;
}

/**
 * Success rate and p99 latency of the primary (`<target>-primary`) and the canary (`<target>`)
 * over the last `minutes`, on one time grid aligned to the step (so the lines line up with each
 * other and with the weight history).
 */
export async function releaseSeries(
  upstream: Upstream,
  options: { namespace: string; target: string; minutes: number; now?: number },
): Promise<ReleaseSeries> {
  const step = stepFor(options.minutes);
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  const end = now - (now % step);
  const start = end - Math.floor((options.minutes * 60) / step) * step;
  const grid = { start, end, step };
  const side = async (deployment: string) => {
    const [successRate, p99Ms] = await Promise.all([
      rangeQuery(
        upstream,
        successRateQuery(options.namespace, deployment),
        grid,
      ),
      rangeQuery(upstream, p99Query(options.namespace, deployment), grid),
    ]);
    return { successRate, p99Ms };
  };
  const [primary, canary] = await Promise.all([
    side(`${options.target}-primary`),
    side(options.target),
  ]);
  return { step, primary, canary };
}
