import {
  GrayRelease,
  HeaderMatch,
  TrafficBackend,
  TrafficRule,
} from '@kubemate/plugin-canary-common';
import { DeploymentLike, ObjectMeta } from './flagger';

/** The parts of an HTTPRoute (gateway.networking.k8s.io/v1) the portal reads. */
export interface HttpRouteObject {
  metadata: ObjectMeta;
  spec?: {
    rules?: Array<{
      matches?: Array<{
        headers?: Array<{ name: string; value: string; type?: string }>;
      }>;
      backendRefs?: Array<{
        name: string;
        kind?: string;
        group?: string;
        port?: number;
        weight?: number;
      }>;
    }>;
  };
}

/** The parts of a Service the portal reads. */
export interface ServiceLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { selector?: Record<string, string> };
}

const isService = (ref: { kind?: string; group?: string }) =>
  (ref.kind ?? 'Service') === 'Service' && (ref.group ?? '') === '';

/** The Canary that manages the route (Flagger sets itself as the owner), if any. */
export function routeManagedBy(route: HttpRouteObject): string | undefined {
  const owner = route.metadata.ownerReferences?.find(o => o.kind === 'Canary');
  return owner ? `Canary/${owner.name}` : undefined;
}

/** Whether a Service's selector selects a Deployment's pods. */
export function serviceSelects(
  service: ServiceLike,
  deployment: DeploymentLike,
): boolean {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return false;
  const labels = deployment.spec?.template?.metadata?.labels ?? {};
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

/** The Deployment (of those given) a Service selects, when exactly one does. */
export function deploymentOf(
  service: ServiceLike | undefined,
  deployments: DeploymentLike[],
): string | undefined {
  if (!service) return undefined;
  const found = deployments.filter(d => serviceSelects(service, d));
  return found.length === 1 ? found[0].metadata?.name : undefined;
}

const matchType = (t?: string): HeaderMatch['type'] =>
  t === 'RegularExpression' ? 'RegularExpression' : 'Exact';

/**
 * An HTTPRoute as a gray release: the backends (Service, the Deployment it selects, weight) of
 * its rules without header matches, and each header-matching rule routed to its first backend.
 */
export function toGrayRelease(
  cluster: string,
  route: HttpRouteObject,
  services: Map<string, ServiceLike>,
  deployments: DeploymentLike[],
): GrayRelease {
  const backends: TrafficBackend[] = [];
  const rules: TrafficRule[] = [];
  for (const rule of route.spec?.rules ?? []) {
    const refs = (rule.backendRefs ?? []).filter(isService);
    const headerMatches = (rule.matches ?? []).flatMap(m =>
      (m.headers ?? []).map(h => ({
        header: h.name,
        value: h.value,
        type: matchType(h.type),
      })),
    );
    if (headerMatches.length && refs.length) {
      rules.push({ match: headerMatches, service: refs[0].name });
      continue;
    }
    for (const ref of refs) {
      if (backends.some(b => b.service === ref.name)) continue;
      backends.push({
        service: ref.name,
        deployment: deploymentOf(services.get(ref.name), deployments),
        // the Gateway API's default weight is 1
        weight: ref.weight ?? 1,
      });
    }
  }
  return {
    kind: 'gray',
    cluster,
    namespace: route.metadata.namespace,
    name: route.metadata.name,
    backends,
    rules,
    managedBy: routeManagedBy(route),
  };
}

/** The Services a route sends traffic to (every rule). */
export function routeServices(route: HttpRouteObject): string[] {
  return [
    ...new Set(
      (route.spec?.rules ?? []).flatMap(r =>
        (r.backendRefs ?? []).filter(isService).map(b => b.name),
      ),
    ),
  ];
}
