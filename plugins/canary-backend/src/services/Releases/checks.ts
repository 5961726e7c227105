import { CheckResult } from '@kubemate/plugin-canary-common';
import { fetchUpstream, Upstream } from '@kubemate/plugin-kubemate-node';
import { CanaryObject, canaryServiceName, FlaggerMetric } from './flagger';

/**
 * The variables Flagger gives a MetricTemplate's query (its MetricTemplateModel, filled by
 * `toMetricModel` of pkg/controller/scheduler_metrics.go in v1.44): the Canary's name and
 * namespace, the target, the apex service, ingress and route names, the metric's interval as
 * written, and the metric's templateVariables.
 */
export interface MetricTemplateModel {
  name: string;
  namespace: string;
  target: string;
  service: string;
  ingress: string;
  route: string;
  interval: string;
  variables: Record<string, string>;
}

/** The model Flagger renders a metric of this Canary with (same defaults as Flagger). */
export function metricModel(
  canary: CanaryObject & {
    spec: { ingressRef?: { name: string }; routeRef?: { name: string } };
  },
  metric: FlaggerMetric,
): MetricTemplateModel {
  const target = canary.spec.targetRef.name;
  return {
    name: canary.metadata.name,
    namespace: canary.metadata.namespace,
    target,
    service: canaryServiceName(canary),
    ingress: canary.spec.ingressRef?.name ?? target,
    route: canary.spec.routeRef?.name ?? target,
    interval: metric.interval ?? '',
    variables: metric.templateVariables ?? {},
  };
}

const ACTION = /\{\{(-?)\s*([\s\S]*?)\s*(-?)\}\}/g;
const FUNCTIONS = [
  'name',
  'namespace',
  'target',
  'service',
  'ingress',
  'route',
  'interval',
] as const;

/** One template action's value: a model function, `variables.key` or `index variables "key"`. */
function evaluate(action: string, model: MetricTemplateModel): string {
  const fn = action.replace(/^\(\s*(\w+)\s*\)$/, '$1');
  if ((FUNCTIONS as readonly string[]).includes(fn)) {
    return model[fn as (typeof FUNCTIONS)[number]];
  }
  const dotted = action.match(/^\(?\s*variables\s*\)?\.([A-Za-z_]\w*)$/);
  const indexed = action.match(/^index\s+\(?\s*variables\s*\)?\s+"([^"]*)"$/);
  const key = dotted?.[1] ?? indexed?.[1];
  if (key !== undefined) {
    if (!(key in model.variables)) {
      throw new Error(`map has no entry for key "${key}"`);
    }
    return model.variables[key];
  }
  throw new Error(`unsupported template action {{ ${action} }}`);
}

/**
 * Renders a MetricTemplate query as Flagger does (Go text/template with the model's functions,
 * `missingkey=error`): `{{ namespace }}`, `{{ target }}`, `{{ interval }}`, `{{ name }}`,
 * `{{ service }}`, `{{ ingress }}`, `{{ route }}`, `{{ variables.key }}` /
 * `{{ index variables "key" }}`, with `{{-`/`-}}` trimming. Other actions throw.
 */
export function renderQuery(
  template: string,
  model: MetricTemplateModel,
): string {
  let out = '';
  let last = 0;
  let trimNext = false;
  for (const m of template.matchAll(ACTION)) {
    let text = template.slice(last, m.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (m[1] === '-') text = text.replace(/\s+$/, '');
    out += text + evaluate(m[2], model);
    trimNext = m[3] === '-';
    last = m.index! + m[0].length;
  }
  let rest = template.slice(last);
  if (trimNext) rest = rest.replace(/^\s+/, '');
  return out + rest;
}

/** Flagger's Prometheus provider collapses whitespace before it sends the query. */
export const trimQuery = (query: string) => query.replace(/\s+/g, ' ');

/** Whether a value passes the metric's threshold range (Flagger: < min or > max fails). */
export function passes(metric: FlaggerMetric, value: number): boolean {
  const range = metric.thresholdRange;
  if (range) {
    if (range.min !== undefined && range.min !== null && value < range.min)
      return false;
    if (range.max !== undefined && range.max !== null && value > range.max)
      return false;
    return true;
  }
  if (metric.threshold !== undefined) return value <= metric.threshold;
  return true;
}

interface PromResponse {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ value?: [number, string]; values?: unknown[] }> | unknown;
  };
}

/**
 * Runs an instant query like Flagger's Prometheus provider: the value of the (last) sample;
 * "no values found" for an empty result or NaN. Upstream failures throw (503 naming it).
 */
export async function instantQuery(
  upstream: Upstream,
  query: string,
): Promise<number | undefined> {
  const res = await fetchUpstream(
    upstream,
    `/api/v1/query?query=${encodeURIComponent(trimQuery(query))}`,
    {
      rejected: { statuses: [400, 422], what: 'the query' },
      errorMessage: text => {
        try {
          return (JSON.parse(text) as PromResponse).error ?? text.trim();
        } catch {
          return text.trim();
        }
      },
      maxMessageLength: 500,
    },
  );
  const body = res.json<PromResponse>();
  const data = body?.data;
  if (data?.resultType === 'scalar') {
    const [, v] = data.result as [number, string];
    const n = Number(v);
    return Number.isNaN(n) ? undefined : n;
  }
  let value: number | undefined;
  for (const r of (Array.isArray(data?.result) ? data!.result : []) as Array<{
    value?: [number, string];
    values?: unknown[];
  }>) {
    if (r.values) throw new Error('multiple values returned (a range vector)');
    if (r.value) value = Number(r.value[1]);
  }
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

/** What a check needs besides the Canary: the MetricTemplates and Prometheus. */
export interface CheckContext {
  /** Reads a MetricTemplate (throws when absent or unreadable). */
  template(namespace: string, name: string): Promise<{ query?: string }>;
  prometheus?: Upstream;
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The analysis checks of a Canary re-run now over the same window: each metric with a
 * templateRef (or an inline query) is rendered as Flagger renders it and queried as an instant
 * query; builtin checks (request-success-rate/request-duration without a template) are listed,
 * not measured.
 */
export async function runChecks(
  canary: CanaryObject,
  ctx: CheckContext,
): Promise<CheckResult[]> {
  const metrics = canary.spec.analysis?.metrics ?? [];
  return Promise.all(
    metrics.map(async (metric): Promise<CheckResult> => {
      const base: CheckResult = {
        name: metric.name,
        interval: metric.interval || '1m',
        thresholdMin: metric.thresholdRange?.min ?? undefined,
        thresholdMax:
          metric.thresholdRange?.max ??
          (metric.thresholdRange ? undefined : metric.threshold),
      };
      let queryTemplate = metric.query;
      if (metric.templateRef) {
        const ns = metric.templateRef.namespace || canary.metadata.namespace;
        base.template = `${ns}/${metric.templateRef.name}`;
        try {
          queryTemplate = (await ctx.template(ns, metric.templateRef.name))
            .query;
        } catch (e) {
          return {
            ...base,
            error: `MetricTemplate ${base.template}: ${messageOf(e)}`,
          };
        }
        if (!queryTemplate) {
          return {
            ...base,
            error: `MetricTemplate ${base.template} has no query`,
            errorCode: 'template-no-query',
          };
        }
      }
      if (!queryTemplate) {
        return {
          ...base,
          error: 'builtin check: not measured',
          errorCode: 'builtin',
        };
      }
      let query: string;
      try {
        query = renderQuery(queryTemplate, metricModel(canary, metric));
      } catch (e) {
        return { ...base, error: `query render error: ${messageOf(e)}` };
      }
      const withQuery = { ...base, query };
      if (!ctx.prometheus) {
        return {
          ...withQuery,
          error: 'no metrics server configured (kubemate.canary.prometheus)',
          errorCode: 'no-metrics-server',
        };
      }
      try {
        const measured = await instantQuery(ctx.prometheus, query);
        if (measured === undefined) {
          return {
            ...withQuery,
            error: 'no values found',
            errorCode: 'no-values',
          };
        }
        return { ...withQuery, measured, passed: passes(metric, measured) };
      } catch (e) {
        return { ...withQuery, error: messageOf(e) };
      }
    }),
  );
}
