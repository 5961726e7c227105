import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  canaryReleaseReadPermission,
  CanaryPhase,
  GateState,
  GateType,
  GrayRelease,
  ReleaseDetails,
  ReleaseSeries,
  ReleasesOverviewResponse,
  ReleasesResponse,
  ReleaseSummary,
  ReleaseTarget,
} from '@kubemate/plugin-canary-common';
import {
  clustersObjectRef,
  EntityKubernetesSelector,
  getEntityKubernetesSelector,
  KUBERNETES_ID_ANNOTATION,
  labelsMatch,
  namespaceInScope,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterRegistryService,
  KubeClients,
  NamespaceScope,
  requireNamespaceScope,
  requirePermission,
  toBackstageError,
  Upstream,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import { declaresGate, GateStore, revisionOf as gateRevision } from '../Gates';
import { ReleaseHistory } from '../History';
import {
  canaryEvents,
  listCanaries,
  recordCanary,
} from '../History/ReleaseHistoryCollector';
import { runChecks } from './checks';
import { releaseSeries } from './series';
import {
  CanaryObject,
  canaryMatches,
  DeploymentLike,
  FLAGGER,
  GATEWAY,
  MetricTemplateObject,
  messageOf,
  phaseOf,
  revisionOf,
} from './flagger';
import {
  HttpRouteObject,
  routeServices,
  ServiceLike,
  serviceSelects,
  toGrayRelease,
} from './gray';
import { ReleasesService } from './types';

/** Phases the overview lists whatever their age. */
const ACTIVE_PHASES: CanaryPhase[] = [
  'Progressing',
  'Waiting',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];
const GATES: GateType[] = ['confirm-rollout', 'confirm-promotion', 'rollback'];
/** How far back the details' weight history goes. */
const WEIGHT_HISTORY_MS = 7 * 24 * 3600_000;

export interface ReleasesServiceOptions {
  permissions: PermissionsService;
  catalog: CatalogService;
  clusters: ClusterRegistryService;
  history: ReleaseHistory;
  gates: GateStore;
  logger: LoggerService;
  /** The metrics server the checks are re-run against (Flagger's -metrics-server). */
  prometheus?: Upstream;
}

type Errors = ReleasesResponse['errors'];

const inScope = (scope: NamespaceScope, namespace: string) =>
  scope.type === 'all' || namespaceInScope(scope.namespaces, namespace);

const messageOfError = (e: unknown, cluster: string) =>
  toBackstageError(e, cluster).message;

/**
 * The read side of canary releases, as the portal within the user's `canary.release.read` scope:
 * an entity's Canaries (their target Deployment carries the entity's labels) and gray releases
 * (HTTPRoutes over Services selecting the entity's Deployments), the overview across
 * namespaces, and one release in detail with its checks re-run against the metrics server, its
 * gates, and the history (recorded on each read too, so it is fresh).
 */
export class DefaultReleasesService implements ReleasesService {
  constructor(private readonly options: ReleasesServiceOptions) {}

  private async entity(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<Entity> {
    const entity = await this.options.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`Entity ${entityRef} not found`);
    return entity;
  }

  private async gateStates(
    cluster: string,
    canary: CanaryObject,
  ): Promise<GateState[]> {
    const revision = gateRevision(canary);
    return Promise.all(
      GATES.map(async (type): Promise<GateState> => {
        const declared = declaresGate(canary, cluster, type);
        if (!revision) return { type, declared, open: false };
        try {
          const state = await this.options.gates.get({
            cluster,
            namespace: canary.metadata.namespace,
            name: canary.metadata.name,
            type,
            revision,
          });
          return { ...state, type, declared };
        } catch (e) {
          this.options.logger.warn(
            `canary: gate ${type} of ${cluster}/${canary.metadata.namespace}/${canary.metadata.name} unreadable: ${e}`,
          );
          return { type, declared, open: false };
        }
      }),
    );
  }

  private async readDeployment(
    clients: KubeClients,
    namespace: string,
    name: string,
  ): Promise<DeploymentLike | undefined> {
    try {
      return (await clients.apps.readNamespacedDeployment({
        namespace,
        name,
      })) as DeploymentLike;
    } catch {
      return undefined;
    }
  }

  /**
   * Flagger zeroes status.canaryWeight while it waits for promotion, but the HTTPRoute keeps the
   * canary's weight until the promotion: read it there (undefined in any other case).
   */
  private async heldWeight(
    cluster: string,
    canary: CanaryObject,
  ): Promise<number | undefined> {
    if (
      phaseOf(canary) !== 'WaitingPromotion' ||
      (canary.status?.canaryWeight ?? 0) > 0
    ) {
      return undefined;
    }
    const service = canary.spec.service?.name ?? canary.spec.targetRef.name;
    try {
      const route = (await this.options.clusters
        .portalClients(cluster)
        .custom.getNamespacedCustomObject({
          ...GATEWAY,
          namespace: canary.metadata.namespace,
          plural: 'httproutes',
          name: service,
        })) as {
        spec?: {
          rules?: Array<{
            backendRefs?: Array<{ name?: string; weight?: number }>;
          }>;
        };
      };
      const weights = (route.spec?.rules ?? []).flatMap(r =>
        (r.backendRefs ?? [])
          .filter(b => b.name === `${service}-canary`)
          .map(b => b.weight ?? 0),
      );
      return weights.length ? Math.max(...weights) : undefined;
    } catch {
      return undefined; // no route (yet): the status's weight stands
    }
  }

  private async summary(
    cluster: string,
    canary: CanaryObject,
    deployments: {
      target?: DeploymentLike;
      primary?: DeploymentLike;
    },
    entityRef?: string,
  ): Promise<ReleaseSummary> {
    const analysis = canary.spec.analysis;
    const status = canary.status ?? {};
    const held = await this.heldWeight(cluster, canary);
    return {
      kind: 'canary',
      cluster,
      namespace: canary.metadata.namespace,
      name: canary.metadata.name,
      entityRef,
      target: canary.spec.targetRef.name,
      phase: phaseOf(canary),
      canaryWeight: held ?? status.canaryWeight ?? 0,
      stepWeight: analysis?.stepWeight,
      maxWeight: analysis?.maxWeight,
      iterations: status.iterations ?? 0,
      failedChecks: status.failedChecks ?? 0,
      threshold: analysis?.threshold,
      match: canaryMatches(canary),
      lastTransitionTime: status.lastTransitionTime,
      canary: deployments.target
        ? revisionOf(deployments.target)
        : { images: [] },
      primary: deployments.primary
        ? revisionOf(deployments.primary)
        : undefined,
      gates: await this.gateStates(cluster, canary),
      message: messageOf(canary),
    };
  }

  /** The entity's releases in one cluster, within the scope. */
  private async clusterReleases(
    clients: KubeClients,
    selector: EntityKubernetesSelector,
    scope: NamespaceScope,
    entityRef: string,
  ): Promise<{ canaries: ReleaseSummary[]; grayReleases: GrayRelease[] }> {
    const cluster = clients.cluster.name;
    const ns = selector.namespace;
    const [deploymentList, canaries, routes, services] = await Promise.all([
      ns
        ? clients.apps.listNamespacedDeployment({ namespace: ns })
        : clients.apps.listDeploymentForAllNamespaces({}),
      listCanaries(clients, ns),
      (ns
        ? clients.custom.listNamespacedCustomObject({
            ...GATEWAY,
            namespace: ns,
            plural: 'httproutes',
          })
        : clients.custom.listClusterCustomObject({
            ...GATEWAY,
            plural: 'httproutes',
          })
      ).then(r => (r as { items: HttpRouteObject[] }).items),
      ns
        ? clients.core.listNamespacedService({ namespace: ns })
        : clients.core.listServiceForAllNamespaces({}),
    ]);
    const all = (deploymentList.items as DeploymentLike[]).filter(d =>
      inScope(scope, d.metadata?.namespace ?? ''),
    );
    const byKey = new Map(
      all.map(d => [`${d.metadata?.namespace}/${d.metadata?.name}`, d]),
    );
    const owned = all.filter(d => labelsMatch(selector, d.metadata?.labels));
    const ownedKeys = new Set(
      owned.map(d => `${d.metadata?.namespace}/${d.metadata?.name}`),
    );

    const entityCanaries = canaries.filter(
      c =>
        inScope(scope, c.metadata.namespace) &&
        (c.spec.targetRef.kind ?? 'Deployment') === 'Deployment' &&
        ownedKeys.has(`${c.metadata.namespace}/${c.spec.targetRef.name}`),
    );
    const summaries = await Promise.all(
      entityCanaries.map(c =>
        this.summary(
          cluster,
          c,
          {
            target: byKey.get(
              `${c.metadata.namespace}/${c.spec.targetRef.name}`,
            ),
            primary: byKey.get(
              `${c.metadata.namespace}/${c.spec.targetRef.name}-primary`,
            ),
          },
          entityRef,
        ),
      ),
    );

    const servicesByNs = new Map<string, Map<string, ServiceLike>>();
    for (const s of services.items as ServiceLike[]) {
      const sNs = s.metadata?.namespace ?? '';
      if (!servicesByNs.has(sNs)) servicesByNs.set(sNs, new Map());
      servicesByNs.get(sNs)!.set(s.metadata?.name ?? '', s);
    }
    const grayReleases: GrayRelease[] = [];
    for (const route of routes) {
      const rNs = route.metadata.namespace;
      if (!inScope(scope, rNs)) continue;
      const nsServices = servicesByNs.get(rNs) ?? new Map();
      const nsOwned = owned.filter(d => d.metadata?.namespace === rNs);
      const selectsEntity = routeServices(route).some(name => {
        const svc = nsServices.get(name);
        return svc && nsOwned.some(d => serviceSelects(svc, d));
      });
      if (!selectsEntity) continue;
      const nsDeployments = all.filter(d => d.metadata?.namespace === rNs);
      grayReleases.push({
        ...toGrayRelease(cluster, route, nsServices, nsDeployments),
        entityRef,
      });
    }
    return { canaries: summaries, grayReleases };
  }

  async entityReleases(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<ReleasesResponse> {
    const entity = await this.entity(credentials, entityRef);
    const selector = getEntityKubernetesSelector(entity);
    if (!selector) {
      throw new InputError(
        `${stringifyEntityRef(entity)} has no Kubernetes annotation`,
      );
    }
    const scope = await requireNamespaceScope(this.options.permissions, {
      credentials,
      permission: canaryReleaseReadPermission,
    });
    const ref = stringifyEntityRef(entity);
    const errors: Errors = [];
    const results = await Promise.all(
      this.options.clusters.listClusters().map(async c => {
        try {
          return await this.clusterReleases(
            this.options.clusters.portalClients(c.name),
            selector,
            scope,
            ref,
          );
        } catch (e) {
          errors.push({ cluster: c.name, message: messageOfError(e, c.name) });
          return { canaries: [], grayReleases: [] };
        }
      }),
    );
    const key = (r: { cluster: string; namespace: string; name: string }) =>
      `${r.cluster}/${r.namespace}/${r.name}`;
    return {
      canaries: results
        .flatMap(r => r.canaries)
        .sort((a, b) => key(a).localeCompare(key(b))),
      grayReleases: results
        .flatMap(r => r.grayReleases)
        .sort((a, b) => key(a).localeCompare(key(b))),
      errors,
    };
  }

  /**
   * The entities (visible to the user) whose `backstage.io/kubernetes-id` the given Deployments
   * carry: one catalog query.
   */
  private async entitiesById(
    credentials: BackstageCredentials,
    ids: string[],
  ): Promise<Map<string, string>> {
    if (!ids.length) return new Map();
    try {
      const { items } = await this.options.catalog.getEntities(
        {
          filter: { [`metadata.annotations.${KUBERNETES_ID_ANNOTATION}`]: ids },
          fields: [
            'kind',
            'metadata.namespace',
            'metadata.name',
            'metadata.annotations',
          ],
        },
        { credentials },
      );
      return new Map(
        items.map(e => [
          e.metadata.annotations?.[KUBERNETES_ID_ANNOTATION] ?? '',
          stringifyEntityRef(e),
        ]),
      );
    } catch (e) {
      this.options.logger.warn(`canary: catalog lookup failed: ${e}`);
      return new Map();
    }
  }

  async overview(
    credentials: BackstageCredentials,
    options: { windowHours: number },
  ): Promise<ReleasesOverviewResponse> {
    const scope = await requireNamespaceScope(this.options.permissions, {
      credentials,
      permission: canaryReleaseReadPermission,
    });
    const since = Date.now() - options.windowHours * 3600_000;
    const errors: Errors = [];
    const perCluster = await Promise.all(
      this.options.clusters.listClusters().map(async c => {
        try {
          const clients = this.options.clusters.portalClients(c.name);
          const canaries = (await listCanaries(clients)).filter(canary => {
            if (!inScope(scope, canary.metadata.namespace)) return false;
            const phase = phaseOf(canary);
            if (ACTIVE_PHASES.includes(phase)) return true;
            if (phase !== 'Failed') return false;
            const t = Date.parse(canary.status?.lastTransitionTime ?? '');
            return !Number.isNaN(t) && t >= since;
          });
          const withDeployments = await Promise.all(
            canaries.map(async canary => {
              const ns = canary.metadata.namespace;
              const target = canary.spec.targetRef.name;
              const [t, p] = await Promise.all([
                this.readDeployment(clients, ns, target),
                this.readDeployment(clients, ns, `${target}-primary`),
              ]);
              return { cluster: c.name, canary, target: t, primary: p };
            }),
          );
          return withDeployments;
        } catch (e) {
          errors.push({ cluster: c.name, message: messageOfError(e, c.name) });
          return [];
        }
      }),
    );
    const found = perCluster.flat();
    const ids = [
      ...new Set(
        found
          .map(f => f.target?.metadata?.labels?.[KUBERNETES_ID_ANNOTATION])
          .filter((i): i is string => Boolean(i)),
      ),
    ];
    const entities = await this.entitiesById(credentials, ids);
    const items = await Promise.all(
      found.map(f =>
        this.summary(
          f.cluster,
          f.canary,
          { target: f.target, primary: f.primary },
          entities.get(
            f.target?.metadata?.labels?.[KUBERNETES_ID_ANNOTATION] ?? '',
          ),
        ),
      ),
    );
    items.sort((a, b) =>
      (b.lastTransitionTime ?? '').localeCompare(a.lastTransitionTime ?? ''),
    );
    return { items, errors };
  }

  /** The Canary, after the read permission on it (404 for an unknown cluster or Canary). */
  private async readCanary(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<{ clients: KubeClients; canary: CanaryObject }> {
    this.options.clusters.getCluster(target.cluster); // 404 for an unknown cluster
    await requirePermission(this.options.permissions, {
      credentials,
      permission: canaryReleaseReadPermission,
      resourceRef: clustersObjectRef({
        cluster: target.cluster,
        namespace: target.namespace,
        resource: 'canaries',
        name: target.name,
      }),
    });
    const clients = this.options.clusters.portalClients(target.cluster);
    let canary: CanaryObject;
    try {
      canary = (await clients.custom.getNamespacedCustomObject({
        ...FLAGGER,
        namespace: target.namespace,
        plural: 'canaries',
        name: target.name,
      })) as CanaryObject;
    } catch (e) {
      throw toBackstageError(e, target.cluster);
    }
    return { clients, canary };
  }

  async series(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
    options: { minutes: number },
  ): Promise<ReleaseSeries> {
    const { minutes } = options;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440) {
      throw new InputError('minutes must be an integer from 1 to 1440');
    }
    const { canary } = await this.readCanary(credentials, target);
    if (!this.options.prometheus) {
      throw notConfigured(
        'Prometheus',
        'Prometheus is not configured (kubemate.canary.prometheus.url)',
      );
    }
    return releaseSeries(this.options.prometheus, {
      namespace: canary.metadata.namespace,
      target: canary.spec.targetRef.name,
      minutes,
    });
  }

  async details(
    credentials: BackstageCredentials,
    target: ReleaseTarget,
  ): Promise<ReleaseDetails> {
    const { clients, canary } = await this.readCanary(credentials, target);
    const ns = canary.metadata.namespace;
    const targetName = canary.spec.targetRef.name;
    const [targetDeployment, primary] = await Promise.all([
      this.readDeployment(clients, ns, targetName),
      this.readDeployment(clients, ns, `${targetName}-primary`),
    ]);
    const id = targetDeployment?.metadata?.labels?.[KUBERNETES_ID_ANNOTATION];
    const entities = await this.entitiesById(credentials, id ? [id] : []);

    // Record what is seen now: the history is fresh whenever someone looks.
    try {
      const events = await canaryEvents(clients, {
        namespace: ns,
        name: canary.metadata.name,
      });
      await recordCanary(this.options.history, target.cluster, canary, events);
    } catch (e) {
      this.options.logger.warn(
        `canary: recording ${target.cluster}/${ns}/${target.name} failed: ${e}`,
      );
    }

    const [summary, checks, weightHistory, events] = await Promise.all([
      this.summary(
        target.cluster,
        canary,
        { target: targetDeployment, primary },
        id ? entities.get(id) : undefined,
      ),
      runChecks(canary, {
        prometheus: this.options.prometheus,
        template: async (tNs, name) => {
          try {
            const t = (await clients.custom.getNamespacedCustomObject({
              ...FLAGGER,
              namespace: tNs,
              plural: 'metrictemplates',
              name,
            })) as MetricTemplateObject;
            return { query: t.spec?.query };
          } catch (e) {
            throw toBackstageError(e, target.cluster);
          }
        },
      }),
      this.options.history.weights(target, {
        sinceMs: Date.now() - WEIGHT_HISTORY_MS,
      }),
      this.options.history.events(target, { limit: 200 }),
    ]);
    return {
      ...summary,
      analysisInterval: canary.spec.analysis?.interval,
      checks,
      weightHistory,
      events,
    };
  }
}
