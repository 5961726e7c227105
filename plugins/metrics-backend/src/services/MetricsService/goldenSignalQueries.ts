import { InputError } from '@backstage/errors';
import { Entity } from '@backstage/catalog-model';
import {
  GOLDEN_SIGNALS,
  GoldenSignal,
  GoldenSignalResult,
  METRICS_SELECTOR_ANNOTATION,
  METRICS_SERVICE_ANNOTATION,
  metricsQueryAnnotation,
} from '@kubemate/plugin-metrics-common';
import {
  KUBERNETES_ID_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@kubemate/plugin-kubemate-common';

/** The quantiles drawn for latency; `$quantile` in a latency query takes each. */
export const LATENCY_QUANTILES = [0.5, 0.95, 0.99];

interface SignalDefinition {
  title: string;
  unit: GoldenSignalResult['unit'];
  query: string;
}

/**
 * Default queries over the usual HTTP server metrics (`http_server_requests_total`,
 * `http_server_request_duration_seconds`, `http_server_requests_in_flight`, as OpenTelemetry's
 * and prom-client's conventions name them), per namespace.
 */
export const DEFAULT_SIGNALS: Record<GoldenSignal, SignalDefinition> = {
  latency: {
    title: 'Latency',
    unit: 'seconds',
    query:
      'histogram_quantile($quantile, sum by (namespace, le) (rate(http_server_request_duration_seconds_bucket{$selector}[$window])))',
  },
  traffic: {
    title: 'Traffic',
    unit: 'requests/s',
    query:
      'sum by (namespace) (rate(http_server_requests_total{$selector}[$window]))',
  },
  errors: {
    title: 'Errors (5xx share)',
    unit: 'ratio',
    query:
      'sum by (namespace) (rate(http_server_requests_total{$selector,code=~"5.."}[$window])) / sum by (namespace) (rate(http_server_requests_total{$selector}[$window]))',
  },
  saturation: {
    title: 'Saturation (requests in flight)',
    unit: 'requests',
    query: 'sum by (namespace) (http_server_requests_in_flight{$selector})',
  },
};

const LABEL_MATCHERS =
  /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*"(\s*,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=|!=|=~|!~)\s*"[^"]*")*\s*$/;

function quote(value: string): string {
  return JSON.stringify(value);
}

/** The label matchers that select the entity's request metrics (without braces). */
export function entityMetricsSelector(entity: Entity): string {
  const a = entity.metadata.annotations ?? {};
  const custom = a[METRICS_SELECTOR_ANNOTATION];
  if (custom !== undefined) {
    const inner = custom.trim().replace(/^\{|\}$/g, '');
    if (!LABEL_MATCHERS.test(inner)) {
      throw new InputError(
        `${METRICS_SELECTOR_ANNOTATION} must be PromQL label matchers like job="api",env=~"prod|dev"; got ${custom}`,
      );
    }
    return inner.trim();
  }
  const service =
    a[METRICS_SERVICE_ANNOTATION] ||
    a[KUBERNETES_ID_ANNOTATION] ||
    entity.metadata.name;
  const namespace = a[KUBERNETES_NAMESPACE_ANNOTATION];
  return [
    `service=${quote(service)}`,
    ...(namespace ? [`namespace=${quote(namespace)}`] : []),
  ].join(',');
}

/** The rate window for a step: four steps, at least one minute (covers ≥ 4 scrapes). */
export function rateWindow(step: number): string {
  return `${Math.max(60, Math.ceil(4 * step))}s`;
}

export interface PlannedSignal {
  signal: GoldenSignal;
  title: string;
  unit: GoldenSignalResult['unit'];
  source: GoldenSignalResult['source'];
  /** One query per drawn line group (latency: per quantile), with a legend prefix. */
  queries: Array<{ query: string; legend?: string }>;
}

/** The queries to run for each golden signal of the entity, variables filled in. */
export function planGoldenSignals(
  entity: Entity,
  step: number,
): { selector: string; signals: PlannedSignal[] } {
  const selector = entityMetricsSelector(entity);
  const window = rateWindow(step);
  const a = entity.metadata.annotations ?? {};
  const fill = (q: string) =>
    q.replace(/\$selector/g, selector).replace(/\$window/g, window);
  const signals = GOLDEN_SIGNALS.map(signal => {
    const override = a[metricsQueryAnnotation(signal)];
    const def = DEFAULT_SIGNALS[signal];
    const template = fill(override ?? def.query);
    const queries =
      signal === 'latency' && template.includes('$quantile')
        ? LATENCY_QUANTILES.map(q => ({
            query: template.replace(/\$quantile/g, String(q)),
            legend: `p${Math.round(q * 100)}`,
          }))
        : [{ query: template }];
    return {
      signal,
      title: def.title,
      unit: def.unit,
      source: override ? ('annotation' as const) : ('default' as const),
      queries,
    };
  });
  return { selector: selector.replace(/^\{|\}$/g, ''), signals };
}

/** Matches the pods' names exactly (`a|b`, regex metacharacters escaped). */
export function podRegex(names: string[]): string {
  return names.map(n => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}

/** CPU cores as a number from a Kubernetes quantity (`250m`, `1`, `1.5`). */
export function parseCpu(q: string | undefined): number {
  if (!q) return 0;
  if (q.endsWith('m')) return Number(q.slice(0, -1)) / 1000;
  return Number(q) || 0;
}

const BYTE_SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
};

/** Bytes as a number from a Kubernetes quantity (`128Mi`, `1G`, `1000`). */
export function parseBytes(q: string | undefined): number {
  if (!q) return 0;
  const m = q.match(/^([0-9.]+)([a-zA-Z]*)$/);
  if (!m) return 0;
  const mult = m[2] ? BYTE_SUFFIX[m[2]] : 1;
  return mult ? Number(m[1]) * mult : 0;
}
