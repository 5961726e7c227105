import {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  isError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  PolicyDecision,
  BasicPermission,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { ApplyResponse, ClusterEvent, ClusterOverview, ClusterWorkloads, ClustersResponse, EntityWorkloadsResponse, MutationResponse, NamespaceWorkloads, NodeOverview, PodSummary, WorkloadKind, WorkloadSummary, clustersOverviewReadPermission, clustersPodDeletePermission, clustersPodLogsPermission, clustersResourcesReadPermission, clustersWorkloadApplyPermission, clustersWorkloadRestartPermission, clustersWorkloadRollbackPermission, clustersWorkloadScalePermission, WorkloadManifestResponse } from '@kubemate/plugin-clusters-common';
import {
  AppliedObject,
  ClusterAuditService,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentityService,
  objectYaml,
  requirePermission,
  ResourceCacheService,
  serverSideApply,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import {
  CoreV1Event,
  KubernetesObject,
  PatchStrategy,
  V1Pod,
  loadAllYaml,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { createTwoFilesPatch } from 'diff';
import type { Readable } from 'node:stream';
import { summarizePod, workloadHealth } from './health';
import { parseCpu, parseQuantity } from './quantity';
import {
  ClusterOpsService,
  LogOptions,
  PodTarget,
  UserCredentials,
  WorkloadTarget,
} from './types';
import { AuditRecord, ClustersObject, clustersObjectRef, EntityKubernetesSelector, getEntityKubernetesSelector, labelsMatch, RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';

const FIELD_MANAGER = 'kubemate-portal';
const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
const MAX_EVENTS_PER_WORKLOAD = 10;

const KIND_OF: Record<WorkloadTarget['resource'], WorkloadKind> = {
  deployments: 'Deployment',
  statefulsets: 'StatefulSet',
  daemonsets: 'DaemonSet',
};

interface EntityContext {
  entity: Entity;
  entityRef: string;
  selector: EntityKubernetesSelector;
}

type AuditTarget = {
  cluster?: string;
  namespace?: string;
  kind?: string;
  /** Plural resource (`deployments`, `pods`) for the permission resource ref. */
  resource?: string;
  name?: string;
};

function eventTime(e: CoreV1Event): number {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
  return t ? new Date(t as any).getTime() : 0;
}

function toClusterEvent(e: CoreV1Event): ClusterEvent {
  const t = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
  return {
    type: e.type ?? 'Normal',
    reason: e.reason,
    message: e.message,
    count: e.count,
    involvedObject: {
      kind: e.involvedObject.kind,
      name: e.involvedObject.name,
      namespace: e.involvedObject.namespace,
    },
    lastTimestamp: t ? new Date(t as any).toISOString() : undefined,
  };
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}

export class DefaultClusterOpsService implements ClusterOpsService {
  constructor(
    private readonly deps: {
      catalog: CatalogService;
      permissions: PermissionsService;
      clusters: ClusterRegistryService;
      cache: ResourceCacheService;
      identity: KubernetesIdentityService;
      audit: ClusterAuditService;
      logger: LoggerService;
      /** Evaluates a conditional decision on a `clusters-object` (the plugin's own rules). */
      authorizeConditions: (
        decision: PolicyDecision,
        object: ClustersObject,
      ) => boolean;
    },
  ) {}

  // ---------------------------------------------------------------- helpers

  /** Fetches the entity as the user (the catalog enforces read access) with its selector. */
  private async resolveEntity(
    credentials: UserCredentials,
    entityRef: string,
  ): Promise<EntityContext> {
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (e) {
      throw new InputError(`Invalid entity ref '${entityRef}'`);
    }
    const entity = await this.deps.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity) {
      throw new NotFoundError(`Entity ${ref} not found`);
    }
    const selector = getEntityKubernetesSelector(entity);
    if (!selector) {
      throw new InputError(
        `Entity ${ref} has no backstage.io/kubernetes-id or backstage.io/kubernetes-label-selector annotation`,
      );
    }
    return { entity, entityRef: ref, selector };
  }

  /** Checks a permission on one Kubernetes object (or namespace) of the entity. */
  private async authorizeObject(
    credentials: UserCredentials,
    permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>,
    object: ClustersObject,
  ): Promise<void> {
    await requirePermission(
      this.deps.permissions,
      { credentials, permission, resourceRef: clustersObjectRef(object) },
      { subject: credentials.principal.userEntityRef },
    );
  }

  /** The entity, after checking the permission on the target object. */
  private async authorizeEntity(
    credentials: UserCredentials,
    entityRef: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>,
    object: ClustersObject,
  ): Promise<EntityContext> {
    const ctx = await this.resolveEntity(credentials, entityRef);
    await this.authorizeObject(credentials, permission, object);
    return ctx;
  }

  /**
   * Which namespaces of which clusters the user may read: one conditional decision, evaluated
   * here for every namespace (rules of the `clusters-object` resource type).
   */
  private async namespaceReadFilter(
    credentials: UserCredentials,
  ): Promise<(object: ClustersObject) => boolean> {
    const [decision] = await this.deps.permissions.authorizeConditional(
      [{ permission: clustersResourcesReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `${credentials.principal.userEntityRef} is not allowed ${clustersResourcesReadPermission.name} in any namespace`,
      );
    }
    return object => this.deps.authorizeConditions(decision, object);
  }

  private async authorizeBasic(
    credentials: UserCredentials,
    permission: BasicPermission,
  ) {
    await requirePermission(
      this.deps.permissions,
      { credentials, permission },
      { subject: credentials.principal.userEntityRef },
    );
  }

  /** Runs a mutation with authorization, and audits success and failure (including denials). */
  private async mutate<T>(
    credentials: UserCredentials,
    entityRef: string,
    action: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>,
    target: AuditTarget,
    fn: (ctx: EntityContext, clients: KubeClients) => Promise<T>,
    describe: (result: T) => string,
  ): Promise<T> {
    const actor = credentials.principal.userEntityRef;
    try {
      const cluster = target.cluster ?? '';
      const ctx = await this.resolveEntity(credentials, entityRef);
      if (target.namespace) {
        await this.authorizeObject(credentials, permission, {
          cluster,
          namespace: target.namespace,
          resource: target.resource,
          name: target.name,
        });
      }
      this.deps.clusters.getCluster(cluster);
      const identity = await this.deps.identity.forCredentials(credentials);
      const clients = this.deps.clusters.clientsAs(cluster, identity);
      let result: T;
      try {
        result = await fn(ctx, clients);
      } catch (e) {
        throw toBackstageError(e, cluster);
      }
      await this.deps.audit.record({
        actor,
        action,
        entityRef: ctx.entityRef,
        ...target,
        result: 'success',
        message: describe(result),
      });
      return result;
    } catch (e) {
      await this.deps.audit
        .record({
          actor,
          action,
          entityRef,
          ...target,
          result: 'failure',
          message: isError(e) ? `${e.name}: ${e.message}` : String(e),
        })
        .catch(auditError =>
          this.deps.logger.error(
            `Failed to write audit record: ${String(auditError)}`,
          ),
        );
      throw e;
    }
  }

  private checkNamespace(ctx: EntityContext, namespace: string) {
    if (ctx.selector.namespace && ctx.selector.namespace !== namespace) {
      // the annotation limits the entity to one namespace; other namespaces never belong to it
      throw new NotAllowedError(
        `Namespace ${namespace} does not belong to ${ctx.entityRef} (annotated namespace ${ctx.selector.namespace})`,
      );
    }
  }

  private checkBelongs(
    ctx: EntityContext,
    obj: KubernetesObject,
    description: string,
  ) {
    if (!labelsMatch(ctx.selector, obj.metadata?.labels)) {
      throw new NotAllowedError(
        `${description} does not belong to ${ctx.entityRef} (labels do not match ${ctx.selector.labelSelector})`,
      );
    }
  }

  /** Reads a workload with the portal identity and checks that it belongs to the entity. */
  private async readOwnedWorkload(
    ctx: EntityContext,
    target: WorkloadTarget,
  ): Promise<KubernetesObject & { spec?: any }> {
    this.checkNamespace(ctx, target.namespace);
    const portal = this.deps.clusters.portalClients(target.cluster);
    const args = { name: target.name, namespace: target.namespace };
    let obj: KubernetesObject;
    try {
      switch (target.resource) {
        case 'deployments':
          obj = await portal.apps.readNamespacedDeployment(args);
          break;
        case 'statefulsets':
          obj = await portal.apps.readNamespacedStatefulSet(args);
          break;
        case 'daemonsets':
          obj = await portal.apps.readNamespacedDaemonSet(args);
          break;
        default:
          throw new InputError(`Unsupported workload kind ${target.resource}`);
      }
    } catch (e) {
      throw toBackstageError(e, target.cluster);
    }
    this.checkBelongs(
      ctx,
      obj,
      `${KIND_OF[target.resource]} ${target.namespace}/${target.name}`,
    );
    return obj;
  }

  private async readOwnedPod(ctx: EntityContext, target: PodTarget) {
    this.checkNamespace(ctx, target.namespace);
    const portal = this.deps.clusters.portalClients(target.cluster);
    let pod: V1Pod;
    try {
      pod = await portal.core.readNamespacedPod({
        name: target.pod,
        namespace: target.namespace,
      });
    } catch (e) {
      throw toBackstageError(e, target.cluster);
    }
    this.checkBelongs(ctx, pod, `Pod ${target.namespace}/${target.pod}`);
    return pod;
  }

  // ---------------------------------------------------------------- reads

  async getEntityWorkloads(
    credentials: UserCredentials,
    entityRef: string,
  ): Promise<EntityWorkloadsResponse> {
    const ctx = await this.resolveEntity(credentials, entityRef);
    const mayRead = await this.namespaceReadFilter(credentials);
    const clusters = (
      await Promise.all(
        this.deps.clusters
          .listClusters()
          .map(c => this.clusterWorkloads(c.name, ctx.selector)),
      )
    ).map(c => ({
      ...c,
      namespaces: c.namespaces.filter(ns =>
        mayRead({ cluster: c.cluster, namespace: ns.namespace }),
      ),
    }));
    return {
      entityRef: ctx.entityRef,
      labelSelector: ctx.selector.labelSelector,
      clusters,
    };
  }

  private async clusterWorkloads(
    cluster: string,
    selector: EntityKubernetesSelector,
  ): Promise<ClusterWorkloads> {
    const { cache } = this.deps;
    const opts = { namespace: selector.namespace, labels: selector.labels };
    try {
      const [
        deployments,
        statefulsets,
        daemonsets,
        jobs,
        cronjobs,
        services,
        labelledPods,
      ] = await Promise.all([
        cache.list(cluster, 'deployments', opts),
        cache.list(cluster, 'statefulsets', opts),
        cache.list(cluster, 'daemonsets', opts),
        cache.list(cluster, 'jobs', opts),
        cache.list(cluster, 'cronjobs', opts),
        cache.list(cluster, 'services', opts),
        cache.list(cluster, 'pods', opts),
      ]);
      const namespaces = new Set<string>();
      for (const o of [
        ...deployments,
        ...statefulsets,
        ...daemonsets,
        ...jobs,
        ...cronjobs,
        ...services,
        ...labelledPods,
      ]) {
        if (o.metadata?.namespace) {
          namespaces.add(o.metadata.namespace);
        }
      }
      const result: NamespaceWorkloads[] = [];
      for (const namespace of [...namespaces].sort()) {
        const [pods, replicasets, events] = await Promise.all([
          cache.list(cluster, 'pods', { namespace }),
          cache.list(cluster, 'replicasets', { namespace }),
          cache.list(cluster, 'events', { namespace }),
        ]);
        const warnings = events
          .filter(e => e.type === 'Warning')
          .sort((a, b) => eventTime(b) - eventTime(a));
        const rsOwner = new Map<string, string>(); // rs uid -> deployment uid
        for (const rs of replicasets) {
          const owner = rs.metadata?.ownerReferences?.find(o => o.controller);
          if (owner?.kind === 'Deployment' && rs.metadata?.uid) {
            rsOwner.set(rs.metadata.uid, owner.uid);
          }
        }
        const jobOwner = new Map<string, string>(); // job uid -> cronjob uid
        for (const j of jobs) {
          const owner = j.metadata?.ownerReferences?.find(o => o.controller);
          if (owner?.kind === 'CronJob' && j.metadata?.uid) {
            jobOwner.set(j.metadata.uid, owner.uid);
          }
        }
        /** The uid of the top-level workload controlling a pod. */
        const topOwnerOf = (pod: V1Pod): string | undefined => {
          const owner = pod.metadata?.ownerReferences?.find(o => o.controller);
          if (!owner) {
            return undefined;
          }
          if (owner.kind === 'ReplicaSet') {
            return rsOwner.get(owner.uid) ?? owner.uid;
          }
          if (owner.kind === 'Job') {
            return jobOwner.get(owner.uid) ?? owner.uid;
          }
          return owner.uid;
        };
        const inNs = <T extends KubernetesObject>(list: T[]) =>
          list.filter(o => o.metadata?.namespace === namespace);
        const workloadObjects: {
          kind: WorkloadKind;
          obj: KubernetesObject & { spec?: any; status?: any };
        }[] = [
          ...inNs(deployments).map(obj => ({
            kind: 'Deployment' as const,
            obj,
          })),
          ...inNs(statefulsets).map(obj => ({
            kind: 'StatefulSet' as const,
            obj,
          })),
          ...inNs(daemonsets).map(obj => ({ kind: 'DaemonSet' as const, obj })),
          ...inNs(cronjobs).map(obj => ({ kind: 'CronJob' as const, obj })),
          ...inNs(jobs)
            .filter(j => !jobOwner.has(j.metadata?.uid ?? ''))
            .map(obj => ({ kind: 'Job' as const, obj })),
        ];
        const workloadUids = new Set(
          workloadObjects.map(w => w.obj.metadata?.uid),
        );
        const podsByWorkload = new Map<string, V1Pod[]>();
        const otherPods: PodSummary[] = [];
        const labelled = new Set(inNs(labelledPods).map(p => p.metadata?.uid));
        for (const pod of pods) {
          const top = topOwnerOf(pod);
          if (top && workloadUids.has(top)) {
            podsByWorkload.set(top, [...(podsByWorkload.get(top) ?? []), pod]);
          } else if (labelled.has(pod.metadata?.uid)) {
            otherPods.push(summarizePod(pod));
          }
        }
        const workloads: WorkloadSummary[] = workloadObjects.map(
          ({ kind, obj }) => {
            const uid = obj.metadata?.uid ?? '';
            const wPods = podsByWorkload.get(uid) ?? [];
            const podSummaries = wPods
              .map(summarizePod)
              .sort((a, b) => a.name.localeCompare(b.name));
            const related = new Set<string>([
              obj.metadata?.name ?? '',
              ...wPods.map(p => p.metadata?.name ?? ''),
              ...replicasets
                .filter(rs => rsOwner.get(rs.metadata?.uid ?? '') === uid)
                .map(rs => rs.metadata?.name ?? ''),
            ]);
            let desired: number | undefined;
            let ready: number | undefined;
            if (kind === 'Deployment' || kind === 'StatefulSet') {
              desired = obj.spec?.replicas ?? 1;
              ready = obj.status?.readyReplicas ?? 0;
            } else if (kind === 'DaemonSet') {
              desired = obj.status?.desiredNumberScheduled;
              ready = obj.status?.numberReady ?? 0;
            }
            const containers: { image?: string }[] =
              kind === 'CronJob'
                ? obj.spec?.jobTemplate?.spec?.template?.spec?.containers ?? []
                : obj.spec?.template?.spec?.containers ?? [];
            return {
              kind,
              name: obj.metadata?.name ?? '',
              namespace,
              desiredReplicas: desired,
              readyReplicas: ready,
              updatedReplicas: obj.status?.updatedReplicas,
              availableReplicas: obj.status?.availableReplicas,
              revision: obj.metadata?.annotations?.[REVISION_ANNOTATION],
              images: containers
                .map(c => c.image)
                .filter((i): i is string => Boolean(i)),
              health: workloadHealth(podSummaries, desired, ready),
              pods: podSummaries,
              events: warnings
                .filter(e => related.has(e.involvedObject.name ?? ''))
                .slice(0, MAX_EVENTS_PER_WORKLOAD)
                .map(toClusterEvent),
            };
          },
        );
        workloads.sort((a, b) =>
          `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`),
        );
        result.push({
          namespace,
          workloads,
          services: inNs(services).map(s => ({
            name: s.metadata?.name ?? '',
            namespace,
            type: s.spec?.type,
            clusterIP: s.spec?.clusterIP,
            ports: (s.spec?.ports ?? []).map(
              p => `${p.port}/${p.protocol ?? 'TCP'}`,
            ),
          })),
          otherPods,
        });
      }
      return { cluster, namespaces: result };
    } catch (e) {
      const error = toBackstageError(e, cluster);
      this.deps.logger.warn(
        `Could not read workloads from ${cluster}: ${error.message}`,
      );
      return { cluster, error: error.message, namespaces: [] };
    }
  }

  async getPodLogs(
    credentials: UserCredentials,
    entityRef: string,
    target: PodTarget,
    options: LogOptions,
    signal?: AbortSignal,
  ): Promise<Readable> {
    const ctx = await this.authorizeEntity(
      credentials,
      entityRef,
      clustersPodLogsPermission,
      {
        cluster: target.cluster,
        namespace: target.namespace,
        resource: 'pods',
        name: target.pod,
      },
    );
    await this.readOwnedPod(ctx, target);
    const identity = await this.deps.identity.forCredentials(credentials);
    const clients = this.deps.clusters.clientsAs(target.cluster, identity);
    const query = new URLSearchParams();
    if (options.container) {
      query.set('container', options.container);
    }
    if (options.previous) {
      query.set('previous', 'true');
    }
    if (options.tailLines !== undefined) {
      query.set('tailLines', String(options.tailLines));
    }
    if (options.follow) {
      query.set('follow', 'true');
    }
    const path = `/api/v1/namespaces/${encodeURIComponent(
      target.namespace,
    )}/pods/${encodeURIComponent(target.pod)}/log?${query}`;
    let res;
    try {
      res = await clients.raw({ path, signal });
    } catch (e) {
      throw toBackstageError(e, target.cluster);
    }
    const status = res.statusCode ?? 0;
    if (status >= 400) {
      const body = await readAll(res);
      throw toBackstageError({ code: status, body }, target.cluster);
    }
    return res;
  }

  async getWorkloadManifest(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
  ): Promise<WorkloadManifestResponse> {
    const ctx = await this.authorizeEntity(
      credentials,
      entityRef,
      clustersResourcesReadPermission,
      {
        cluster: target.cluster,
        namespace: target.namespace,
        resource: target.resource,
        name: target.name,
      },
    );
    const obj = await this.readOwnedWorkload(ctx, target);
    return {
      cluster: target.cluster,
      yaml: objectYaml({
        ...obj,
        apiVersion: obj.apiVersion ?? 'apps/v1',
        kind: obj.kind ?? KIND_OF[target.resource],
      }),
    };
  }

  // ---------------------------------------------------------------- mutations

  async scale(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
    replicas: number,
  ): Promise<MutationResponse> {
    const kind = KIND_OF[target.resource];
    return this.mutate(
      credentials,
      entityRef,
      'scale',
      clustersWorkloadScalePermission,
      { ...target, kind },
      async (ctx, clients) => {
        const current = await this.readOwnedWorkload(ctx, target);
        const args = {
          name: target.name,
          namespace: target.namespace,
          body: { spec: { replicas } },
        };
        const options = setHeaderOptions(
          'Content-Type',
          PatchStrategy.MergePatch,
        );
        if (target.resource === 'deployments') {
          await clients.apps.patchNamespacedDeploymentScale(args, options);
        } else if (target.resource === 'statefulsets') {
          await clients.apps.patchNamespacedStatefulSetScale(args, options);
        } else {
          throw new InputError(`A ${kind} cannot be scaled`);
        }
        return {
          ...target,
          kind,
          message: `scaled ${kind} ${target.namespace}/${target.name} from ${
            current.spec?.replicas ?? '?'
          } to ${replicas} replicas`,
        };
      },
      r => r.message,
    );
  }

  async restart(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
  ): Promise<MutationResponse> {
    const kind = KIND_OF[target.resource];
    return this.mutate(
      credentials,
      entityRef,
      'restart',
      clustersWorkloadRestartPermission,
      { ...target, kind },
      async (ctx, clients) => {
        await this.readOwnedWorkload(ctx, target);
        const restartedAt = new Date().toISOString();
        const args = {
          name: target.name,
          namespace: target.namespace,
          body: {
            spec: {
              template: {
                metadata: {
                  annotations: {
                    'kubectl.kubernetes.io/restartedAt': restartedAt,
                  },
                },
              },
            },
          },
        };
        const options = setHeaderOptions(
          'Content-Type',
          PatchStrategy.StrategicMergePatch,
        );
        if (target.resource === 'deployments') {
          await clients.apps.patchNamespacedDeployment(args, options);
        } else if (target.resource === 'statefulsets') {
          await clients.apps.patchNamespacedStatefulSet(args, options);
        } else {
          await clients.apps.patchNamespacedDaemonSet(args, options);
        }
        return {
          ...target,
          kind,
          message: `restarted ${kind} ${target.namespace}/${target.name} at ${restartedAt}`,
        };
      },
      r => r.message,
    );
  }

  async rollback(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
    revision?: number,
  ): Promise<MutationResponse> {
    const kind = KIND_OF[target.resource];
    return this.mutate(
      credentials,
      entityRef,
      'rollback',
      clustersWorkloadRollbackPermission,
      { ...target, kind },
      async (ctx, clients) => {
        if (target.resource !== 'deployments') {
          throw new InputError(
            `Rollback is supported for Deployments only, not ${kind}`,
          );
        }
        const deployment = await this.readOwnedWorkload(ctx, target);
        const portal = this.deps.clusters.portalClients(target.cluster);
        const { items } = await portal.apps.listNamespacedReplicaSet({
          namespace: target.namespace,
        });
        const owned = items
          .filter(rs =>
            rs.metadata?.ownerReferences?.some(
              o => o.controller && o.uid === deployment.metadata?.uid,
            ),
          )
          .map(rs => ({
            rs,
            revision: Number(
              rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0',
            ),
          }));
        const currentRevision = Number(
          deployment.metadata?.annotations?.[REVISION_ANNOTATION] ?? '0',
        );
        const wanted =
          revision && revision > 0
            ? owned.find(o => o.revision === revision)
            : owned
                .filter(o => o.revision < currentRevision)
                .sort((a, b) => b.revision - a.revision)[0];
        if (!wanted) {
          throw new NotFoundError(
            revision
              ? `Revision ${revision} of Deployment ${target.namespace}/${target.name} not found`
              : `Deployment ${target.namespace}/${target.name} has no previous revision`,
          );
        }
        if (wanted.revision === currentRevision) {
          return {
            ...target,
            kind,
            message: `skipped rollback: revision ${wanted.revision} is already current`,
          };
        }
        // read as the user (RBAC), restore the template and replace; the deployment controller
        // updates the object concurrently, so retry on conflicts like kubectl does
        for (let attempt = 1; ; attempt++) {
          const mine = await clients.apps.readNamespacedDeployment({
            name: target.name,
            namespace: target.namespace,
          });
          const template = wanted.rs.spec!.template!;
          const labels = { ...(template.metadata?.labels ?? {}) };
          delete labels['pod-template-hash'];
          mine.spec!.template = {
            ...template,
            metadata: { ...template.metadata, labels },
          };
          try {
            await clients.apps.replaceNamespacedDeployment({
              name: target.name,
              namespace: target.namespace,
              body: mine,
            });
            break;
          } catch (e) {
            if ((e as { code?: number }).code !== 409 || attempt >= 5) {
              throw e;
            }
          }
        }
        return {
          ...target,
          kind,
          message: `rolled Deployment ${target.namespace}/${target.name} back from revision ${currentRevision} to the template of revision ${wanted.revision}`,
        };
      },
      r => r.message,
    );
  }

  async deletePod(
    credentials: UserCredentials,
    entityRef: string,
    target: PodTarget,
  ): Promise<MutationResponse> {
    return this.mutate(
      credentials,
      entityRef,
      'delete-pod',
      clustersPodDeletePermission,
      {
        cluster: target.cluster,
        namespace: target.namespace,
        kind: 'Pod',
        resource: 'pods',
        name: target.pod,
      },
      async (ctx, clients) => {
        await this.readOwnedPod(ctx, target);
        await clients.core.deleteNamespacedPod({
          name: target.pod,
          namespace: target.namespace,
        });
        return {
          cluster: target.cluster,
          namespace: target.namespace,
          kind: 'Pod',
          name: target.pod,
          message: `deleted Pod ${target.namespace}/${target.pod}`,
        };
      },
      r => r.message,
    );
  }

  async apply(
    credentials: UserCredentials,
    entityRef: string,
    request: { cluster: string; manifest: string; dryRun: boolean },
  ): Promise<ApplyResponse> {
    let objects: KubernetesObject[] = [];
    let parseError: Error | undefined;
    try {
      objects = (loadAllYaml(request.manifest) as KubernetesObject[]).filter(
        o => o && typeof o === 'object',
      );
    } catch (e) {
      parseError = new InputError(
        `Invalid manifest: ${isError(e) ? e.message : String(e)}`,
      );
    }
    const first = objects[0];
    return this.mutate(
      credentials,
      entityRef,
      request.dryRun ? 'apply-dry-run' : 'apply',
      clustersWorkloadApplyPermission,
      {
        cluster: request.cluster,
        namespace: first?.metadata?.namespace,
        kind: first?.kind,
        name:
          objects.length > 1
            ? `${first?.metadata?.name} (+${objects.length - 1})`
            : first?.metadata?.name,
      },
      async (ctx, clients) => {
        if (parseError) {
          throw parseError;
        }
        if (objects.length === 0) {
          throw new InputError('The manifest contains no objects');
        }
        const results: ApplyResponse['objects'] = [];
        for (const obj of objects) {
          if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
            throw new InputError(
              'Every object needs apiVersion, kind and metadata.name',
            );
          }
          const namespace = obj.metadata.namespace ?? ctx.selector.namespace;
          if (!namespace) {
            throw new InputError(
              `${obj.kind} ${obj.metadata.name} needs metadata.namespace`,
            );
          }
          obj.metadata.namespace = namespace;
          this.checkNamespace(ctx, namespace);
          await this.authorizeObject(
            credentials,
            clustersWorkloadApplyPermission,
            { cluster: request.cluster, namespace },
          );
          const description = `${obj.kind} ${namespace}/${obj.metadata.name}`;
          this.checkBelongs(ctx, obj, description);
          let applied: AppliedObject;
          try {
            applied = await serverSideApply(clients, obj, {
              fieldManager: FIELD_MANAGER,
              dryRun: request.dryRun,
              check: before =>
                this.checkBelongs(ctx, before, `existing ${description}`),
            });
          } catch (e) {
            if (isError(e) && e.name === 'NotAllowedError') throw e;
            throw this.applyError(e, request.cluster);
          }
          const { beforeYaml, afterYaml } = applied;
          results.push({
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            namespace,
            name: obj.metadata.name,
            operation: applied.operation,
            before: applied.before ? beforeYaml : undefined,
            after: afterYaml,
            diff: createTwoFilesPatch(
              `${obj.kind}/${obj.metadata.name} (live)`,
              `${obj.kind}/${obj.metadata.name} (${
                request.dryRun ? 'dry run' : 'applied'
              })`,
              beforeYaml,
              afterYaml,
            ),
          });
        }
        return { dryRun: request.dryRun, objects: results };
      },
      r =>
        r.objects
          .map(o => `${o.operation} ${o.kind} ${o.namespace}/${o.name}`)
          .join(', ') + (r.dryRun ? ' (dry run)' : ''),
    );
  }

  private applyError(e: unknown, cluster: string): Error {
    if (
      isError(e) &&
      /Unrecognized API version and kind/i.test(e.message ?? '')
    ) {
      return new InputError(`${cluster}: ${e.message}`);
    }
    return toBackstageError(e, cluster);
  }

  // ---------------------------------------------------------------- clusters

  async listClusters(credentials: UserCredentials): Promise<ClustersResponse> {
    await this.authorizeBasic(credentials, clustersOverviewReadPermission);
    return {
      clusters: this.deps.clusters
        .listClusters()
        .map(c => ({ name: c.name, url: c.url })),
    };
  }

  async getClusterOverview(
    credentials: UserCredentials,
    cluster: string,
  ): Promise<ClusterOverview> {
    await this.authorizeBasic(credentials, clustersOverviewReadPermission);
    this.deps.clusters.getCluster(cluster);
    const { cache } = this.deps;
    const [nodes, pods, namespaces] = await Promise.all([
      cache.list(cluster, 'nodes'),
      cache.list(cluster, 'pods'),
      cache.list(cluster, 'namespaces'),
    ]);
    const podsByPhase: Record<string, number> = {};
    const podsPerNs = new Map<string, number>();
    const perNode = new Map<
      string,
      { cpu: number; memory: number; gpu: number; count: number }
    >();
    for (const pod of pods) {
      const phase = pod.status?.phase ?? 'Unknown';
      podsByPhase[phase] = (podsByPhase[phase] ?? 0) + 1;
      const ns = pod.metadata?.namespace ?? '';
      podsPerNs.set(ns, (podsPerNs.get(ns) ?? 0) + 1);
      const node = pod.spec?.nodeName;
      if (!node || phase === 'Succeeded' || phase === 'Failed') {
        continue;
      }
      const acc = perNode.get(node) ?? { cpu: 0, memory: 0, gpu: 0, count: 0 };
      for (const c of pod.spec?.containers ?? []) {
        acc.cpu += parseCpu(c.resources?.requests?.cpu);
        acc.memory += parseQuantity(c.resources?.requests?.memory);
        acc.gpu += parseQuantity(
          c.resources?.requests?.['nvidia.com/gpu'] ??
            c.resources?.limits?.['nvidia.com/gpu'],
        );
      }
      acc.count += 1;
      perNode.set(node, acc);
    }
    const nodeOverviews: NodeOverview[] = nodes.map(n => {
      const name = n.metadata?.name ?? '';
      const req = perNode.get(name) ?? { cpu: 0, memory: 0, gpu: 0, count: 0 };
      const amounts = (r: Record<string, string> | undefined) => ({
        cpu: parseCpu(r?.cpu),
        memory: parseQuantity(r?.memory),
        pods: parseQuantity(r?.pods),
        gpu: parseQuantity(r?.['nvidia.com/gpu']),
      });
      return {
        name,
        ready:
          n.status?.conditions?.some(
            c => c.type === 'Ready' && c.status === 'True',
          ) ?? false,
        roles: Object.keys(n.metadata?.labels ?? {})
          .filter(l => l.startsWith('node-role.kubernetes.io/'))
          .map(l => l.slice('node-role.kubernetes.io/'.length)),
        labels: n.metadata?.labels ?? {},
        capacity: amounts(n.status?.capacity),
        allocatable: amounts(n.status?.allocatable),
        requests: {
          cpu: req.cpu,
          memory: req.memory,
          pods: req.count,
          gpu: req.gpu,
        },
        podCount: req.count,
      };
    });
    const sum = (pick: (n: NodeOverview) => NodeOverview['requests']) =>
      nodeOverviews.reduce(
        (acc, n) => ({
          cpu: acc.cpu + pick(n).cpu,
          memory: acc.memory + pick(n).memory,
          pods: (acc.pods ?? 0) + (pick(n).pods ?? 0),
          gpu: (acc.gpu ?? 0) + (pick(n).gpu ?? 0),
        }),
        { cpu: 0, memory: 0, pods: 0, gpu: 0 },
      );
    return {
      cluster,
      nodes: nodeOverviews.sort((a, b) => a.name.localeCompare(b.name)),
      totals: {
        allocatable: sum(n => n.allocatable),
        requests: sum(n => n.requests),
      },
      namespaces: namespaces
        .map(ns => ({
          name: ns.metadata?.name ?? '',
          phase: ns.status?.phase,
          podCount: podsPerNs.get(ns.metadata?.name ?? '') ?? 0,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      podsByPhase,
    };
  }

  async getAudit(
    credentials: UserCredentials,
    entityRef: string,
    limit?: number,
  ): Promise<AuditRecord[]> {
    const ctx = await this.resolveEntity(credentials, entityRef);
    const mayRead = await this.namespaceReadFilter(credentials);
    const records = await this.deps.audit.query({
      entityRef: ctx.entityRef,
      limit,
    });
    // entries about namespaces the user may not read are left out
    return records.filter(
      r =>
        !r.cluster ||
        !r.namespace ||
        mayRead({ cluster: r.cluster, namespace: r.namespace }),
    );
  }
}
