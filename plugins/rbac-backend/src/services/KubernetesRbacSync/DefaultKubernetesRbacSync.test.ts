/*
 * The sync's orchestration on fake clusters: per role and cluster states, errors of one cluster,
 * drift repairs audited, recent changes, and concurrent reconcile requests coalesced; its status
 * and what it applied kept in the plugin database (SQLite here), so two replicas agree.
 */
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ClusterRegistryService } from '@kubemate/plugin-kubemate-node';
import { Role, SyncChange } from '@kubemate/plugin-rbac-common';
import { RbacAuditEntry } from '../AuditLog';
import { Membership } from '../Membership';
import { RoleStore } from '../RoleStore';
import {
  ClusterSyncTarget,
  DefaultKubernetesRbacSync,
  SYNC_ACTOR,
} from './DefaultKubernetesRbacSync';
import { DatabaseSyncStatusStore } from './DatabaseSyncStatusStore';
import { ClusterDiff } from './diff';
import { DesiredObject, ObservedObject, observe } from './plan';

const role = (
  name: string,
  permissions: string[],
  members: string[],
): Role => ({
  name,
  scope: { type: 'namespaces', namespaces: ['payments-*'] },
  permissions,
  members,
  source: 'database',
  editable: true,
});

const roles = [
  role(
    'payments-operator',
    ['clusters.workload.scale'],
    ['group:default/team-payments'],
  ),
  role('nobody', ['clusters.workload.scale'], []),
  role('portal-only', ['catalog.entity.read'], ['user:default/bob']),
];

/** A cluster that keeps what was applied, so a second run sees the first one's objects. */
function fakeCluster(name: string, fail?: string) {
  const objects = new Map<string, ObservedObject>();
  let runs = 0;
  const target: ClusterSyncTarget = {
    cluster: name,
    async namespaces() {
      runs++;
      if (fail)
        throw Object.assign(new Error('x'), { body: { message: fail } });
      return ['payments-dev', 'risk-dev'];
    },
    async observe() {
      return [...objects.values()];
    },
    async apply(diff: ClusterDiff, changes: SyncChange[]) {
      const perRole = new Map<string, number>();
      for (const step of diff.steps) {
        if (step.op === 'delete') {
          objects.delete(
            `${step.observed.kind}/${step.observed.namespace}/${step.observed.name}`,
          );
        } else {
          const d: DesiredObject = step.desired;
          objects.set(
            `${d.kind}/${d.namespace}/${d.name}`,
            observe(d.kind, d.body),
          );
          if (d.role) perRole.set(d.role, (perRole.get(d.role) ?? 0) + 1);
        }
        if (step.op !== 'keep') changes.push(step.change);
      }
      return perRole;
    },
  };
  return { target, objects, runs: () => runs };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function newStore() {
  const knex = await databases.init('SQLITE_3');
  return new DatabaseSyncStatusStore({ getClient: async () => knex } as any);
}

type FakeCluster = ReturnType<typeof fakeCluster>;

/** A sync on fake clusters; `shared` gives a second replica the first one's clusters and store. */
async function setup(shared?: {
  dev: FakeCluster;
  prod: FakeCluster;
  store: DatabaseSyncStatusStore;
}) {
  const dev = shared?.dev ?? fakeCluster('dev-cluster');
  const prod =
    shared?.prod ?? fakeCluster('prod-cluster', 'the apiserver said no');
  const store = shared?.store ?? (await newStore());
  const audit: RbacAuditEntry[] = [];
  const sync = new DefaultKubernetesRbacSync({
    clusters: {
      listClusters: () => [
        { name: 'dev-cluster' },
        { name: 'prod-cluster' },
        { name: 'edge' },
      ],
    } as unknown as ClusterRegistryService,
    roles: {
      list: async () => ({ items: roles, conflicts: [] }),
    } as unknown as RoleStore,
    membership: {
      usersOf: async (members: string[]) =>
        members.flatMap(m => {
          if (m === 'group:default/team-payments')
            return ['user:default/alice'];
          return m.startsWith('user:') ? [m] : [];
        }),
    } as unknown as Membership,
    identity: {
      userPrefix: 'kubemate:user:',
      groupPrefix: 'kubemate:group:',
      extraGroups: [],
    },
    audit: {
      record: async e => {
        audit.push(e);
      },
      query: async () => [],
    },
    store,
    logger: mockServices.logger.mock(),
    credentials: new Map([
      ['dev-cluster', 'dev-token'],
      ['prod-cluster', 'prod-token'],
    ]),
    kubernetesRules: {
      'clusters.workload.scale': [
        {
          apiGroups: ['apps'],
          resources: ['deployments/scale'],
          verbs: ['update'],
        },
      ],
    },
    serviceAccountNamespace: 'kubemate-users',
    instance: 'kubemate',
    targetFor: c => (c.name === 'dev-cluster' ? dev.target : prod.target),
  });
  return { sync, dev, prod, audit, store };
}

describe('DefaultKubernetesRbacSync', () => {
  it('syncs every cluster with credentials and reports each role per cluster', async () => {
    const { sync, dev, audit } = await setup();
    expect(sync.configuredClusters).toEqual(['dev-cluster', 'prod-cluster']);
    const run = await sync.reconcile();
    expect(run.errors).toEqual([
      { cluster: 'prod-cluster', error: 'prod-cluster: the apiserver said no' },
    ]);
    expect(
      run.changes.map(
        c => `${c.change} ${c.kind} ${c.namespace ?? ''}/${c.name}`,
      ),
    ).toEqual([
      'created Namespace /kubemate-users',
      'created ServiceAccount kubemate-users/alice',
      'created Role payments-dev/kubemate:payments-operator',
      'created RoleBinding payments-dev/kubemate:payments-operator',
    ]);
    expect(run.drift).toEqual([]);
    expect(dev.objects.size).toBe(4);
    expect((await sync.status()).roles).toEqual([
      {
        role: 'payments-operator',
        clusters: [
          { cluster: 'dev-cluster', state: 'in-sync', objects: 2 },
          {
            cluster: 'prod-cluster',
            state: 'error',
            objects: 0,
            error: 'prod-cluster: the apiserver said no',
          },
          { cluster: 'edge', state: 'not-configured', objects: 0 },
        ],
      },
      {
        role: 'nobody',
        clusters: [
          { cluster: 'dev-cluster', state: 'nothing-to-sync', objects: 0 },
          expect.objectContaining({ state: 'error' }),
          { cluster: 'edge', state: 'not-configured', objects: 0 },
        ],
      },
      expect.objectContaining({ role: 'portal-only' }),
    ]);
    expect((await sync.status()).lastRun).toEqual(run);
    expect(audit).toEqual([]);
  });

  it('restores what was deleted by hand and audits the repair', async () => {
    const { sync, dev, audit } = await setup();
    await sync.reconcile();
    dev.objects.delete('RoleBinding/payments-dev/kubemate:payments-operator');
    const run = await sync.reconcile();
    expect(run.drift).toEqual([
      {
        cluster: 'dev-cluster',
        kind: 'RoleBinding',
        namespace: 'payments-dev',
        name: 'kubemate:payments-operator',
        role: 'payments-operator',
        change: 'restored',
        cause: 'deleted',
        detail: 'deleted by hand; re-created',
      },
    ]);
    expect(audit).toEqual([
      {
        actor: SYNC_ACTOR,
        action: 'sync.drift-restored',
        role: 'payments-operator',
        after: run.drift[0],
        message:
          'dev-cluster: RoleBinding payments-dev/kubemate:payments-operator deleted by hand; re-created',
      },
    ]);
    const status = await sync.status();
    expect(status.recentDrift).toHaveLength(1);
    expect(status.recentChanges.map(c => c.change)).toEqual([
      'restored',
      'created',
      'created',
      'created',
      'created',
    ]);
  });

  it('coalesces concurrent requests into one follow-up run', async () => {
    const { sync, dev } = await setup();
    const runs = await Promise.all([
      sync.reconcile(),
      sync.reconcile(),
      sync.reconcile(),
    ]);
    expect(dev.runs()).toBe(2);
    expect(runs[1]).toBe(runs[2]);
    expect(runs[0]).not.toBe(runs[1]);
  });

  it('shares its status and what it applied with another replica through the database', async () => {
    const first = await setup();
    const second = await setup(first);
    const run = await first.sync.reconcile();
    // the other replica reports the run it did not make
    expect((await second.sync.status()).lastRun).toEqual(run);
    expect((await second.sync.status()).recentChanges).toHaveLength(4);
    // a binding deleted by hand after replica 1's run is drift for replica 2 as well
    first.dev.objects.delete(
      'RoleBinding/payments-dev/kubemate:payments-operator',
    );
    const repaired = await second.sync.reconcile();
    expect(repaired.drift.map(d => `${d.change} ${d.kind}`)).toEqual([
      'restored RoleBinding',
    ]);
    expect(second.audit.map(a => a.action)).toEqual(['sync.drift-restored']);
    expect((await first.sync.status()).recentDrift).toEqual([
      expect.objectContaining({ kind: 'RoleBinding', change: 'restored' }),
    ]);
  });
});
