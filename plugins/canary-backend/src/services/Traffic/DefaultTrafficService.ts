import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  canaryReleaseReadPermission,
  canaryTrafficUpdatePermission,
  GrayRelease,
  ReleaseTarget,
  TrafficUpdateRequest,
  TrafficUpdateResponse,
} from '@kubemate/plugin-canary-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import {
  AppliedObject,
  ClusterAuditService,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentityService,
  kubernetesStatusOf,
  requirePermission,
  serverSideApply,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import { V1Deployment, V1Service } from '@kubernetes/client-node';
import { DEFAULT_TIMEOUT_MS, withTimeout } from '../Gates/timeout';
import { entityOfWorkload } from '../ReleaseActions/entityOf';
import {
  HttpRouteObject,
  routeManagedBy,
  serviceSelects,
  toGrayRelease,
} from '../Releases/gray';
import { buildHttpRoute, parentRefsFor, validateTrafficRequest } from './route';
import { TrafficService } from './types';
import { unifiedDiff } from './unifiedDiff';

const GATEWAY = {
  group: 'gateway.networking.k8s.io',
  version: 'v1',
  plural: 'httproutes',
};

/** The field manager of the portal's server-side applies of routes. */
export const TRAFFIC_FIELD_MANAGER = 'kubemate-canary';

export interface DefaultTrafficServiceOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
  logger: LoggerService;
  /** Deadline of one Kubernetes call (default 10 s). */
  timeoutMs?: number;
}

/**
 * Gray releases: an HTTPRoute splitting a Service's traffic over Services that select one
 * Deployment each, plus header rules. Reading needs `canary.release.read` on the route, writing
 * `canary.traffic.update` on it (`<cluster>/<ns>/httproutes/<name>`); the backends' Deployments
 * must belong to entities the user can see; routes Flagger manages (owned by a Canary) are
 * refused (409). Writes are server-side applies as the user (field manager
 * {@link TRAFFIC_FIELD_MANAGER}, dry run supported) with a unified diff, audited (refusals too).
 */
export class DefaultTrafficService implements TrafficService {
  private readonly timeoutMs: number;

  constructor(private readonly options: DefaultTrafficServiceOptions) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async get(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<GrayRelease> {
    this.options.clusters.getCluster(target.cluster);
    await requirePermission(this.options.permissions, {
      credentials,
      permission: canaryReleaseReadPermission,
      resourceRef: this.ref(target),
    });
    const portal = this.options.clusters.portalClients(target.cluster);
    const route = await this.readRoute(portal, target);
    if (!route) {
      throw new NotFoundError(
        `HTTPRoute ${target.namespace}/${target.name} not found in ${target.cluster}`,
      );
    }
    const { services, deployments } = await this.namespaceObjects(
      portal,
      target,
    );
    const gray = this.gray(target.cluster, route, services, deployments);
    const entityRef = await this.entityOfBackends(
      credentials,
      target,
      gray.backends.map(b => b.deployment),
      deployments,
    );
    return { ...gray, entityRef };
  }

  async put(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    request: TrafficUpdateRequest,
  ): Promise<TrafficUpdateResponse> {
    const { audit, logger, clusters, identity, permissions } = this.options;
    const principal = credentials.principal as Partial<BackstageUserPrincipal>;
    const actor = principal.userEntityRef ?? 'unknown';
    const dryRun = Boolean(request.dryRun);
    let entityRef: string | undefined;
    const record = (result: 'success' | 'failure', message: string) =>
      audit
        .record({
          actor,
          action: dryRun
            ? 'canary.traffic.update.dry-run'
            : 'canary.traffic.update',
          entityRef,
          cluster: target.cluster,
          namespace: target.namespace,
          kind: 'HTTPRoute',
          name: target.name,
          result,
          message,
        })
        .catch(e => logger.error(`Failed to write audit record: ${String(e)}`));
    try {
      if (actor === 'unknown') {
        throw new NotAllowedError(
          'canary.traffic.update needs a signed-in user',
        );
      }
      clusters.getCluster(target.cluster);
      await requirePermission(permissions, {
        credentials,
        permission: canaryTrafficUpdatePermission,
        resourceRef: this.ref(target),
      });
      validateTrafficRequest(request);
      const portal = clusters.portalClients(target.cluster);
      const live = await this.readRoute(portal, target);
      const managedBy = live ? routeManagedBy(live) : undefined;
      if (managedBy) {
        throw new ConflictError(
          `HTTPRoute ${target.namespace}/${target.name} is managed by Flagger (${managedBy}): change the Canary instead`,
        );
      }
      const { services, deployments } = await this.namespaceObjects(
        portal,
        target,
      );
      const byName = new Map(services.map(s => [s.metadata!.name!, s]));
      const ports: Record<string, number> = {};
      const backendDeployments: Array<string | undefined> = [];
      request.backends.forEach((b, i) => {
        const service = byName.get(b.service);
        if (!service) {
          throw new InputError(
            `backends[${i}].service: Service ${b.service} not found in ${target.cluster}/${target.namespace}`,
          );
        }
        const port = service.spec?.ports?.[0]?.port;
        if (!port) {
          throw new InputError(
            `backends[${i}].service: Service ${b.service} has no port`,
          );
        }
        ports[b.service] = port;
        const selected = deployments.filter(d => serviceSelects(service, d));
        if (selected.length !== 1) {
          throw new InputError(
            `backends[${i}].service: Service ${b.service} selects ${
              selected.length
                ? `${selected.length} Deployments`
                : 'no Deployment'
            } (a gray release backend selects exactly one)`,
          );
        }
        backendDeployments.push(selected[0].metadata?.name);
      });
      entityRef = await this.entityOfBackends(
        credentials,
        target,
        backendDeployments,
        deployments,
      );
      const parent = request.service ?? target.name;
      let parentPort: number | undefined;
      if (!(live as any)?.spec?.parentRefs?.length) {
        const parentService = byName.get(parent);
        if (!parentService) {
          throw new InputError(
            `service: Service ${parent} (the route's parent) not found in ${target.cluster}/${target.namespace}`,
          );
        }
        parentPort = parentService.spec?.ports?.[0]?.port;
      }
      const route = buildHttpRoute({
        namespace: target.namespace,
        name: target.name,
        parentRefs: parentRefsFor(live as any, parent, parentPort),
        backends: request.backends,
        rules: request.rules ?? [],
        ports,
      });
      const who = await identity.forCredentials(
        credentials as BackstageCredentials<BackstageUserPrincipal>,
      );
      const clients = clusters.clientsAs(target.cluster, who);
      let applied: AppliedObject;
      try {
        applied = await withTimeout(
          serverSideApply(clients, route, {
            fieldManager: TRAFFIC_FIELD_MANAGER,
            dryRun,
            check: before => {
              const owner = routeManagedBy(before as HttpRouteObject);
              if (owner) {
                throw new ConflictError(
                  `HTTPRoute ${target.namespace}/${target.name} is managed by Flagger (${owner})`,
                );
              }
            },
          }),
          this.timeoutMs,
          `Kubernetes cluster ${target.cluster}`,
        );
      } catch (e) {
        // the check's ConflictError passes through as is
        throw toBackstageError(e, target.cluster);
      }
      const diff = unifiedDiff(
        `HTTPRoute/${target.name} (live)`,
        `HTTPRoute/${target.name} (${dryRun ? 'dry run' : 'applied'})`,
        applied.beforeYaml,
        applied.afterYaml,
      );
      const response: TrafficUpdateResponse = {
        dryRun,
        ...(applied.before
          ? {
              before: {
                ...this.gray(
                  target.cluster,
                  applied.before as HttpRouteObject,
                  services,
                  deployments,
                ),
                entityRef,
              },
            }
          : {}),
        after: {
          ...this.gray(
            target.cluster,
            applied.after as HttpRouteObject,
            services,
            deployments,
          ),
          entityRef,
        },
        diff,
      };
      await record(
        'success',
        `${dryRun ? 'dry run: ' : ''}${applied.operation} ${request.backends
          .map(b => `${b.service}=${b.weight}`)
          .join(' ')}${
          request.rules?.length
            ? `; rules ${request.rules
                .map(
                  r =>
                    `${r.match
                      .map(
                        m =>
                          `${m.header}${m.type === 'Exact' ? '=' : '~'}${
                            m.value
                          }`,
                      )
                      .join('&')} -> ${r.service}`,
                )
                .join(', ')}`
            : ''
        }`,
      );
      return response;
    } catch (e) {
      await record(
        'failure',
        isError(e) ? `${e.name}: ${e.message}` : String(e),
      );
      throw e;
    }
  }

  private ref(target: ReleaseTarget): string {
    return clustersObjectRef({
      cluster: target.cluster,
      namespace: target.namespace,
      resource: 'httproutes',
      name: target.name,
    });
  }

  private gray(
    cluster: string,
    route: HttpRouteObject,
    services: V1Service[],
    deployments: V1Deployment[],
  ): GrayRelease {
    const gray = toGrayRelease(
      cluster,
      route,
      new Map(services.map(s => [s.metadata!.name!, s as any])),
      deployments as any,
    );
    if (!gray.managedBy) delete gray.managedBy;
    for (const b of gray.backends) if (!b.deployment) delete b.deployment;
    return gray;
  }

  private async call<T>(cluster: string, promise: Promise<T>): Promise<T> {
    try {
      return await withTimeout(
        promise,
        this.timeoutMs,
        `Kubernetes cluster ${cluster}`,
      );
    } catch (e) {
      throw toBackstageError(e, cluster);
    }
  }

  private async readRoute(
    clients: KubeClients,
    target: ReleaseTarget,
  ): Promise<HttpRouteObject | undefined> {
    try {
      return (await withTimeout(
        clients.custom.getNamespacedCustomObject({
          ...GATEWAY,
          namespace: target.namespace,
          name: target.name,
        }),
        this.timeoutMs,
        `Kubernetes cluster ${target.cluster}`,
      )) as HttpRouteObject;
    } catch (e) {
      if (kubernetesStatusOf(e)?.code === 404) return undefined;
      throw toBackstageError(e, target.cluster);
    }
  }

  private async namespaceObjects(clients: KubeClients, target: ReleaseTarget) {
    const [services, deployments] = await Promise.all([
      this.call(
        target.cluster,
        clients.core.listNamespacedService({ namespace: target.namespace }),
      ),
      this.call(
        target.cluster,
        clients.apps.listNamespacedDeployment({ namespace: target.namespace }),
      ),
    ]);
    return { services: services.items, deployments: deployments.items };
  }

  /**
   * The entity the backends' Deployments belong to (every one must belong to an entity the user
   * can see; the first one names the release). NotAllowedError otherwise.
   */
  private async entityOfBackends(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    names: Array<string | undefined>,
    deployments: V1Deployment[],
  ): Promise<string> {
    const refs: string[] = [];
    for (const name of names) {
      if (!name) continue;
      const d = deployments.find(x => x.metadata?.name === name);
      refs.push(
        await entityOfWorkload(this.options.catalog, credentials, {
          cluster: target.cluster,
          namespace: target.namespace,
          kind: 'Deployment',
          name,
          labels: d?.metadata?.labels,
        }),
      );
    }
    if (!refs.length) {
      throw new NotAllowedError(
        `HTTPRoute ${target.cluster}/${target.namespace}/${target.name} routes to no Deployment of an entity you can see`,
      );
    }
    return refs[0];
  }
}
