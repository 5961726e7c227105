import {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, isError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ApplyResponse,
  ClusterOverview,
  ClustersResponse,
  EntityWorkloadsResponse,
  MutationResponse,
  WorkloadManifestResponse,
  clustersOverviewReadPermission,
  clustersPodDeletePermission,
  clustersPodLogsPermission,
  clustersResourcesReadPermission,
  clustersWorkloadApplyPermission,
  clustersWorkloadRestartPermission,
  clustersWorkloadRollbackPermission,
  clustersWorkloadScalePermission,
} from '@kubemate/plugin-clusters-common';
import {
  AuditRecord,
  ClustersObject,
  RESOURCE_TYPE_CLUSTERS_OBJECT,
  clustersObjectRef,
} from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  requirePermission,
} from '@kubemate/plugin-kubemate-node';
import type { Readable } from 'node:stream';
import {
  ClusterKubernetesService,
  EntityScope,
  KIND_OF,
  parseManifest,
} from '../ClusterKubernetes';
import { resolveEntityScope } from './resolveEntityScope';
import {
  ClusterOpsService,
  LogOptions,
  PodTarget,
  UserCredentials,
  WorkloadTarget,
} from './types';

type ClustersObjectPermission = ResourcePermission<
  typeof RESOURCE_TYPE_CLUSTERS_OBJECT
>;

/** What an audit record says was targeted (and what the permission is checked on). */
type AuditTarget = {
  cluster?: string;
  namespace?: string;
  kind?: string;
  /** Plural resource (`deployments`, `pods`) for the permission resource ref. */
  resource?: string;
  name?: string;
};

const podAuditTarget = (target: PodTarget): AuditTarget => ({
  cluster: target.cluster,
  namespace: target.namespace,
  kind: 'Pod',
  resource: 'pods',
  name: target.pod,
});

/**
 * The Backstage side of cluster ops around the Kubernetes work (as catalog's
 * AuthorizedLocationService wraps LocationService): resolves the entity through the catalog
 * with the caller's credentials, checks the `clusters.*` permission on the targeted object,
 * filters reads to the namespaces the caller may read, and audits every mutation — success,
 * failure and denial alike.
 */
export class AuthorizedClusterOpsService implements ClusterOpsService {
  constructor(
    private readonly deps: {
      kubernetes: ClusterKubernetesService;
      catalog: CatalogService;
      permissions: PermissionsService;
      audit: ClusterAuditService;
      logger: LoggerService;
      /** Evaluates a conditional decision on a `clusters-object` (the plugin's own rules). */
      authorizeConditions: (
        decision: PolicyDecision,
        object: ClustersObject,
      ) => boolean;
    },
  ) {}

  private resolveEntity(credentials: UserCredentials, entityRef: string) {
    return resolveEntityScope(this.deps.catalog, credentials, entityRef);
  }

  /** Checks a permission on one Kubernetes object (or namespace) of the entity. */
  private async authorizeObject(
    credentials: UserCredentials,
    permission: ClustersObjectPermission,
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
    permission: ClustersObjectPermission,
    object: ClustersObject,
  ): Promise<EntityScope> {
    const scope = await this.resolveEntity(credentials, entityRef);
    await this.authorizeObject(credentials, permission, object);
    return scope;
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

  /** Runs a mutation with authorization, and audits success and failure (including denials). */
  private async mutate<T>(
    credentials: UserCredentials,
    entityRef: string,
    action: string,
    permission: ClustersObjectPermission,
    target: AuditTarget,
    fn: (scope: EntityScope) => Promise<T>,
    describe: (result: T) => string,
  ): Promise<T> {
    const actor = credentials.principal.userEntityRef;
    try {
      const scope = await this.resolveEntity(credentials, entityRef);
      if (target.namespace) {
        await this.authorizeObject(credentials, permission, {
          cluster: target.cluster ?? '',
          namespace: target.namespace,
          resource: target.resource,
          name: target.name,
        });
      }
      const result = await fn(scope);
      await this.deps.audit.record({
        actor,
        action,
        entityRef: scope.entityRef,
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

  // ---------------------------------------------------------------- reads

  async getEntityWorkloads(
    credentials: UserCredentials,
    entityRef: string,
  ): Promise<EntityWorkloadsResponse> {
    const scope = await this.resolveEntity(credentials, entityRef);
    const mayRead = await this.namespaceReadFilter(credentials);
    const clusters = (
      await this.deps.kubernetes.listEntityWorkloads(scope.selector)
    ).map(c => ({
      ...c,
      namespaces: c.namespaces.filter(ns =>
        mayRead({ cluster: c.cluster, namespace: ns.namespace }),
      ),
    }));
    return {
      entityRef: scope.entityRef,
      labelSelector: scope.selector.labelSelector,
      clusters,
    };
  }

  async getPodLogs(
    credentials: UserCredentials,
    entityRef: string,
    target: PodTarget,
    options: LogOptions,
    signal?: AbortSignal,
  ): Promise<Readable> {
    const { cluster, namespace, pod } = target;
    const scope = await this.authorizeEntity(
      credentials,
      entityRef,
      clustersPodLogsPermission,
      { cluster, namespace, resource: 'pods', name: pod },
    );
    return this.deps.kubernetes.getPodLogs(
      credentials,
      scope,
      target,
      options,
      signal,
    );
  }

  async getWorkloadManifest(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
  ): Promise<WorkloadManifestResponse> {
    const { cluster, namespace, resource, name } = target;
    const scope = await this.authorizeEntity(
      credentials,
      entityRef,
      clustersResourcesReadPermission,
      { cluster, namespace, resource, name },
    );
    return this.deps.kubernetes.getWorkloadManifest(scope, target);
  }

  async listClusters(credentials: UserCredentials): Promise<ClustersResponse> {
    await this.requireOverviewRead(credentials);
    return this.deps.kubernetes.listClusters();
  }

  async getClusterOverview(
    credentials: UserCredentials,
    cluster: string,
  ): Promise<ClusterOverview> {
    await this.requireOverviewRead(credentials);
    return this.deps.kubernetes.getClusterOverview(cluster);
  }

  private async requireOverviewRead(credentials: UserCredentials) {
    await requirePermission(
      this.deps.permissions,
      { credentials, permission: clustersOverviewReadPermission },
      { subject: credentials.principal.userEntityRef },
    );
  }

  async getAudit(
    credentials: UserCredentials,
    entityRef: string,
    limit?: number,
  ): Promise<AuditRecord[]> {
    const scope = await this.resolveEntity(credentials, entityRef);
    const mayRead = await this.namespaceReadFilter(credentials);
    const records = await this.deps.audit.query({
      entityRef: scope.entityRef,
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

  // ---------------------------------------------------------------- mutations

  async scale(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
    replicas: number,
  ): Promise<MutationResponse> {
    return this.mutate(
      credentials,
      entityRef,
      'scale',
      clustersWorkloadScalePermission,
      { ...target, kind: KIND_OF[target.resource] },
      scope => this.deps.kubernetes.scale(credentials, scope, target, replicas),
      r => r.message,
    );
  }

  async restart(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
  ): Promise<MutationResponse> {
    return this.mutate(
      credentials,
      entityRef,
      'restart',
      clustersWorkloadRestartPermission,
      { ...target, kind: KIND_OF[target.resource] },
      scope => this.deps.kubernetes.restart(credentials, scope, target),
      r => r.message,
    );
  }

  async rollback(
    credentials: UserCredentials,
    entityRef: string,
    target: WorkloadTarget,
    revision?: number,
  ): Promise<MutationResponse> {
    return this.mutate(
      credentials,
      entityRef,
      'rollback',
      clustersWorkloadRollbackPermission,
      { ...target, kind: KIND_OF[target.resource] },
      scope =>
        this.deps.kubernetes.rollback(credentials, scope, target, revision),
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
      podAuditTarget(target),
      scope => this.deps.kubernetes.deletePod(credentials, scope, target),
      r => r.message,
    );
  }

  async apply(
    credentials: UserCredentials,
    entityRef: string,
    request: { cluster: string; manifest: string; dryRun: boolean },
  ): Promise<ApplyResponse> {
    const manifest = parseManifest(request.manifest);
    const { objects } = manifest;
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
      scope =>
        this.deps.kubernetes.apply(credentials, scope, {
          cluster: request.cluster,
          manifest,
          dryRun: request.dryRun,
          authorizeNamespace: namespace =>
            this.authorizeObject(credentials, clustersWorkloadApplyPermission, {
              cluster: request.cluster,
              namespace,
            }),
        }),
      r =>
        r.objects
          .map(o => `${o.operation} ${o.kind} ${o.namespace}/${o.name}`)
          .join(', ') + (r.dryRun ? ' (dry run)' : ''),
    );
  }
}
