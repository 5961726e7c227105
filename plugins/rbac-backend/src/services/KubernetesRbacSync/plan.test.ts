/*
 * The planner of the Kubernetes RBAC sync without a cluster: names, labels, rules, the objects a
 * cluster should have, how observed objects compare and the steps (with drift) between them.
 */
import { Role } from '@kubemate/plugin-rbac-common';
import { diffCluster } from './diff';
import {
  HASH_ANNOTATION,
  kubernetesRoleName,
  kubernetesRulesFor,
  serviceAccountName,
} from './naming';
import {
  DesiredObject,
  hashOf,
  keyOf,
  observe,
  ObservedObject,
  PlanOptions,
  planCluster,
  RoleToSync,
} from './plan';

const table = {
  'clusters.workload.scale': [
    {
      apiGroups: ['apps'],
      resources: ['deployments/scale'],
      verbs: ['update', 'patch'],
    },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] },
  ],
  'clusters.pod.logs': [
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  ],
  'clusters.workload.read': [
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['list', 'get'] },
  ],
};

const options: PlanOptions = {
  instance: 'kubemate',
  serviceAccountNamespace: 'kubemate-users',
  identity: {
    userPrefix: 'kubemate:user:',
    groupPrefix: 'kubemate:group:',
    extraGroups: [],
  },
};

const role = (
  name: string,
  scope: Role['scope'],
  permissions: string[],
): Role => ({
  name,
  scope,
  permissions,
  members: [],
  source: 'database',
  editable: true,
});

const toSync = (r: Role, users: string[]): RoleToSync => ({
  role: r,
  users,
  rules: kubernetesRulesFor(r.permissions, table),
});

const operator = toSync(
  role(
    'payments-operator',
    { type: 'namespaces', namespaces: ['payments-*', 'shared'] },
    ['clusters.workload.scale'],
  ),
  ['user:default/alice'],
);
const reader = toSync(role('reader', { type: 'all' }, ['clusters.pod.logs']), [
  'user:default/bob',
  'user:default/alice',
]);
const namespaces = [
  'payments-dev',
  'payments-prod',
  'risk-dev',
  'shared',
  'sharedx',
];

/** What the apiserver would return for a desired object created as planned. */
function asCreated(d: DesiredObject): ObservedObject {
  const body = {
    ...d.body,
    metadata: {
      ...d.body.metadata,
      annotations: {
        ...d.body.metadata.annotations,
        [HASH_ANNOTATION]: hashOf(d.content),
      },
      uid: 'x',
    },
  };
  return observe(d.kind, body);
}

describe('names and rules', () => {
  it('names objects <instance>:<role> and ServiceAccounts after the user', () => {
    expect(kubernetesRoleName('payments-operator')).toBe(
      'kubemate:payments-operator',
    );
    expect(kubernetesRoleName('x', 'kubemate-test')).toBe('kubemate-test:x');
    expect(serviceAccountName('user:default/alice')).toBe('alice');
    expect(serviceAccountName('user:partners/Jane_Doe')).toBe(
      'partners--jane-doe',
    );
    expect(serviceAccountName('user:default/_odd_')).toBe('odd');
  });

  it('merges the rules of permissions per group and verbs, sorted', () => {
    expect(
      kubernetesRulesFor(
        ['clusters.workload.scale', 'clusters.workload.read'],
        table,
      ),
    ).toEqual([
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['get', 'list'],
      },
      {
        apiGroups: ['apps'],
        resources: ['deployments/scale'],
        verbs: ['patch', 'update'],
      },
    ]);
    expect(kubernetesRulesFor(['*'], table)).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['get', 'list'],
      },
      {
        apiGroups: ['apps'],
        resources: ['deployments/scale'],
        verbs: ['patch', 'update'],
      },
    ]);
    expect(kubernetesRulesFor(['catalog.entity.read'], table)).toEqual([]);
  });
});

describe('planCluster', () => {
  it('plans the ServiceAccounts, a Role + RoleBinding per namespace in scope and a ClusterRole + binding for scope all', () => {
    const plan = planCluster([operator, reader], namespaces, options);
    expect(plan.map(keyOf)).toEqual([
      'Namespace//kubemate-users',
      'ServiceAccount/kubemate-users/alice',
      'ServiceAccount/kubemate-users/bob',
      'Role/payments-dev/kubemate:payments-operator',
      'RoleBinding/payments-dev/kubemate:payments-operator',
      'Role/payments-prod/kubemate:payments-operator',
      'RoleBinding/payments-prod/kubemate:payments-operator',
      'Role/shared/kubemate:payments-operator',
      'RoleBinding/shared/kubemate:payments-operator',
      'ClusterRole//kubemate:reader',
      'ClusterRoleBinding//kubemate:reader',
    ]);
    const labels = {
      'app.kubernetes.io/managed-by': 'kubemate-rbac',
      'rbac.kubemate.io/instance': 'kubemate',
    };
    expect(plan[1].body.metadata).toEqual({
      name: 'alice',
      namespace: 'kubemate-users',
      labels,
      annotations: { 'rbac.kubemate.io/user': 'user:default/alice' },
    });
    const binding = plan[4];
    expect(binding.role).toBe('payments-operator');
    expect(binding.body).toEqual({
      metadata: {
        name: 'kubemate:payments-operator',
        namespace: 'payments-dev',
        labels: { ...labels, 'rbac.kubemate.io/role': 'payments-operator' },
      },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'kubemate:payments-operator',
      },
      subjects: [
        {
          kind: 'User',
          apiGroup: 'rbac.authorization.k8s.io',
          name: 'kubemate:user:alice',
        },
        { kind: 'ServiceAccount', name: 'alice', namespace: 'kubemate-users' },
      ],
    });
    expect(plan[9].body.rules).toEqual(reader.rules);
    expect(plan[10].body.roleRef.kind).toBe('ClusterRole');
    expect(plan[10].body.subjects).toHaveLength(4);
  });

  it('plans nothing without users, and names and labels per instance', () => {
    expect(planCluster([], namespaces, options)).toEqual([]);
    const plan = planCluster([reader], [], {
      ...options,
      instance: 'kubemate-test',
    });
    expect(plan.find(d => d.kind === 'ClusterRole')).toMatchObject({
      name: 'kubemate-test:reader',
      body: {
        metadata: { labels: { 'rbac.kubemate.io/instance': 'kubemate-test' } },
      },
    });
  });

  it('reads its own objects back as equal (stable content and hashes)', () => {
    const plan = planCluster([operator, reader], namespaces, options);
    for (const d of plan) {
      expect(asCreated(d).content).toEqual(d.content);
    }
    expect(
      hashOf(planCluster([operator], namespaces, options)[3].content),
    ).toBe(hashOf(planCluster([operator], namespaces, options)[3].content));
  });
});

describe('diffCluster', () => {
  const desired = planCluster([operator], ['payments-dev'], options);
  const applied = diffCluster('dev', desired, [], new Map()).applied;

  it('creates everything on an empty cluster and keeps what is in place', () => {
    const diff = diffCluster('dev', desired, [], new Map());
    expect(
      diff.steps.map(s => [s.op, s.op === 'create' && s.change.change]),
    ).toEqual(desired.map(() => ['create', 'created']));
    expect([...diff.applied.keys()]).toEqual(desired.map(keyOf));
    const again = diffCluster('dev', desired, desired.map(asCreated), applied);
    expect(again.steps.every(s => s.op === 'keep')).toBe(true);
  });

  it('reports a hand-deleted or hand-edited object it had applied as restored, a changed role as updated', () => {
    const observed = desired.map(asCreated);
    const withoutBinding = observed.filter(o => o.kind !== 'RoleBinding');
    const deleted = diffCluster(
      'dev',
      desired,
      withoutBinding,
      applied,
    ).steps.find(s => s.op !== 'keep');
    expect(deleted).toMatchObject({
      op: 'create',
      change: {
        cluster: 'dev',
        kind: 'RoleBinding',
        namespace: 'payments-dev',
        name: 'kubemate:payments-operator',
        role: 'payments-operator',
        change: 'restored',
        cause: 'deleted',
        detail: 'deleted by hand; re-created',
      },
    });

    const edited = observed.map(o =>
      o.kind === 'Role'
        ? observe('Role', {
            ...o.raw,
            rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }],
          })
        : o,
    );
    const restored = diffCluster('dev', desired, edited, applied).steps.filter(
      s => s.op !== 'keep',
    );
    expect(restored).toMatchObject([
      {
        op: 'replace',
        change: {
          kind: 'Role',
          change: 'restored',
          cause: 'edited',
          detail: 'edited by hand; reverted',
        },
      },
    ]);
    // after a restart (nothing applied in memory) the hash annotation still tells it
    expect(
      diffCluster('dev', desired, edited, new Map()).steps.filter(
        s => s.op !== 'keep',
      ),
    ).toMatchObject([{ op: 'replace', change: { change: 'restored' } }]);

    const wider = planCluster(
      [
        toSync(
          {
            ...operator.role,
            permissions: ['clusters.workload.scale', 'clusters.pod.logs'],
          },
          operator.users,
        ),
      ],
      ['payments-dev'],
      options,
    );
    expect(
      diffCluster('dev', wider, observed, applied).steps.filter(
        s => s.op !== 'keep',
      ),
    ).toMatchObject([
      { op: 'replace', change: { kind: 'Role', change: 'updated' } },
    ]);
  });

  it('deletes leftovers bindings first, never a namespace', () => {
    const observed = desired.map(asCreated);
    const diff = diffCluster('dev', [], observed, applied);
    expect(
      diff.steps.map(
        s => s.op === 'delete' && `${s.change.kind} ${s.change.role ?? ''}`,
      ),
    ).toEqual([
      'RoleBinding payments-operator',
      'Role payments-operator',
      'ServiceAccount ',
    ]);
    expect(diff.applied.size).toBe(0);
  });
});
