import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError, isError } from '@backstage/errors';
import { BasicPermission } from '@backstage/plugin-permission-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  KubernetesIdentity,
  kubernetesStatusOf,
  requirePermission,
  serverSideApply,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import type { KubernetesObject } from '@kubernetes/client-node';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import {
  Change,
  ClustersPermission,
  DNS_LABEL,
  FIELD_MANAGER,
  Provisioner,
  Target,
} from './types';

/**
 * What the kubemate:* actions share: environments → clusters/namespaces from config, the
 * initiating user's permission on every target before anything is written, server-side apply as
 * the provisioner identity (idempotent, dry-run capable), and an audit record per object.
 */
export class DefaultProvisioner implements Provisioner {
  readonly identity: KubernetesIdentity;
  private readonly environments: Map<string, string>;

  constructor(
    private readonly deps: {
      config: Config;
      clusters: ClusterRegistryService;
      permissions: PermissionsService;
      audit: ClusterAuditService;
      logger: LoggerService;
    },
  ) {
    const p = deps.config.getOptionalConfig('kubemate.provisioning');
    this.identity = {
      user: p?.getOptionalString('identity.user') ?? 'kubemate:provisioner',
      groups: p?.getOptionalStringArray('identity.groups') ?? [],
    };
    const envs = p?.getOptionalConfig('environments');
    this.environments = new Map(
      (envs?.keys() ?? []).map(k => [k, envs!.getString(`${k}.cluster`)]),
    );
  }

  /** `<service>-<env>` in each environment's cluster; 400 for an unknown environment or cluster. */
  targets(service: string, environments: string[]): Target[] {
    if (!DNS_LABEL.test(service) || service.length > 40) {
      throw new InputError(
        `service must be a lowercase DNS label of at most 40 characters (got "${service}")`,
      );
    }
    if (!environments.length) {
      throw new InputError('environments: choose at least one environment');
    }
    const known = [...this.environments.keys()];
    return [...new Set(environments)].map(environment => {
      const cluster = this.environments.get(environment);
      if (!cluster) {
        throw new InputError(
          `environments: unknown environment "${environment}" (configured: ${
            known.join(', ') || 'none — set kubemate.provisioning.environments'
          })`,
        );
      }
      try {
        this.deps.clusters.getCluster(cluster);
      } catch {
        throw new InputError(
          `environment ${environment} maps to cluster ${cluster}, which the portal does not know`,
        );
      }
      return { environment, cluster, namespace: `${service}-${environment}` };
    });
  }

  /** The user must have the permission on every target's namespace; nothing is written otherwise. */
  async authorize(
    credentials: BackstageCredentials,
    permission: ClustersPermission,
    targets: Array<{ cluster: string; namespace: string }>,
  ): Promise<void> {
    const refs = targets.map(t =>
      clustersObjectRef({ cluster: t.cluster, namespace: t.namespace }),
    );
    await requirePermission(this.deps.permissions, {
      credentials,
      permission,
      resourceRef: refs,
    });
  }

  async authorizeBasic(
    credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void> {
    await requirePermission(this.deps.permissions, { credentials, permission });
  }

  async record(
    actor: string,
    action: string,
    result: 'success' | 'failure',
    message: string,
    where: Partial<Change> = {},
  ) {
    await this.deps.audit
      .record({
        actor,
        action,
        cluster: where.cluster,
        namespace: where.namespace,
        kind: where.kind,
        name: where.name,
        result,
        message,
      })
      .catch(e =>
        this.deps.logger.error(`Failed to write audit record: ${String(e)}`),
      );
  }

  /** Reads an object as the provisioner identity; undefined when it (or its namespace) does not exist. */
  async read(
    cluster: string,
    ref: KubernetesObject,
  ): Promise<KubernetesObject | undefined> {
    const clients = this.deps.clusters.clientsAs(cluster, this.identity);
    try {
      return await clients.objects.read(ref as any);
    } catch (e) {
      if (kubernetesStatusOf(e)?.code === 404) return undefined;
      throw toBackstageError(e, cluster);
    }
  }

  /**
   * Server-side-applies the objects in the target's cluster as the provisioner identity, in
   * order; each result is audited (a failure too, then rethrown with the apiserver's message).
   */
  async apply(
    ctx: { actor: string; action: string; dryRun: boolean },
    cluster: string,
    objects: KubernetesObject[],
  ): Promise<Change[]> {
    const clients = this.deps.clusters.clientsAs(cluster, this.identity);
    const changes: Change[] = [];
    for (const obj of objects) {
      const where = {
        cluster,
        namespace: obj.metadata?.namespace,
        kind: obj.kind!,
        name: obj.metadata!.name!,
      };
      try {
        const applied = await serverSideApply(clients, obj, {
          fieldManager: FIELD_MANAGER,
          dryRun: ctx.dryRun,
        });
        const change = { ...where, operation: applied.operation };
        changes.push(change);
        if (!ctx.dryRun) {
          await this.record(
            ctx.actor,
            ctx.action,
            'success',
            `${change.operation} ${where.kind} ${
              where.namespace ? `${where.namespace}/` : ''
            }${where.name}`,
            where,
          );
        }
      } catch (e) {
        // a dry run cannot admit objects into a namespace an earlier dry-run step only pretended
        // to create: they would be created with it
        if (ctx.dryRun && isMissingNamespace(e, where.namespace)) {
          changes.push({ ...where, operation: 'created' });
          continue;
        }
        const error = toBackstageError(e, cluster);
        await this.record(
          ctx.actor,
          ctx.action,
          'failure',
          isError(error) ? `${error.name}: ${error.message}` : String(error),
          where,
        );
        throw error;
      }
    }
    return changes;
  }
}

function isMissingNamespace(e: unknown, namespace?: string): boolean {
  const status = kubernetesStatusOf(e);
  return Boolean(
    namespace &&
      status?.code === 404 &&
      status.message.includes(`namespaces "${namespace}" not found`),
  );
}

/** `created 2, configured 0, unchanged 3 (dry run)` for the task log. */
export function summarize(changes: Change[], dryRun: boolean): string {
  const n = (op: Change['operation']) =>
    changes.filter(c => c.operation === op).length;
  return `created ${n('created')}, configured ${n('configured')}, unchanged ${n(
    'unchanged',
  )}${dryRun ? ' (dry run: nothing was stored)' : ''}`;
}
