import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { canaryReleaseStartPermission } from '@kubemate/plugin-canary-common';
import {
  DNS_LABEL,
  MANAGED_BY,
  Provisioner,
  Target,
} from '../services/Provisioner';
import { changesSchema, provision, targetsSchema } from './common';

/** What a service's canary is made of (the action's input after defaults). */
export interface CanaryInput {
  service: string;
  /** The port of the service's Service (Flagger's `service.port`). */
  port: number;
  /** The container port the Service targets: a number or a port name. */
  targetPort: number | string;
  stepWeight: number;
  maxWeight: number;
  interval: string;
  threshold: number;
  successRateMin: number;
  latencyP99Max: number;
  promotionGate: boolean;
  gateway?: { name: string; namespace?: string };
}

/** What the action takes from the configuration (the canary plugin's and the provisioning's). */
export interface CanarySettings {
  /** `kubemate.canary.prometheus.url`: the metrics server of the checks (else Flagger's own). */
  prometheusUrl?: string;
  /** `kubemate.canary.gateToken`: the token of the gate webhooks' metadata. */
  gateToken?: string;
  /**
   * The canary backend's base URL as Flagger reaches it (`kubemate.provisioning.canary.gateBaseUrl`,
   * else the discovery's `canary` URL), without a trailing slash: `<backend>/api/canary`.
   */
  gateBaseUrl(): Promise<string>;
  /** The default Gateway the canary's HTTPRoute attaches to (`kubemate.provisioning.canary.gateway`). */
  gateway: { name: string; namespace?: string };
}

export const DEFAULT_GATEWAY = { name: 'kubemate-gateway' };
export const DEFAULTS = {
  port: 80,
  targetPort: 'http',
  stepWeight: 10,
  maxWeight: 50,
  interval: '1m',
  threshold: 5,
  successRateMin: 99,
  latencyP99Max: 500,
  promotionGate: false,
} as const;

/**
 * An analysis interval as Flagger's CRD admits it (`^[0-9]+(m|s)`) and Prometheus takes it as a
 * range: `30s`, `1m`, `2m30s`.
 */
const DURATION = /^([1-9][0-9]*m([0-9]+s)?|[1-9][0-9]*s)$/;

/** The two MetricTemplates' names in the service's namespace. */
export const metricTemplateNames = (service: string) => ({
  successRate: `${service}-success-rate`,
  latency: `${service}-latency`,
});

/**
 * Linkerd's proxy metrics as Flagger's Linkerd provider queries them, over the canary (the target
 * Deployment) during the analysis: the share of non-failed inbound responses in percent, and the
 * p99 inbound latency in milliseconds. `{{ namespace }}`, `{{ target }}` and `{{ interval }}` are
 * Flagger's template variables.
 */
export const SUCCESS_RATE_QUERY = `sum(rate(response_total{namespace="{{ namespace }}",deployment=~"{{ target }}",direction="inbound",classification!="failure"}[{{ interval }}])) / sum(rate(response_total{namespace="{{ namespace }}",deployment=~"{{ target }}",direction="inbound"}[{{ interval }}])) * 100`;
export const LATENCY_P99_QUERY = `histogram_quantile(0.99, sum(rate(response_latency_ms_bucket{namespace="{{ namespace }}",deployment=~"{{ target }}",direction="inbound"}[{{ interval }}])) by (le))`;

/** The gate webhook URL of a cluster: `<canary backend>/gates/<cluster>/confirm-promotion`. */
export const promotionGateUrl = (baseUrl: string, cluster: string) =>
  `${baseUrl.replace(/\/+$/, '')}/gates/${encodeURIComponent(
    cluster,
  )}/confirm-promotion`;

/** Checks the input; an InputError names the field. Returns it with the defaults applied. */
export function validateCanaryInput(
  raw: Partial<CanaryInput> & { service: string },
): CanaryInput {
  const i: CanaryInput = {
    ...DEFAULTS,
    ...Object.fromEntries(
      Object.entries(raw).filter(([, v]) => v !== undefined && v !== null),
    ),
  } as CanaryInput;
  const bad = (field: string, what: string, got: unknown) =>
    new InputError(`${field}: ${what} (got ${JSON.stringify(got)})`);
  const int = (field: keyof CanaryInput, min: number, max: number) => {
    const v = i[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      throw bad(field, `must be an integer from ${min} to ${max}`, v);
    }
  };
  if (!DNS_LABEL.test(i.service) || i.service.length > 40) {
    throw bad(
      'service',
      'must be a lowercase DNS label of at most 40 characters',
      i.service,
    );
  }
  int('port', 1, 65535);
  if (
    typeof i.targetPort === 'number'
      ? !Number.isInteger(i.targetPort) ||
        i.targetPort < 1 ||
        i.targetPort > 65535
      : !/^[a-z]([-a-z0-9]{0,13}[a-z0-9])?$/.test(i.targetPort)
  ) {
    throw bad(
      'targetPort',
      'must be a port number or a container port name',
      i.targetPort,
    );
  }
  int('stepWeight', 1, 100);
  int('maxWeight', 1, 100);
  if (i.maxWeight < i.stepWeight) {
    throw bad(
      'maxWeight',
      `must be at least stepWeight (${i.stepWeight})`,
      i.maxWeight,
    );
  }
  if (typeof i.interval !== 'string' || !DURATION.test(i.interval)) {
    throw bad(
      'interval',
      'must be seconds or minutes such as 30s, 1m or 2m30s',
      i.interval,
    );
  }
  int('threshold', 1, 100);
  if (
    typeof i.successRateMin !== 'number' ||
    !(i.successRateMin >= 0 && i.successRateMin <= 100)
  ) {
    throw bad(
      'successRateMin',
      'must be a percentage from 0 to 100',
      i.successRateMin,
    );
  }
  if (
    typeof i.latencyP99Max !== 'number' ||
    !(i.latencyP99Max > 0 && i.latencyP99Max <= 600_000)
  ) {
    throw bad(
      'latencyP99Max',
      'must be a number of milliseconds above 0',
      i.latencyP99Max,
    );
  }
  if (typeof i.promotionGate !== 'boolean') {
    throw bad('promotionGate', 'must be true or false', i.promotionGate);
  }
  if (
    i.gateway !== undefined &&
    (!DNS_LABEL.test(i.gateway?.name ?? '') ||
      (i.gateway.namespace !== undefined &&
        !DNS_LABEL.test(i.gateway.namespace)))
  ) {
    throw bad(
      'gateway',
      'must be {name, namespace?} with Kubernetes names',
      i.gateway,
    );
  }
  return i;
}

/**
 * A service's Flagger canary in one target namespace: the MetricTemplates `<service>-success-rate`
 * and `<service>-latency` (Linkerd PromQL) and the Canary over the Deployment `<service>`
 * (Gateway API: Flagger writes the HTTPRoute `<service>` on the Gateway), with a confirm-promotion
 * webhook to the portal's gate when asked.
 */
export function canaryObjects(
  input: CanaryInput,
  t: Target,
  options: {
    prometheusUrl?: string;
    gateway: { name: string; namespace?: string };
    promotionGate?: { url: string; token: string };
  },
) {
  const labels = {
    ...MANAGED_BY,
    app: input.service,
    'backstage.io/kubernetes-id': input.service,
    'kubemate.io/environment': t.environment,
  };
  const meta = (name: string) => ({ name, namespace: t.namespace, labels });
  const names = metricTemplateNames(input.service);
  const provider = {
    type: 'prometheus',
    ...(options.prometheusUrl ? { address: options.prometheusUrl } : {}),
  };
  const gateway = input.gateway ?? options.gateway;
  return [
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'MetricTemplate',
      metadata: meta(names.successRate),
      spec: { provider, query: SUCCESS_RATE_QUERY },
    },
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'MetricTemplate',
      metadata: meta(names.latency),
      spec: { provider, query: LATENCY_P99_QUERY },
    },
    {
      apiVersion: 'flagger.app/v1beta1',
      kind: 'Canary',
      metadata: meta(input.service),
      spec: {
        targetRef: {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: input.service,
        },
        progressDeadlineSeconds: 600,
        service: {
          port: input.port,
          targetPort: input.targetPort,
          gatewayRefs: [
            {
              name: gateway.name,
              namespace: gateway.namespace ?? t.namespace,
            },
          ],
        },
        analysis: {
          interval: input.interval,
          threshold: input.threshold,
          stepWeight: input.stepWeight,
          maxWeight: input.maxWeight,
          metrics: [
            {
              name: 'success-rate',
              templateRef: { name: names.successRate, namespace: t.namespace },
              thresholdRange: { min: input.successRateMin },
              interval: input.interval,
            },
            {
              name: 'latency',
              templateRef: { name: names.latency, namespace: t.namespace },
              thresholdRange: { max: input.latencyP99Max },
              interval: input.interval,
            },
          ],
          ...(options.promotionGate
            ? {
                webhooks: [
                  {
                    name: 'kubemate-promotion-gate',
                    type: 'confirm-promotion',
                    url: options.promotionGate.url,
                    timeout: '10s',
                    metadata: { token: options.promotionGate.token },
                  },
                ],
              }
            : {}),
        },
      },
    },
  ];
}

/** The objects as the task output shows them: the gate token is not printed. */
export function redacted<T>(objects: T[]): T[] {
  return JSON.parse(
    JSON.stringify(objects, (k, v) =>
      k === 'token' && typeof v === 'string' ? '<redacted>' : v,
    ),
  );
}

export function createCanaryApplyAction(
  provisioner: Provisioner,
  settings: CanarySettings,
) {
  return createTemplateAction({
    id: 'kubemate:canary:apply',
    description:
      "Applies a service's progressive delivery with Flagger in each target namespace: the Canary over the Deployment <service> (Gateway API: Flagger shifts the HTTPRoute <service>'s weights on the Gateway, stepWeight up to maxWeight every interval) analysed by two MetricTemplates over Linkerd's proxy metrics — <service>-success-rate (min successRateMin %) and <service>-latency (p99 max latencyP99Max ms); with promotionGate, a confirm-promotion webhook to the portal's gate (the release waits until an authorized user approves it in the Releases tab). Idempotent (server-side apply), dry-run capable.",
    supportsDryRun: true,
    schema: {
      input: {
        targets: targetsSchema,
        service: z =>
          z
            .string()
            .describe(
              'The service: its Deployment and Service are named so (kubemate:deployment:apply)',
            ),
        port: z =>
          z
            .number()
            .int()
            .min(1)
            .max(65535)
            .default(DEFAULTS.port)
            .describe("The Service's port (Flagger's service.port)"),
        targetPort: z =>
          z
            .union([z.number().int().min(1).max(65535), z.string()])
            .default(DEFAULTS.targetPort)
            .describe(
              'The container port the Service targets (number or name)',
            ),
        stepWeight: z =>
          z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(DEFAULTS.stepWeight)
            .describe('Canary weight added per successful check, in %'),
        maxWeight: z =>
          z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(DEFAULTS.maxWeight)
            .describe('Canary weight at which Flagger promotes, in %'),
        interval: z =>
          z
            .string()
            .default(DEFAULTS.interval)
            .describe('Time between checks (and the metrics window): 30s, 1m'),
        threshold: z =>
          z
            .number()
            .int()
            .min(1)
            .max(100)
            .default(DEFAULTS.threshold)
            .describe('Failed checks before Flagger rolls back'),
        successRateMin: z =>
          z
            .number()
            .min(0)
            .max(100)
            .default(DEFAULTS.successRateMin)
            .describe('Lowest acceptable success rate of the canary, in %'),
        latencyP99Max: z =>
          z
            .number()
            .positive()
            .default(DEFAULTS.latencyP99Max)
            .describe('Highest acceptable p99 latency of the canary, in ms'),
        promotionGate: z =>
          z
            .boolean()
            .default(DEFAULTS.promotionGate)
            .describe(
              "Hold each release before promotion until it is approved in the portal (confirm-promotion webhook to the portal's gate)",
            ),
        gateway: z =>
          z
            .object({ name: z.string(), namespace: z.string().optional() })
            .optional()
            .describe(
              'The Gateway the HTTPRoute attaches to (default: kubemate.provisioning.canary.gateway; its namespace defaults to the target namespace)',
            ),
      },
      output: {
        changes: changesSchema,
        objects: z =>
          z
            .array(z.record(z.string(), z.unknown()))
            .describe(
              'The objects applied (in a dry run: that would be applied), per target, the gate token redacted',
            ),
      },
    },
    async handler(ctx) {
      // the scaffolder validates inputs against the schema but does not apply its defaults
      const { targets, ...rest } = ctx.input;
      const input = validateCanaryInput(rest as CanaryInput);
      let gate: { base: string; token: string } | undefined;
      if (input.promotionGate) {
        if (!settings.gateToken) {
          throw new InputError(
            'promotionGate: the portal has no gate token (kubemate.canary.gateToken), so Flagger could not be let through',
          );
        }
        gate = {
          base: await settings.gateBaseUrl(),
          token: settings.gateToken,
        };
      }
      const objects: unknown[] = [];
      const changes = await provision(
        provisioner,
        ctx,
        'kubemate:canary:apply',
        canaryReleaseStartPermission,
        targets,
        t => {
          const objs = canaryObjects(input, t, {
            prometheusUrl: settings.prometheusUrl,
            gateway: settings.gateway,
            promotionGate: gate && {
              url: promotionGateUrl(gate.base, t.cluster),
              token: gate.token,
            },
          });
          objects.push(...redacted(objs));
          return objs as any;
        },
      );
      ctx.output('changes', changes);
      ctx.output('objects', objects as any);
    },
  });
}
