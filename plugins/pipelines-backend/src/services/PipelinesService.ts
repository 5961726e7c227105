import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  isError,
  NotFoundError,
} from '@backstage/errors';
import {
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentityService,
  requireNamespaceScope,
  requirePermission,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import {
  ENVIRONMENT_LABEL,
  PipelineRunsResponse,
  PipelineRunSummary,
  PipelinesResponse,
  pipelinesRunCancelPermission,
  pipelinesRunReadPermission,
  pipelinesRunRerunPermission,
  pipelinesRunStartPermission,
  TEKTON_SELECTOR_ANNOTATION,
} from '@kubemate/plugin-pipelines-common';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { statusOf, TEKTON, TektonObject, toPipeline, toRun } from './tekton';
import { clustersObjectRef, getEntityKubernetesSelector, namespaceInScope, RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

export interface RunRef {
  cluster: string;
  namespace: string;
  name: string;
}

/**
 * Tekton pipelines of an entity across clusters: runs (read with the portal identity, filtered by
 * the user's `pipelines.run.read` scope), and start / re-run / cancel as the user (Kubernetes
 * impersonation, so Kubernetes RBAC applies too), each checked on its own object and audited.
 */
export class DefaultPipelinesService {
  constructor(
    private readonly deps: {
      permissions: PermissionsService;
      catalog: CatalogService;
      clusters: ClusterRegistryService;
      identity: KubernetesIdentityService;
      audit: ClusterAuditService;
      logger: LoggerService;
    },
  ) {}

  private custom(clients: KubeClients) {
    return clients.custom;
  }

  private async entity(credentials: BackstageCredentials, entityRef: string) {
    const entity = await this.deps.catalog.getEntityByRef(entityRef, {
      credentials,
    });
    if (!entity) throw new NotFoundError(`Entity ${entityRef} not found`);
    return entity;
  }

  /** The label selector (and namespace) of the entity's Tekton objects. */
  private selector(entity: Entity): {
    labelSelector: string;
    namespace?: string;
  } {
    const custom = entity.metadata.annotations?.[TEKTON_SELECTOR_ANNOTATION];
    const k8s = getEntityKubernetesSelector(entity);
    if (custom) return { labelSelector: custom, namespace: k8s?.namespace };
    if (!k8s) {
      throw new InputError(
        `${stringifyEntityRef(
          entity,
        )} has no ${TEKTON_SELECTOR_ANNOTATION} or Kubernetes annotation`,
      );
    }
    return { labelSelector: k8s.labelSelector, namespace: k8s.namespace };
  }

  private async authorize(
    credentials: BackstageCredentials,
    permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>,
    ref: {
      cluster: string;
      namespace: string;
      resource?: string;
      name?: string;
    },
  ) {
    await requirePermission(this.deps.permissions, {
      credentials,
      permission,
      resourceRef: clustersObjectRef(ref),
    });
  }

  private async list(
    clients: KubeClients,
    plural: string,
    labelSelector: string,
    namespace?: string,
  ): Promise<TektonObject[]> {
    const api = this.custom(clients);
    const res = namespace
      ? await api.listNamespacedCustomObject({
          ...TEKTON,
          namespace,
          plural,
          labelSelector,
        })
      : await api.listClusterCustomObject({ ...TEKTON, plural, labelSelector });
    return (res as { items: TektonObject[] }).items;
  }

  /**
   * The Pipelines the runs reference, one read per distinct Pipeline (a run of a deleted Pipeline
   * still shows, from its own spec).
   */
  private async pipelinesOf(
    clients: KubeClients,
    runs: TektonObject[],
  ): Promise<Map<string, TektonObject>> {
    const api = this.custom(clients);
    const refs = new Map<string, { namespace: string; name: string }>();
    for (const r of runs) {
      const name = r.spec?.pipelineRef?.name;
      if (name)
        refs.set(`${r.metadata.namespace}/${name}`, {
          namespace: r.metadata.namespace,
          name,
        });
    }
    const found = await Promise.all(
      [...refs].map(async ([key, ref]) => {
        const p = (await api
          .getNamespacedCustomObject({ ...TEKTON, ...ref, plural: 'pipelines' })
          .catch(() => undefined)) as TektonObject | undefined;
        return [key, p] as const;
      }),
    );
    return new Map(
      found.filter((e): e is [string, TektonObject] => e[1] !== undefined),
    );
  }

  /**
   * `fn` over every cluster with the entity's selector and the user's `pipelines.run.read` scope
   * (objects outside it are dropped); clusters that fail are reported, not fatal.
   */
  private async perCluster<T extends { namespace: string }>(
    credentials: BackstageCredentials,
    entityRef: string,
    fn: (
      clients: KubeClients,
      selector: { labelSelector: string; namespace?: string },
    ) => Promise<T[]>,
  ): Promise<{ items: T[]; errors: PipelineRunsResponse['errors'] }> {
    const entity = await this.entity(credentials, entityRef);
    const selector = this.selector(entity);
    const scope = await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: pipelinesRunReadPermission,
    });
    const errors: PipelineRunsResponse['errors'] = [];
    const perCluster = await Promise.all(
      this.deps.clusters.listClusters().map(async c => {
        try {
          const items = await fn(
            this.deps.clusters.portalClients(c.name),
            selector,
          );
          return items.filter(
            i => scope.type === 'all' || namespaceInScope(scope.namespaces, i.namespace),
          );
        } catch (e) {
          errors.push({
            cluster: c.name,
            message: toBackstageError(e, c.name).message,
          });
          return [];
        }
      }),
    );
    return { items: perCluster.flat(), errors };
  }

  /** The entity's PipelineRuns in every cluster, newest first, within the user's namespaces. */
  async runs(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<PipelineRunsResponse> {
    const { items, errors } = await this.perCluster(
      credentials,
      entityRef,
      async (clients, { labelSelector, namespace }) => {
        // One list per kind, not requests per run (2 × 500 runs would meet the apiserver's
        // in-flight limit): Tekton copies a PipelineRun's labels to its TaskRuns.
        const [runs, taskRuns] = await Promise.all([
          this.list(clients, 'pipelineruns', labelSelector, namespace),
          this.list(clients, 'taskruns', labelSelector, namespace),
        ]);
        const taskRunsOf = new Map<string, TektonObject[]>();
        for (const tr of taskRuns) {
          const run = tr.metadata.labels?.['tekton.dev/pipelineRun'];
          if (!run) continue;
          const key = `${tr.metadata.namespace}/${run}`;
          taskRunsOf.set(key, [...(taskRunsOf.get(key) ?? []), tr]);
        }
        const pipelines = await this.pipelinesOf(clients, runs);
        return runs.map(r => {
          const ns = r.metadata.namespace;
          return toRun(
            clients.cluster.name,
            r,
            pipelines.get(`${ns}/${r.spec?.pipelineRef?.name}`),
            taskRunsOf.get(`${ns}/${r.metadata.name}`) ?? [],
          );
        });
      },
    );
    const runs = items.sort((a, b) =>
      (b.startTime ?? '').localeCompare(a.startTime ?? ''),
    );
    return { runs, errors };
  }

  /** The entity's Pipelines (what can be started, with its params) within the user's namespaces. */
  async pipelines(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<PipelinesResponse> {
    const { items, errors } = await this.perCluster(
      credentials,
      entityRef,
      async (clients, { labelSelector, namespace }) =>
        (
          await this.list(clients, 'pipelines', labelSelector, namespace)
        ).map(p => toPipeline(clients.cluster.name, p)),
    );
    const pipelines = items.sort((a, b) =>
      `${a.cluster}/${a.namespace}/${a.name}`.localeCompare(
        `${b.cluster}/${b.namespace}/${b.name}`,
      ),
    );
    return { pipelines, errors };
  }

  /** Runs `fn` as the user in the cluster, checked on its object and audited either way. */
  private async asUser<T>(
    credentials: UserCredentials,
    action: string,
    permission: ResourcePermission<typeof RESOURCE_TYPE_CLUSTERS_OBJECT>,
    target: {
      cluster: string;
      namespace: string;
      name?: string;
      entityRef?: string;
    },
    fn: (clients: KubeClients) => Promise<T>,
    describe: (r: T) => string,
  ): Promise<T> {
    const actor = credentials.principal.userEntityRef;
    const audit = (
      result: 'success' | 'failure',
      message: string,
      name?: string,
    ) =>
      this.deps.audit
        .record({
          actor,
          action,
          entityRef: target.entityRef,
          cluster: target.cluster,
          namespace: target.namespace,
          kind: 'PipelineRun',
          name: name ?? target.name,
          result,
          message,
        })
        .catch(e =>
          this.deps.logger.error(`Failed to write audit record: ${String(e)}`),
        );
    try {
      this.deps.clusters.getCluster(target.cluster);
      await this.authorize(credentials, permission, {
        cluster: target.cluster,
        namespace: target.namespace,
        ...(target.name ? { resource: 'pipelineruns', name: target.name } : {}),
      });
      const identity = await this.deps.identity.forCredentials(credentials);
      const clients = this.deps.clusters.clientsAs(target.cluster, identity);
      let result: T;
      try {
        result = await fn(clients);
      } catch (e) {
        throw toBackstageError(e, target.cluster);
      }
      const message = describe(result);
      await audit('success', message, (result as { name?: string }).name);
      return result;
    } catch (e) {
      await audit(
        'failure',
        isError(e) ? `${e.name}: ${e.message}` : String(e),
      );
      throw e;
    }
  }

  /** Starts a run of one of the entity's Pipelines with the given params. */
  async start(
    credentials: UserCredentials,
    entityRef: string,
    req: {
      cluster: string;
      namespace: string;
      pipeline: string;
      params: Record<string, string>;
      environment?: string;
    },
  ): Promise<PipelineRunSummary> {
    const entity = await this.entity(credentials, entityRef);
    const { labelSelector } = this.selector(entity);
    return this.asUser(
      credentials,
      'pipelines.run.start',
      pipelinesRunStartPermission,
      { cluster: req.cluster, namespace: req.namespace, entityRef },
      async clients => {
        // the Pipeline must be the entity's (read with the portal identity)
        const portal = this.deps.clusters.portalClients(req.cluster);
        const pipelines = await this.list(
          portal,
          'pipelines',
          labelSelector,
          req.namespace,
        );
        const pipeline = pipelines.find(p => p.metadata.name === req.pipeline);
        if (!pipeline) {
          throw new NotFoundError(
            `${entityRef} has no Pipeline ${req.pipeline} in ${req.cluster}/${req.namespace}`,
          );
        }
        const declared: Array<{ name: string; default?: unknown }> =
          pipeline.spec?.params ?? [];
        const unknown = Object.keys(req.params).filter(
          k => !declared.some(d => d.name === k),
        );
        if (unknown.length) {
          throw new InputError(
            `Pipeline ${req.pipeline} has no param ${unknown.join(', ')}`,
          );
        }
        const missing = declared.filter(
          d => d.default === undefined && !(d.name in req.params),
        );
        if (missing.length) {
          throw new InputError(
            `Pipeline ${req.pipeline} needs the param ${missing
              .map(m => m.name)
              .join(', ')}`,
          );
        }
        return this.create(clients, pipeline, req.params, req.environment);
      },
      r =>
        `started ${r.name} of ${req.pipeline} (${
          Object.entries(req.params)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ') || 'no params'
        })`,
    );
  }

  /**
   * Creates a PipelineRun of the Pipeline. Its workspaces are bound as given (a re-run copies the
   * original run's), else each one the Pipeline declares gets a fresh `emptyDir` — what the Tekton
   * Dashboard offers by default, and all that a portal can bind without knowing the storage.
   */
  private async create(
    clients: KubeClients,
    pipeline: TektonObject,
    params: Record<string, string>,
    environment?: string,
    rerunOf?: { name: string; workspaces?: unknown[] },
  ): Promise<PipelineRunSummary> {
    const labels: Record<string, string> = {
      ...Object.fromEntries(
        Object.entries(pipeline.metadata.labels ?? {}).filter(
          ([k]) => !k.startsWith('tekton.dev/'),
        ),
      ),
      'tekton.dev/pipeline': pipeline.metadata.name,
      ...(environment ? { [ENVIRONMENT_LABEL]: environment } : {}),
      ...(rerunOf ? { 'kubemate.io/rerun-of': rerunOf.name } : {}),
    };
    const workspaces =
      rerunOf?.workspaces ??
      (pipeline.spec?.workspaces ?? [])
        .filter((w: { optional?: boolean }) => !w.optional)
        .map((w: { name: string }) => ({ name: w.name, emptyDir: {} }));
    const created = (await this.custom(clients).createNamespacedCustomObject({
      ...TEKTON,
      namespace: pipeline.metadata.namespace,
      plural: 'pipelineruns',
      body: {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: {
          generateName: `${pipeline.metadata.name}-run-`,
          namespace: pipeline.metadata.namespace,
          labels,
        },
        spec: {
          pipelineRef: { name: pipeline.metadata.name },
          params: Object.entries(params).map(([name, value]) => ({
            name,
            value,
          })),
          ...(workspaces.length ? { workspaces } : {}),
        },
      },
    })) as TektonObject;
    return toRun(clients.cluster.name, created, pipeline, []);
  }

  private async readRun(
    clients: KubeClients,
    ref: RunRef,
  ): Promise<TektonObject> {
    return (await this.custom(clients).getNamespacedCustomObject({
      ...TEKTON,
      namespace: ref.namespace,
      plural: 'pipelineruns',
      name: ref.name,
    })) as TektonObject;
  }

  /** A new run of the same Pipeline with the same params (and environment). */
  async rerun(
    credentials: UserCredentials,
    ref: RunRef,
  ): Promise<PipelineRunSummary> {
    return this.asUser(
      credentials,
      'pipelines.run.rerun',
      pipelinesRunRerunPermission,
      ref,
      async clients => {
        const run = await this.readRun(clients, ref);
        const name = run.spec?.pipelineRef?.name;
        if (!name)
          throw new InputError(`${ref.name} has no pipelineRef to run again`);
        const pipeline = (await this.custom(clients).getNamespacedCustomObject({
          ...TEKTON,
          namespace: ref.namespace,
          plural: 'pipelines',
          name,
        })) as TektonObject;
        const params = Object.fromEntries(
          (run.spec?.params ?? []).map((p: any) => [p.name, String(p.value)]),
        );
        return this.create(
          clients,
          pipeline,
          params,
          run.metadata.labels?.[ENVIRONMENT_LABEL],
          { name: ref.name, workspaces: run.spec?.workspaces },
        );
      },
      r => `re-ran ${ref.name} as ${r.name}`,
    );
  }

  /** Cancels a running run (Tekton's `spec.status: Cancelled`); 409 when it has finished. */
  async cancel(
    credentials: UserCredentials,
    ref: RunRef,
  ): Promise<PipelineRunSummary> {
    return this.asUser(
      credentials,
      'pipelines.run.cancel',
      pipelinesRunCancelPermission,
      ref,
      async clients => {
        const run = await this.readRun(clients, ref);
        const { status } = statusOf(run);
        if (
          status === 'Succeeded' ||
          status === 'Failed' ||
          status === 'Cancelled'
        ) {
          throw new ConflictError(
            `${ref.name} has already finished (${status})`,
          );
        }
        const patched = (await this.custom(clients).patchNamespacedCustomObject(
          {
            ...TEKTON,
            namespace: ref.namespace,
            plural: 'pipelineruns',
            name: ref.name,
            body: { spec: { status: 'Cancelled' } },
          },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        )) as TektonObject;
        return toRun(ref.cluster, patched, undefined, []);
      },
      () => `cancelled ${ref.name}`,
    );
  }

  /** The log of one step of a TaskRun of the run (through its pod, as the portal). */
  async stepLog(
    credentials: BackstageCredentials,
    ref: RunRef & { taskRun: string; step: string },
  ): Promise<string> {
    await this.authorize(credentials, pipelinesRunReadPermission, {
      cluster: ref.cluster,
      namespace: ref.namespace,
      resource: 'pipelineruns',
      name: ref.name,
    });
    const clients = this.deps.clusters.portalClients(ref.cluster);
    try {
      const tr = (await this.custom(clients).getNamespacedCustomObject({
        ...TEKTON,
        namespace: ref.namespace,
        plural: 'taskruns',
        name: ref.taskRun,
      })) as TektonObject;
      if (tr.metadata.labels?.['tekton.dev/pipelineRun'] !== ref.name) {
        throw new NotFoundError(
          `TaskRun ${ref.taskRun} does not belong to ${ref.name}`,
        );
      }
      const pod = tr.status?.podName;
      if (!pod)
        throw new NotFoundError(`TaskRun ${ref.taskRun} has no pod (yet)`);
      const step = (tr.status?.steps ?? []).find(
        (s: any) => s.name === ref.step,
      );
      const container = step?.container ?? `step-${ref.step}`;
      return await clients.core.readNamespacedPodLog({
        name: pod,
        namespace: ref.namespace,
        container,
      });
    } catch (e) {
      throw toBackstageError(e, ref.cluster);
    }
  }
}
