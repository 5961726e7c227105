/*
 * The role model and the decision model on a real SQLite database and real role files: sources
 * and their precedence, broken files, nested groups, and the decision for each kind of permission.
 * The catalog is the in-memory catalog of @backstage/plugin-catalog-node/testUtils.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { Role } from '@kubemate/plugin-rbac-common';
import { DefaultMembership } from '../Membership';
import { DefaultRoleStore } from '../RoleStore';
import { DefaultRbacEngine } from './DefaultRbacEngine';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const scale = createPermission({
  name: 'clusters.workload.scale',
  attributes: { action: 'update' },
  resourceType: 'clusters-object',
});
const entityRefresh = createPermission({
  name: 'catalog.entity.refresh',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
const templateStep = createPermission({
  name: 'scaffolder.template.step.read',
  attributes: { action: 'read' },
  resourceType: 'scaffolder-template',
});
const roleCreate = createPermission({
  name: 'rbac.role.create',
  attributes: { action: 'create' },
});

const collectionQuery = createPermission({
  name: 'rag.query.run',
  attributes: { action: 'read' },
  resourceType: 'rag-collection',
});

const relation = (type: string, targetRef: string) => ({ type, targetRef });
const group = (name: string, parent?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace: 'default' },
  spec: { type: 'team', children: [] },
  relations: parent ? [relation('childOf', `group:default/${parent}`)] : [],
});
const user = (name: string, ...groups: string[]): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name, namespace: 'default' },
  spec: {},
  relations: groups.map(g => relation('memberOf', `group:default/${g}`)),
});

// engineering > payments > payments-oncall
const entities = [
  group('engineering'),
  group('payments', 'engineering'),
  group('payments-oncall', 'payments'),
  user('alice', 'payments-oncall'),
  user('bob'),
];

const bootstrap: Role = {
  name: 'bootstrap-admin',
  scope: { type: 'all' },
  permissions: ['*'],
  members: ['group:default/platform-admins'],
  source: 'config',
  location: 'kubemate.rbac.admins',
  editable: false,
};

function roleFile(content: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'rbac-roles-'));
  const path = join(dir, 'roles.yaml');
  writeFileSync(path, content);
  return path;
}

async function setup(files: string[]) {
  const knex = await databases.init('SQLITE_3');
  const store = new DefaultRoleStore(
    mockServices.database({ knex }),
    mockServices.logger.mock(),
    bootstrap,
    files,
    0, // no cache: every list() re-reads
  );
  const membership = new DefaultMembership(
    catalogServiceMock({ entities }),
    mockServices.auth(),
    0,
  );
  return {
    store,
    engine: new DefaultRbacEngine(
      store,
      membership,
      new Map([['rag-collection', 'rag']]),
    ),
  };
}

const alice = {
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice', 'group:default/payments-oncall'],
};
const bob = {
  userEntityRef: 'user:default/bob',
  ownershipEntityRefs: ['user:default/bob'],
};

describe('RoleStore', () => {
  it('merges config, file and database roles; declared ones win and are read-only', async () => {
    const file = roleFile(`roles:
  - name: payments-developer
    scope: { type: namespaces, namespaces: [payments-*] }
    permissions: [clusters.workload.scale]
    members: [group:default/payments]
`);
    const { store } = await setup([file]);
    await store.create(
      {
        name: 'release-managers',
        scope: { type: 'all' },
        permissions: ['clusters.workload.rollback'],
        members: ['user:default/bob'],
      },
      'user:default/admin',
    );
    const { items, conflicts } = await store.list();
    expect(items.map(r => [r.name, r.source, r.editable])).toEqual([
      ['bootstrap-admin', 'config', false],
      ['payments-developer', 'file', false],
      ['release-managers', 'database', true],
    ]);
    expect(conflicts).toEqual([]);
    expect(items[2]).toMatchObject({ createdBy: 'user:default/admin' });

    await expect(
      store.create({ ...items[1], name: 'payments-developer' }, 'x'),
    ).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(
      store.update('payments-developer', r => ({ ...r, members: [] }), 'x'),
    ).rejects.toThrow(/declared in .*roles.yaml and is read-only here/);
    await expect(store.delete('bootstrap-admin')).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  it('reports a database role hidden by a role file that later declares the same name', async () => {
    const file = roleFile('roles: []\n');
    const { store } = await setup([file]);
    await store.create(
      {
        name: 'ops',
        scope: { type: 'all' },
        permissions: ['*'],
        members: ['user:default/bob'],
      },
      'user:default/admin',
    );
    writeFileSync(
      file,
      `roles:
  - name: ops
    scope: { type: all }
    permissions: [catalog.entity.read]
    members: [user:default/alice]
`,
    );
    const { items, conflicts } = await store.list();
    expect(items.find(r => r.name === 'ops')).toMatchObject({
      source: 'file',
      permissions: ['catalog.entity.read'],
    });
    expect(conflicts).toEqual([
      expect.objectContaining({ name: 'ops', winner: 'file' }),
    ]);
  });

  it('keeps the last valid version of a role file that stops validating, and says why', async () => {
    const file = roleFile(`roles:
  - name: viewers
    scope: { type: all }
    permissions: [catalog.entity.read]
    members: [group:default/engineering]
`);
    const { store } = await setup([file]);
    expect((await store.list()).items.map(r => r.name)).toContain('viewers');
    // a later edit breaks it: wrong name and an invalid namespace pattern
    await new Promise(r => setTimeout(r, 20)); // a new mtime
    writeFileSync(
      file,
      `roles:
  - name: Viewers
    scope: { type: namespaces, namespaces: ['*payments'] }
    permissions: [catalog.entity.read]
    members: []
`,
    );
    const { items } = await store.list();
    expect(items.find(r => r.name === 'viewers')).toBeDefined();
    const [error] = store.fileErrors();
    expect(error.path).toBe(file);
    expect(error.error).toMatch(/must be a lowercase DNS label/);
    expect(error.error).toMatch(/prefix pattern like payments-\*/);
  });
});

describe('RbacEngine', () => {
  async function engineWith(roles: string) {
    const { engine } = await setup([roleFile(roles)]);
    return engine;
  }

  it('denies by default', async () => {
    const engine = await engineWith('roles: []\n');
    for (const p of [scale, entityRefresh, roleCreate]) {
      const ev = await engine.evaluate(bob, p);
      expect(ev.decision).toEqual({ result: AuthorizeResult.DENY });
      expect(ev.granting).toEqual([]);
    }
  });

  it('resolves nested groups: a role on a grandparent group reaches its members', async () => {
    const engine = await engineWith(`roles:
  - name: engineers
    scope: { type: all }
    permissions: [clusters.workload.scale]
    members: [group:default/engineering]
`);
    const ev = await engine.evaluate(alice, scale);
    expect(ev.decision).toEqual({ result: AuthorizeResult.ALLOW });
    expect(ev.groups).toEqual([
      'group:default/engineering',
      'group:default/payments',
      'group:default/payments-oncall',
    ]);
    expect((await engine.evaluate(bob, scale)).decision.result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('narrows namespace-scoped roles: namespaces for Kubernetes objects, ownership for entities, as is for basic permissions, never for other resource types', async () => {
    const engine = await engineWith(`roles:
  - name: payments-dev
    scope: { type: namespaces, namespaces: [payments-*] }
    permissions: ['*']
    members: [group:default/payments]
  - name: shared-dev
    scope: { type: namespaces, namespaces: [shared, audit-*] }
    permissions: [clusters.workload.scale]
    members: [user:default/alice]
`);
    expect((await engine.evaluate(alice, scale)).decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'clusters',
      resourceType: 'clusters-object',
      conditions: {
        rule: 'IS_IN_NAMESPACE',
        resourceType: 'clusters-object',
        params: { namespaces: ['audit-*', 'payments-*', 'shared'] },
      },
    });
    expect((await engine.evaluate(alice, entityRefresh)).decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims: alice.ownershipEntityRefs },
      },
    });
    expect((await engine.evaluate(alice, roleCreate)).decision).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect((await engine.evaluate(alice, templateStep)).decision).toEqual({
      result: AuthorizeResult.DENY,
    });
    // a team-owned resource type: ownership by the user or any of its groups, nested ones too
    expect((await engine.evaluate(alice, collectionQuery)).decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'rag',
      resourceType: 'rag-collection',
      conditions: {
        rule: 'IS_OWNED_BY_TEAM',
        resourceType: 'rag-collection',
        params: {
          claims: [
            'user:default/alice',
            'group:default/engineering',
            'group:default/payments',
            'group:default/payments-oncall',
          ],
        },
      },
    });
  });

  it('lets an all-namespace role win over a namespace-scoped one', async () => {
    const engine = await engineWith(`roles:
  - name: narrow
    scope: { type: namespaces, namespaces: [payments-dev] }
    permissions: [clusters.workload.scale]
    members: [user:default/alice]
  - name: wide
    scope: { type: all }
    permissions: [clusters.workload.scale]
    members: [group:default/payments]
`);
    const ev = await engine.evaluate(alice, scale);
    expect(ev.decision).toEqual({ result: AuthorizeResult.ALLOW });
    expect(ev.granting.map(r => r.name).sort()).toEqual(['narrow', 'wide']);
  });
});
