/*
 * The applier against fakes of the Kubernetes API clients: the steps of a diff become creates,
 * replaces and deletes in order; a create that meets an unlabelled object adopts it.
 */
import { SyncChange } from '@kubemate/plugin-rbac-common';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { ClusterApplier } from './ClusterApplier';
import { diffCluster } from './diff';
import { HASH_ANNOTATION, kubernetesRulesFor } from './naming';
import { hashOf, observe, PlanOptions, planCluster } from './plan';

const options: PlanOptions = {
  instance: 'kubemate',
  serviceAccountNamespace: 'kubemate-users',
  identity: {
    userPrefix: 'kubemate:user:',
    groupPrefix: 'kubemate:group:',
    extraGroups: [],
  },
};

function fakeApis() {
  const calls: string[] = [];
  const bodies: Array<{ kind: string; body: any }> = [];
  const record =
    (name: string, result: (arg: any) => any = () => ({})) =>
    async (arg: any) => {
      if (arg?.body) bodies.push({ kind: name, body: arg.body });
      calls.push(
        `${name} ${arg?.namespace ?? ''}/${
          arg?.name ?? arg?.body?.metadata?.name
        }`,
      );
      return result(arg);
    };
  const empty = () => ({ items: [] });
  const rbac = {
    listClusterRole: record('listClusterRole', empty),
    listClusterRoleBinding: record('listClusterRoleBinding', empty),
    listRoleForAllNamespaces: record('listRole', empty),
    listRoleBindingForAllNamespaces: record('listRoleBinding', empty),
    createNamespacedRole: record('createRole'),
    createNamespacedRoleBinding: record('createRoleBinding'),
    replaceNamespacedRole: record('replaceRole'),
    replaceNamespacedRoleBinding: record('replaceRoleBinding'),
    deleteNamespacedRole: record('deleteRole'),
    deleteNamespacedRoleBinding: record('deleteRoleBinding'),
    readNamespacedRoleBinding: record('readRoleBinding', arg => ({
      metadata: {
        name: arg.name,
        namespace: arg.namespace,
        labels: { team: 'x' },
      },
    })),
  };
  const core = {
    listNamespace: record('listNamespace', () => ({
      items: [
        { metadata: { name: 'payments-dev' } },
        {
          metadata: { name: 'payments-old' },
          status: { phase: 'Terminating' },
        },
      ],
    })),
    listNamespacedServiceAccount: record('listServiceAccount', empty),
    createNamespace: record('createNamespace'),
    createNamespacedServiceAccount: record('createServiceAccount'),
  };
  return {
    calls,
    bodies,
    rbac,
    core,
    applier: new ClusterApplier(
      'dev-cluster',
      rbac as unknown as RbacAuthorizationV1Api,
      core as unknown as CoreV1Api,
      options,
    ),
  };
}

const roles = [
  {
    role: {
      name: 'payments-operator',
      scope: { type: 'namespaces' as const, namespaces: ['payments-*'] },
      permissions: ['clusters.pod.logs'],
      members: [],
      source: 'database' as const,
      editable: true,
    },
    users: ['user:default/alice'],
    rules: kubernetesRulesFor(['clusters.pod.logs'], {
      'clusters.pod.logs': [
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ],
    }),
  },
];

describe('ClusterApplier', () => {
  it('reads the namespaces in use and creates what the plan wants, annotated with its hash', async () => {
    const { applier, calls, bodies } = fakeApis();
    const namespaces = await applier.namespaces();
    expect(namespaces).toEqual(['payments-dev']);
    const desired = planCluster(roles, namespaces, options);
    const diff = diffCluster(
      'dev-cluster',
      desired,
      await applier.observe(),
      new Map(),
    );
    const changes: SyncChange[] = [];
    const perRole = await applier.apply(diff, changes);
    expect(calls.filter(c => c.startsWith('create'))).toEqual([
      'createNamespace /kubemate-users',
      'createServiceAccount kubemate-users/alice',
      'createRole payments-dev/kubemate:payments-operator',
      'createRoleBinding payments-dev/kubemate:payments-operator',
    ]);
    expect(changes.map(c => c.change)).toEqual([
      'created',
      'created',
      'created',
      'created',
    ]);
    expect(perRole).toEqual(new Map([['payments-operator', 2]]));
    const role = bodies.find(b => b.kind === 'createRole')!.body;
    expect(role.metadata.annotations[HASH_ANNOTATION]).toBe(
      hashOf(desired.find(d => d.kind === 'Role')!.content),
    );
  });

  it('adopts an object whose label was removed by hand, and deletes leftovers bindings first', async () => {
    const { applier, calls, rbac } = fakeApis();
    // the binding exists without our label: the first create conflicts
    const create = rbac.createNamespacedRoleBinding;
    let conflicts = 1;
    rbac.createNamespacedRoleBinding = async (arg: any) => {
      if (conflicts-- > 0) {
        throw Object.assign(new Error('exists'), { code: 409 });
      }
      return create(arg);
    };
    const desired = planCluster(roles, ['payments-dev'], options);
    const leftover = (kind: 'Role' | 'RoleBinding') =>
      observe(kind, {
        metadata: {
          name: 'kubemate:gone',
          namespace: 'payments-dev',
          labels: { 'rbac.kubemate.io/role': 'gone' },
        },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Role',
          name: 'kubemate:gone',
        },
      });
    const diff = diffCluster(
      'dev-cluster',
      desired,
      [leftover('Role'), leftover('RoleBinding')],
      new Map(),
    );
    const changes: SyncChange[] = [];
    const perRole = await applier.apply(diff, changes);
    expect(
      changes.map(c =>
        `${c.change} ${c.kind} ${c.name} ${c.detail ?? ''}`.trim(),
      ),
    ).toEqual([
      'created Namespace kubemate-users',
      'created ServiceAccount alice',
      'created Role kubemate:payments-operator',
      'restored RoleBinding kubemate:payments-operator managed-by label removed by hand; re-labelled',
      'deleted RoleBinding kubemate:gone',
      'deleted Role kubemate:gone',
    ]);
    expect(calls).toContain(
      'readRoleBinding payments-dev/kubemate:payments-operator',
    );
    // adopting reads it, then replaces it (a binding read without our roleRef is re-created)
    expect(calls.slice(-5)).toEqual([
      'readRoleBinding payments-dev/kubemate:payments-operator',
      'deleteRoleBinding payments-dev/kubemate:payments-operator',
      'createRoleBinding payments-dev/kubemate:payments-operator',
      'deleteRoleBinding payments-dev/kubemate:gone',
      'deleteRole payments-dev/kubemate:gone',
    ]);
    // the adopted binding is not counted
    expect(perRole).toEqual(new Map([['payments-operator', 1]]));
  });

  it('re-creates a binding whose roleRef changed (immutable) and keeps foreign labels on replace', async () => {
    const { applier, calls, rbac } = fakeApis();
    const replaced: any[] = [];
    rbac.replaceNamespacedRole = async (arg: any) => {
      replaced.push(arg.body);
      return {};
    };
    const desired = planCluster(roles, ['payments-dev'], options);
    const observed = desired.map(d =>
      observe(d.kind, {
        ...d.body,
        metadata: {
          ...d.body.metadata,
          labels: { ...d.body.metadata.labels, team: 'x' },
        },
        ...(d.kind === 'RoleBinding'
          ? { roleRef: { ...d.body.roleRef, kind: 'ClusterRole' } }
          : {}),
        ...(d.kind === 'Role' ? { rules: [] } : {}),
      }),
    );
    const changes: SyncChange[] = [];
    await applier.apply(
      diffCluster('dev-cluster', desired, observed, new Map()),
      changes,
    );
    expect(changes.map(c => `${c.change} ${c.kind}`)).toEqual([
      'updated Role',
      'updated RoleBinding',
    ]);
    expect(calls.filter(c => /Role/.test(c))).toEqual([
      'deleteRoleBinding payments-dev/kubemate:payments-operator',
      'createRoleBinding payments-dev/kubemate:payments-operator',
    ]);
    expect(replaced[0].metadata.labels.team).toBe('x');
    expect(replaced[0].metadata.annotations[HASH_ANNOTATION]).toMatch(
      /^[0-9a-f]{16}$/,
    );
  });
});
