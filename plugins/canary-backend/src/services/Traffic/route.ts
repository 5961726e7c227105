import { InputError } from '@backstage/errors';
import {
  HeaderMatch,
  TrafficRule,
  TrafficUpdateRequest,
} from '@kubemate/plugin-canary-common';
import { KubernetesObject } from '@kubernetes/client-node';

export const HTTPROUTE_API_VERSION = 'gateway.networking.k8s.io/v1';

/** A parentRef of an HTTPRoute (a Gateway, or a Service for the mesh: GAMMA). */
export interface ParentRef {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  sectionName?: string;
}

/**
 * Checks what the OpenAPI schema cannot: weights are integers summing to 100, backends are
 * distinct, every rule routes to one of the backends. InputError naming the field otherwise.
 */
export function validateTrafficRequest(request: TrafficUpdateRequest): void {
  const { backends } = request;
  if (!backends?.length) {
    throw new InputError('backends: at least one backend is needed');
  }
  backends.forEach((b, i) => {
    if (!Number.isInteger(b.weight) || b.weight < 0 || b.weight > 100) {
      throw new InputError(
        `backends[${i}].weight: must be an integer from 0 to 100 (got ${b.weight})`,
      );
    }
    if (backends.findIndex(o => o.service === b.service) !== i) {
      throw new InputError(
        `backends[${i}].service: ${b.service} is listed twice`,
      );
    }
  });
  const sum = backends.reduce((s, b) => s + b.weight, 0);
  if (sum !== 100) {
    throw new InputError(`backends: weights must sum to 100 (got ${sum})`);
  }
  (request.rules ?? []).forEach((r, i) => {
    if (!r.match?.length) {
      throw new InputError(`rules[${i}].match: at least one header match`);
    }
    if (!backends.some(b => b.service === r.service)) {
      throw new InputError(
        `rules[${i}].service: ${r.service} is not one of the backends`,
      );
    }
  });
}

const headerMatch = (m: HeaderMatch) => ({
  type: m.type,
  name: m.header,
  value: m.value,
});

/**
 * The HTTPRoute of a gray release: one rule per header rule (all its headers must match; the
 * matching requests go to its Service) and a last rule splitting the rest over the backends by
 * weight. `ports` gives each Service's port (the Gateway API needs it on Service backends).
 */
export function buildHttpRoute(options: {
  namespace: string;
  name: string;
  parentRefs: ParentRef[];
  backends: Array<{ service: string; weight: number }>;
  rules: TrafficRule[];
  ports: Record<string, number>;
}): KubernetesObject & { spec: any } {
  const { namespace, name, parentRefs, backends, rules, ports } = options;
  return {
    apiVersion: HTTPROUTE_API_VERSION,
    kind: 'HTTPRoute',
    metadata: {
      name,
      namespace,
      labels: { 'app.kubernetes.io/managed-by': 'kubemate-portal' },
    },
    spec: {
      parentRefs,
      rules: [
        ...rules.map(r => ({
          matches: [{ headers: r.match.map(headerMatch) }],
          backendRefs: [{ name: r.service, port: ports[r.service] }],
        })),
        {
          backendRefs: backends.map(b => ({
            name: b.service,
            port: ports[b.service],
            weight: b.weight,
          })),
        },
      ],
    },
  };
}

/**
 * The parentRefs of the route: the live route's, else the Service the route serves (Linkerd's
 * mesh mode, GAMMA: an HTTPRoute attached to a Service splits that Service's traffic).
 */
export function parentRefsFor(
  live: { spec?: { parentRefs?: ParentRef[] } } | undefined,
  service: string,
  port?: number,
): ParentRef[] {
  if (live?.spec?.parentRefs?.length) return live.spec.parentRefs;
  return [
    { group: '', kind: 'Service', name: service, ...(port ? { port } : {}) },
  ];
}
