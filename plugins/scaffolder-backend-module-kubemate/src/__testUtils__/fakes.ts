import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import type {
  BasicPermission,
  Permission,
} from '@backstage/plugin-permission-common';
import type { Role, RoleSpec } from '@kubemate/plugin-rbac-common';
import type { KubernetesObject } from '@kubernetes/client-node';
import type {
  Change,
  ClustersPermission,
  Provisioner,
  Target,
} from '../services/Provisioner';
import type {
  GitPublisher,
  PublishOptions,
  PublishResult,
} from '../services/GitPublisher';
import { RBAC_CLIENT_SUBJECT, RbacClient } from '../services/RbacClient';

/*
 * In-memory fakes of the services the kubemate:* actions call, through their interfaces: the
 * actions' unit tests run without a cluster, an RBAC plugin or a Git host (the real ones are
 * exercised by tekton.integration.test.ts and packages/backend's scaffolder.integration.test.ts).
 */

const keyOf = (cluster: string, o: KubernetesObject) =>
  `${cluster}/${o.metadata?.namespace ?? ''}/${o.kind}/${o.metadata?.name}`;

/** An audit record as the fakes keep it. */
export interface FakeAuditRecord {
  actor: string;
  action: string;
  result: 'success' | 'failure';
  message: string;
  where: Partial<Change>;
}

/**
 * A Provisioner over an in-memory object store: environments map to clusters, a permission in
 * `denied` is refused (NotAllowedError, as requirePermission throws it), apply reports created /
 * configured / unchanged like server-side apply and stores nothing in a dry run.
 */
export class FakeProvisioner implements Provisioner {
  readonly identity = { user: 'kubemate:provisioner', groups: [] };
  /** Objects by `cluster/namespace/kind/name`. */
  readonly objects = new Map<string, KubernetesObject>();
  readonly audit: FakeAuditRecord[] = [];
  readonly authorized: Array<{ permission: string; refs: string[] }> = [];
  /** Permission names the user does not have. */
  denied = new Set<string>();
  /** Set to make the next apply fail (after the permission check), as an apiserver error would. */
  failApply?: Error;

  constructor(
    private readonly environments: Record<string, string> = {
      dev: 'dev-cluster',
      prod: 'prod-cluster',
    },
  ) {}

  targets(service: string, environments: string[]): Target[] {
    return [...new Set(environments)].map(environment => {
      const cluster = this.environments[environment];
      if (!cluster) {
        throw new InputError(
          `environments: unknown environment "${environment}"`,
        );
      }
      return { environment, cluster, namespace: `${service}-${environment}` };
    });
  }

  private check(permission: Permission, refs: string[]) {
    this.authorized.push({ permission: permission.name, refs });
    if (this.denied.has(permission.name)) {
      throw new NotAllowedError(
        `You are not allowed to ${permission.name} on ${refs.join(', ')}`,
      );
    }
  }

  async authorize(
    _credentials: BackstageCredentials,
    permission: ClustersPermission,
    targets: Array<{ cluster: string; namespace: string }>,
  ): Promise<void> {
    this.check(
      permission,
      targets.map(t => `${t.cluster}/${t.namespace}`),
    );
  }

  async authorizeBasic(
    _credentials: BackstageCredentials,
    permission: BasicPermission,
  ): Promise<void> {
    this.check(permission, []);
  }

  async record(
    actor: string,
    action: string,
    result: 'success' | 'failure',
    message: string,
    where: Partial<Change> = {},
  ): Promise<void> {
    this.audit.push({ actor, action, result, message, where });
  }

  async read(
    cluster: string,
    ref: KubernetesObject,
  ): Promise<KubernetesObject | undefined> {
    return this.objects.get(keyOf(cluster, ref));
  }

  async apply(
    ctx: { actor: string; action: string; dryRun: boolean },
    cluster: string,
    objects: KubernetesObject[],
  ): Promise<Change[]> {
    if (this.failApply) throw this.failApply;
    return objects.map(obj => {
      const key = keyOf(cluster, obj);
      const before = this.objects.get(key);
      let operation: Change['operation'] = 'created';
      if (before) {
        operation =
          JSON.stringify(before) === JSON.stringify(obj)
            ? 'unchanged'
            : 'configured';
      }
      const change: Change = {
        cluster,
        namespace: obj.metadata?.namespace,
        kind: obj.kind!,
        name: obj.metadata!.name!,
        operation,
      };
      if (!ctx.dryRun) {
        this.objects.set(key, obj);
        this.audit.push({
          actor: ctx.actor,
          action: ctx.action,
          result: 'success',
          message: `${operation} ${change.kind} ${change.name}`,
          where: change,
        });
      }
      return change;
    });
  }
}

/** The RBAC plugin's roles in memory; roles created through it are the scaffolder's. */
export class FakeRbacClient implements RbacClient {
  readonly roles = new Map<string, Role>();
  readonly writes: Array<{ op: 'create' | 'update'; spec: RoleSpec }> = [];

  async getRole(name: string): Promise<Role | undefined> {
    return this.roles.get(name);
  }
  async createRole(spec: RoleSpec): Promise<Role> {
    this.writes.push({ op: 'create', spec });
    const role: Role = {
      ...spec,
      source: 'database',
      editable: true,
      createdBy: RBAC_CLIENT_SUBJECT,
    };
    this.roles.set(spec.name, role);
    return role;
  }
  async updateRole(spec: RoleSpec): Promise<Role> {
    this.writes.push({ op: 'update', spec });
    const role: Role = { ...this.roles.get(spec.name)!, ...spec };
    this.roles.set(spec.name, role);
    return role;
  }
}

/** A Git host in memory: repositories by name with the last published content, and webhooks. */
export class FakeGitPublisher implements GitPublisher {
  readonly published: PublishOptions[] = [];
  readonly hooks = new Map<string, { secret: string; events: string[] }>();
  /** Whether the next publish pushes something (false: the branch already had this content). */
  nextChanged = true;

  constructor(private readonly baseUrl = 'http://git.local') {}

  urls(repo: string, branch: string) {
    return {
      remoteUrl: `${this.baseUrl}/git/${repo}.git`,
      repoContentsUrl: `${this.baseUrl}/raw/${repo}/${branch}`,
    };
  }

  async ensureWebhook(
    repo: string,
    hook: { url: string; secret: string; events: string[] },
  ): Promise<'created' | 'configured' | 'unchanged'> {
    const key = `${repo} ${hook.url}`;
    const before = this.hooks.get(key);
    this.hooks.set(key, { secret: hook.secret, events: hook.events });
    if (!before) return 'created';
    return before.secret === hook.secret &&
      before.events.join() === hook.events.join()
      ? 'unchanged'
      : 'configured';
  }

  async publish(options: PublishOptions): Promise<PublishResult> {
    this.published.push(options);
    return {
      ...this.urls(options.repo, options.branch),
      commitHash: 'c0ffee1',
      changed: this.nextChanged,
    };
  }
}
