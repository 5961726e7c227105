import {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  isError,
  NotFoundError,
} from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { RESOURCE_TYPE_CLUSTERS_OBJECT } from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentityService,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import {
  ENVIRONMENT_LABEL,
  PipelineRunSummary,
  pipelinesRunCancelPermission,
  pipelinesRunRerunPermission,
  pipelinesRunStartPermission,
} from '@kubemate/plugin-pipelines-common';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import {
  authorizeObject,
  getEntity,
  listTekton,
  tektonSelector,
} from './entityTekton';
import { statusOf, TEKTON, TektonObject, toRun } from './tekton';
import { RunRef, StartRun, UserCredentials } from './types';

/**
 * Start, re-run and cancel as the signed-in user (Kubernetes impersonation, so Kubernetes RBAC
 * applies too), each checked on its own object and audited, refusals too.
 */
export class RunActions {
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
      await authorizeObject(this.deps.permissions, credentials, permission, {
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

  async start(
    credentials: UserCredentials,
    entityRef: string,
    req: StartRun,
  ): Promise<PipelineRunSummary> {
    const entity = await getEntity(this.deps.catalog, credentials, entityRef);
    const { labelSelector } = tektonSelector(entity);
    return this.asUser(
      credentials,
      'pipelines.run.start',
      pipelinesRunStartPermission,
      { cluster: req.cluster, namespace: req.namespace, entityRef },
      async clients => {
        // the Pipeline must be the entity's (read with the portal identity)
        const portal = this.deps.clusters.portalClients(req.cluster);
        const pipelines = await listTekton(
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
    const created = (await clients.custom.createNamespacedCustomObject({
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
    return (await clients.custom.getNamespacedCustomObject({
      ...TEKTON,
      namespace: ref.namespace,
      plural: 'pipelineruns',
      name: ref.name,
    })) as TektonObject;
  }

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
        const pipeline = (await clients.custom.getNamespacedCustomObject({
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
        const patched = (await clients.custom.patchNamespacedCustomObject(
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
}
