import { SyncChange, SyncObjectKind } from '@kubemate/plugin-rbac-common';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { ClusterDiff, createBody, replaceMetadata } from './diff';
import { managedSelector } from './naming';
import { DesiredObject, observe, ObservedObject } from './plan';

type ObjectRef = { kind: SyncObjectKind; namespace?: string; name: string };

/**
 * The I/O half of the Kubernetes RBAC sync on one cluster: reads the namespaces and the managed
 * objects (label selector of the instance only) and carries out the steps of a
 * {@link ClusterDiff}.
 */
export class ClusterApplier {
  constructor(
    readonly cluster: string,
    private readonly rbac: RbacAuthorizationV1Api,
    private readonly core: CoreV1Api,
    private readonly options: {
      instance: string;
      serviceAccountNamespace: string;
    },
  ) {}

  /** The cluster's namespaces, without those being deleted. */
  async namespaces(): Promise<string[]> {
    return (await this.core.listNamespace()).items
      .filter(n => n.status?.phase !== 'Terminating')
      .map(n => n.metadata!.name!);
  }

  /** Every object of this instance (by its labels), normalised for comparison. */
  async observe(): Promise<ObservedObject[]> {
    const labelSelector = managedSelector(this.options.instance);
    const namespace = this.options.serviceAccountNamespace;
    const [crs, crbs, rs, rbs, sas, ns] = await Promise.all([
      this.rbac.listClusterRole({ labelSelector }),
      this.rbac.listClusterRoleBinding({ labelSelector }),
      this.rbac.listRoleForAllNamespaces({ labelSelector }),
      this.rbac.listRoleBindingForAllNamespaces({ labelSelector }),
      this.core.listNamespacedServiceAccount({ namespace, labelSelector }),
      this.core.listNamespace({ labelSelector }),
    ]);
    const of = (kind: SyncObjectKind, items: any[]) =>
      items.map(o => observe(kind, o));
    return [
      ...of('ClusterRole', crs.items),
      ...of('ClusterRoleBinding', crbs.items),
      ...of('Role', rs.items),
      ...of('RoleBinding', rbs.items),
      ...of('ServiceAccount', sas.items),
      ...of('Namespace', ns.items),
    ];
  }

  /**
   * Carries out the steps in order and appends each change to `changes` once done. A create that
   * meets an object of the same name without our label (removed by hand) takes it back under
   * management and reports it as restored. Returns the number of objects per role in force.
   */
  async apply(
    diff: ClusterDiff,
    changes: SyncChange[],
  ): Promise<Map<string, number>> {
    const perRole = new Map<string, number>();
    for (const step of diff.steps) {
      if (step.op === 'delete') {
        await this.remove(step.observed);
        changes.push(step.change);
        continue;
      }
      if (step.op === 'create') {
        try {
          await this.create(step.desired);
        } catch (e: any) {
          if (e?.code !== 409) throw e;
          changes.push({
            ...step.change,
            change: 'restored',
            cause: 'unlabelled',
            detail: 'managed-by label removed by hand; re-labelled',
          });
          await this.adopt(step.desired);
          continue;
        }
        changes.push(step.change);
      } else if (step.op === 'replace') {
        await this.replace(step.desired, step.observed);
        changes.push(step.change);
      }
      const role = step.desired.role;
      if (role) perRole.set(role, (perRole.get(role) ?? 0) + 1);
    }
    return perRole;
  }

  private async create(d: DesiredObject): Promise<void> {
    const body = createBody(d);
    const namespace = d.namespace!;
    switch (d.kind) {
      case 'Namespace':
        await this.core.createNamespace({ body });
        return;
      case 'ServiceAccount':
        await this.core.createNamespacedServiceAccount({ namespace, body });
        return;
      case 'ClusterRole':
        await this.rbac.createClusterRole({ body });
        return;
      case 'ClusterRoleBinding':
        await this.rbac.createClusterRoleBinding({ body });
        return;
      case 'Role':
        await this.rbac.createNamespacedRole({ namespace, body });
        return;
      case 'RoleBinding':
        await this.rbac.createNamespacedRoleBinding({ namespace, body });
        return;
      default:
        throw new Error(`unknown kind ${d.kind}`);
    }
  }

  private async remove(o: ObjectRef): Promise<void> {
    const { name } = o;
    const namespace = o.namespace!;
    switch (o.kind) {
      case 'Namespace':
        await this.core.deleteNamespace({ name });
        return;
      case 'ServiceAccount':
        await this.core.deleteNamespacedServiceAccount({ name, namespace });
        return;
      case 'ClusterRole':
        await this.rbac.deleteClusterRole({ name });
        return;
      case 'ClusterRoleBinding':
        await this.rbac.deleteClusterRoleBinding({ name });
        return;
      case 'Role':
        await this.rbac.deleteNamespacedRole({ name, namespace });
        return;
      case 'RoleBinding':
        await this.rbac.deleteNamespacedRoleBinding({ name, namespace });
        return;
      default:
        throw new Error(`unknown kind ${o.kind}`);
    }
  }

  /** Replace (or, for a binding whose immutable roleRef changed, delete and create). */
  private async replace(
    d: DesiredObject,
    actual: { content: unknown; raw: any },
  ): Promise<void> {
    const metadata = replaceMetadata(d, actual);
    const body = { ...d.body, metadata };
    const { name } = d;
    const namespace = d.namespace!;
    switch (d.kind) {
      case 'Namespace':
        await this.core.replaceNamespace({
          name,
          body: { ...actual.raw, metadata },
        });
        return;
      case 'ServiceAccount':
        await this.core.replaceNamespacedServiceAccount({
          name,
          namespace,
          body: { ...actual.raw, metadata },
        });
        return;
      case 'ClusterRole':
        await this.rbac.replaceClusterRole({ name, body });
        return;
      case 'Role':
        await this.rbac.replaceNamespacedRole({ name, namespace, body });
        return;
      case 'ClusterRoleBinding':
      case 'RoleBinding': {
        const a = actual.content as { roleRef: unknown };
        const want = d.content as { roleRef: unknown };
        if (JSON.stringify(a.roleRef) !== JSON.stringify(want.roleRef)) {
          await this.remove(d);
          await this.create(d);
          return;
        }
        if (d.kind === 'RoleBinding') {
          await this.rbac.replaceNamespacedRoleBinding({
            name,
            namespace,
            body,
          });
        } else {
          await this.rbac.replaceClusterRoleBinding({ name, body });
        }
        return;
      }
      default:
        throw new Error(`unknown kind ${d.kind}`);
    }
  }

  /** Takes an existing object of the desired name back under management. */
  private async adopt(d: DesiredObject): Promise<void> {
    const { name } = d;
    const namespace = d.namespace!;
    const read: Record<SyncObjectKind, () => Promise<any>> = {
      Namespace: () => this.core.readNamespace({ name }),
      ServiceAccount: () =>
        this.core.readNamespacedServiceAccount({ name, namespace }),
      ClusterRole: () => this.rbac.readClusterRole({ name }),
      ClusterRoleBinding: () => this.rbac.readClusterRoleBinding({ name }),
      Role: () => this.rbac.readNamespacedRole({ name, namespace }),
      RoleBinding: () =>
        this.rbac.readNamespacedRoleBinding({ name, namespace }),
    };
    const raw = await read[d.kind]();
    await this.replace(d, { content: {}, raw });
  }
}
