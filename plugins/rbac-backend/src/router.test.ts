/*
 * The REST API on fakes of its services: request validation from the OpenAPI spec (one 400
 * shape), the role rules of rbac-common, permission checks, audit records and sync triggers.
 */
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { ConflictError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { testPermissions } from '@kubemate/dev-stack';
import { Role, RoleSpec } from '@kubemate/plugin-rbac-common';
import express from 'express';
import request from 'supertest';
import { createRouter } from './router';
import { RbacAuditEntry } from './services/AuditLog';
import { DecisionService } from './services/DecisionService';
import { KubernetesRbacSync } from './services/KubernetesRbacSync';
import { RoleStore } from './services/RoleStore';

const ADMIN = 'user:default/admin';
/** May edit roles but not their members. */
const EDITOR = 'user:default/editor';
const MALLORY = 'user:default/mallory';

function fakeRoles(): RoleStore {
  const roles = new Map<string, Role>();
  roles.set('declared', {
    name: 'declared',
    scope: { type: 'all' },
    permissions: ['*'],
    members: [],
    source: 'file',
    location: 'rbac-roles.yaml',
    editable: false,
  });
  const get = async (name: string) => {
    const role = roles.get(name);
    if (!role) throw new NotFoundError(`Role ${name} does not exist`);
    return role;
  };
  const editable = async (name: string) => {
    const role = await get(name);
    if (!role.editable) throw new ConflictError(`Role ${name} is read-only`);
    return role;
  };
  return {
    fileErrors: () => [],
    list: async () => ({ items: [...roles.values()], conflicts: [] }),
    get,
    async create(spec, actor) {
      if (roles.has(spec.name)) throw new ConflictError('exists');
      const role: Role = {
        ...spec,
        source: 'database',
        editable: true,
        createdBy: actor,
      };
      roles.set(spec.name, role);
      return role;
    },
    async update(name, change) {
      const before = await editable(name);
      const after = { ...before, ...change(before), name };
      roles.set(name, after);
      return { before, after };
    },
    async delete(name) {
      const before = await editable(name);
      roles.delete(name);
      return before;
    },
  };
}

const spec: RoleSpec = {
  name: 'payments-operator',
  scope: { type: 'namespaces', namespaces: ['payments-*'] },
  permissions: ['clusters.workload.scale'],
  members: ['user:default/alice'],
};

async function setup(options: { sync?: KubernetesRbacSync } = {}) {
  const audit: RbacAuditEntry[] = [];
  const onChange = jest.fn();
  const decisions: jest.Mocked<DecisionService> = {
    check: jest.fn(async q => ({
      user: q.user,
      permission: q.permission,
      result: 'DENY' as const,
      grantingRoles: [],
      reason: 'fake',
    })),
    whatCan: jest.fn(),
    whoCan: jest.fn(),
  };
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    auth: mockServices.auth(),
    permissions: mockServices.permissions.mock(
      testPermissions((user, req) => {
        if (user === ADMIN || !user) return { result: AuthorizeResult.ALLOW };
        if (user === EDITOR && req.permission.name !== 'rbac.member.update') {
          return { result: AuthorizeResult.ALLOW };
        }
        return { result: AuthorizeResult.DENY };
      }),
    ),
    roles: fakeRoles(),
    catalogue: {
      list: async () => ({
        items: ['clusters.workload.scale', 'clusters.pod.logs'].map(name => ({
          name,
          pluginId: 'clusters',
          scoping: 'namespace' as const,
          kubernetes: [],
        })),
        unavailable: [],
      }),
      get: async () => undefined,
    },
    decisions,
    audit: {
      record: async e => {
        audit.push(e);
      },
      query: async q => [
        { id: 1, actor: ADMIN, action: String(q?.limit), createdAt: '' },
      ],
    },
    sync: options.sync,
    onChange,
  });
  const app = express().use(router).use(mockErrorHandler());
  const as = (user: string) => ({
    get: (path: string) =>
      request(app)
        .get(path)
        .set('authorization', mockCredentials.user.header(user)),
    post: (path: string, body?: unknown) =>
      request(app)
        .post(path)
        .set('authorization', mockCredentials.user.header(user))
        .send(body as object),
    put: (path: string, body: unknown) =>
      request(app)
        .put(path)
        .set('authorization', mockCredentials.user.header(user))
        .send(body as object),
    delete: (path: string) =>
      request(app)
        .delete(path)
        .set('authorization', mockCredentials.user.header(user)),
  });
  return { as, audit, onChange, decisions, app };
}

const errorOf = (res: request.Response) => [
  res.status,
  res.body.error?.message,
];

describe('rbac router', () => {
  it('validates requests against the spec: one 400 shape naming the field', async () => {
    const { as } = await setup();
    const admin = as(ADMIN);
    expect(errorOf(await admin.get('/audit?limit=many'))).toEqual([
      400,
      'request/query/limit must be integer',
    ]);
    expect(errorOf(await admin.get('/audit?limit=0'))).toEqual([
      400,
      'request/query/limit must be >= 1',
    ]);
    expect(errorOf(await admin.get('/check?user=alice'))).toEqual([
      400,
      "request/query must have required property 'permission'",
    ]);
    expect(errorOf(await admin.get('/who-can?permission=x&extra=1'))).toEqual([
      400,
      "Unknown query parameter 'extra'",
    ]);
    expect(
      errorOf(await admin.post('/roles', ['not', 'an', 'object'])),
    ).toEqual([400, 'request/body must be object']);
    expect(
      errorOf(await admin.post('/roles', { ...spec, scope: { type: 'some' } })),
    ).toEqual([
      400,
      'request/body/scope/type must be equal to one of the allowed values: all, namespaces',
    ]);
    expect(errorOf(await admin.get(`/roles/${'x'.repeat(64)}`))).toEqual([
      400,
      'request/params/name must NOT have more than 63 characters',
    ]);
  });

  it('keeps the role rules of rbac-common and the permission catalogue', async () => {
    const { as, audit } = await setup();
    const admin = as(ADMIN);
    expect(
      errorOf(await admin.post('/roles', { ...spec, name: 'Not A DNS Label' })),
    ).toEqual([
      400,
      expect.stringContaining(
        'Invalid role: name: must be a lowercase DNS label',
      ),
    ]);
    expect(
      errorOf(
        await admin.post('/roles', {
          ...spec,
          permissions: ['clusters.workload.teleport'],
        }),
      ),
    ).toEqual([
      400,
      'Invalid role: permissions: unknown permission(s) clusters.workload.teleport',
    ]);
    expect(
      errorOf(
        await admin.post('/roles', {
          ...spec,
          scope: { type: 'namespaces', namespaces: [] },
        }),
      ),
    ).toEqual([
      400,
      expect.stringContaining(
        'scope.namespaces: must list at least one namespace',
      ),
    ]);
    expect(
      errorOf(await admin.post('/roles', { ...spec, members: ['alice'] })),
    ).toEqual([
      400,
      expect.stringContaining('members.0: must be a user or group ref'),
    ]);
    expect(audit).toEqual([]);
  });

  it('creates, updates, binds and deletes roles with their permissions, audited, the sync triggered', async () => {
    const { as, audit, onChange } = await setup();
    expect((await as(MALLORY).get('/roles')).status).toBe(403);
    expect((await as(MALLORY).post('/roles', spec)).status).toBe(403);

    const created = await as(ADMIN).post('/roles', {
      ...spec,
      members: ['user:Alice'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      members: ['user:default/alice'],
      createdBy: ADMIN,
    });
    expect((await as(ADMIN).get('/roles/payments-operator')).body.name).toBe(
      'payments-operator',
    );

    // an editor may change the permissions, not the members
    const { name: _name, ...withoutName } = spec;
    const wider = {
      ...withoutName,
      permissions: [...spec.permissions, 'clusters.pod.logs'],
    };
    expect(
      (await as(EDITOR).put('/roles/payments-operator', wider)).status,
    ).toBe(200);
    expect(
      errorOf(
        await as(EDITOR).put('/roles/payments-operator', {
          ...wider,
          members: ['user:default/bob'],
        }),
      ),
    ).toEqual([403, 'You are not allowed rbac.member.update']);
    expect(
      errorOf(
        await as(ADMIN).put('/roles/payments-operator', {
          ...wider,
          name: 'other',
        }),
      ),
    ).toEqual([
      400,
      'Invalid role: name: cannot rename payments-operator to other',
    ]);

    const bound = await as(ADMIN).put('/roles/payments-operator/members', {
      members: ['group:team-payments'],
    });
    expect(bound.body.members).toEqual(['group:default/team-payments']);
    expect(
      (await as(ADMIN).put('/roles/declared/members', { members: [] })).status,
    ).toBe(409);
    expect((await as(ADMIN).delete('/roles/payments-operator')).status).toBe(
      204,
    );
    expect((await as(ADMIN).delete('/roles/payments-operator')).status).toBe(
      404,
    );

    expect(audit.map(a => [a.actor, a.action, a.role])).toEqual([
      [ADMIN, 'role.create', 'payments-operator'],
      [EDITOR, 'role.update', 'payments-operator'],
      [ADMIN, 'role.members.update', 'payments-operator'],
      [ADMIN, 'role.delete', 'payments-operator'],
    ]);
    expect(audit[1]).toMatchObject({
      before: { permissions: ['clusters.workload.scale'] },
      after: { permissions: ['clusters.workload.scale', 'clusters.pod.logs'] },
    });
    expect(audit[2]).toMatchObject({
      before: { members: ['user:default/alice'] },
      after: { members: ['group:default/team-payments'] },
    });
    expect(onChange).toHaveBeenCalledTimes(4);
  });

  it('hands decisions and audit queries their typed query', async () => {
    const { as, decisions } = await setup();
    const res = await as(ADMIN).get(
      '/check?user=alice&permission=clusters.workload.scale&resourceRef=dev%2Fpayments-dev',
    );
    expect(res.body.reason).toBe('fake');
    expect(decisions.check).toHaveBeenCalledWith({
      user: 'alice',
      permission: 'clusters.workload.scale',
      resourceRef: 'dev/payments-dev',
    });
    // refs may come unencoded (curl, scripts): ':' and '/' are allowed in the query
    await as(ADMIN).get(
      '/check?user=user:default/alice&permission=clusters.workload.scale&resourceRef=dev/payments-dev/deployments/api',
    );
    expect(decisions.check).toHaveBeenLastCalledWith({
      user: 'user:default/alice',
      permission: 'clusters.workload.scale',
      resourceRef: 'dev/payments-dev/deployments/api',
    });
    expect(
      (await as(MALLORY).get('/check?user=alice&permission=x')).status,
    ).toBe(403);
    expect((await as(ADMIN).get('/audit?limit=5')).body.items[0].action).toBe(
      '5',
    );
  });

  it('reports and runs the Kubernetes sync, audited', async () => {
    const disabled = await setup();
    expect((await disabled.as(ADMIN).get('/sync')).body).toEqual({
      enabled: false,
      clusters: [],
      roles: [],
      recentChanges: [],
      recentDrift: [],
      fileErrors: [],
    });
    expect(errorOf(await disabled.as(ADMIN).post('/sync'))).toEqual([
      400,
      'The Kubernetes sync is disabled (kubemate.rbac.kubernetes)',
    ]);

    const sync: KubernetesRbacSync = {
      configuredClusters: ['dev-cluster'],
      status: async () => ({ roles: [], recentChanges: [], recentDrift: [] }),
      reconcile: jest.fn(async () => ({
        startedAt: '',
        finishedAt: '',
        changes: [],
        drift: [],
        errors: [],
      })),
    };
    const enabled = await setup({ sync });
    expect((await enabled.as(MALLORY).post('/sync')).status).toBe(403);
    const res = await enabled.as(ADMIN).post('/sync');
    expect(res.body).toMatchObject({
      enabled: true,
      clusters: ['dev-cluster'],
    });
    expect(enabled.audit).toEqual([
      {
        actor: ADMIN,
        action: 'sync.run',
        after: { changes: 0, drift: 0, errors: 0 },
        message: '0 change(s), 0 drift repair(s), 0 error(s)',
      },
    ]);
  });
});
