/*
 * Decision explanations against a fake engine and catalogue: the policy's decision, resolved for
 * a resource the way its plugin would, and the reason given.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionInfo, Role } from '@kubemate/plugin-rbac-common';
import { Membership } from '../Membership';
import { PermissionCatalogue } from '../PermissionCatalogue';
import { Evaluation, RbacEngine, RbacUser } from '../RbacEngine';
import { RoleStore } from '../RoleStore';
import { DefaultDecisionService, userRefOf } from './DefaultDecisionService';

const info = (
  name: string,
  resourceType?: string,
  scoping: PermissionInfo['scoping'] = 'none',
): PermissionInfo => ({
  name,
  pluginId: name.split('.')[0],
  action: 'read',
  resourceType,
  scoping,
  kubernetes: [],
});

const permissions = [
  info('catalog.entity.refresh', 'catalog-entity', 'ownership'),
  info('clusters.workload.scale', 'clusters-object', 'namespace'),
  info('rbac.role.read'),
];

const catalogue: PermissionCatalogue = {
  list: async () => ({ items: permissions, unavailable: [] }),
  get: async name => permissions.find(p => p.name === name),
};

const role = (name: string, scope: Role['scope']): Role => ({
  name,
  scope,
  permissions: [],
  members: [],
  source: 'database',
  editable: true,
});
const operator = role('payments-operator', {
  type: 'namespaces',
  namespaces: ['payments-*'],
});
const admin = role('admin', { type: 'all' });

const membership: Membership = {
  groupsOf: async () => [],
  claimsOf: async user => [user, 'group:default/team-payments'],
  users: async () => [
    'user:default/admin',
    'user:default/alice',
    'user:default/bob',
  ],
  usersOf: async () => [],
};

/** alice: payments-operator (payments-*); admin: everything; bob: nothing. */
const rolesOf: Record<string, Role[]> = {
  'user:default/alice': [operator],
  'user:default/admin': [admin],
};
const engine: RbacEngine = {
  roles: {} as RoleStore,
  membership,
  evaluate: jest.fn(
    async (user: RbacUser, permission: Permission): Promise<Evaluation> => {
      const memberOf = rolesOf[user.userEntityRef] ?? [];
      const base = {
        granting: memberOf,
        memberOf,
        groups: ['group:default/team-payments'],
      };
      if (!memberOf.length)
        return { ...base, decision: { result: AuthorizeResult.DENY } };
      if (
        memberOf.some(r => r.scope.type === 'all') ||
        permission.type === 'basic'
      ) {
        return { ...base, decision: { result: AuthorizeResult.ALLOW } };
      }
      const decision: PolicyDecision =
        permission.name === 'catalog.entity.refresh'
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: user.ownershipEntityRefs },
              },
            }
          : {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'clusters',
              resourceType: 'clusters-object',
              conditions: {
                rule: 'IS_IN_NAMESPACE',
                resourceType: 'clusters-object',
                params: { namespaces: ['payments-*'] },
              },
            };
      return { ...base, decision };
    },
  ),
};

const component = (name: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: {},
  relations: [{ type: 'ownedBy', targetRef: owner }],
});

const service = new DefaultDecisionService({
  engine,
  catalogue,
  catalog: catalogServiceMock({
    entities: [
      component('payments-api', 'group:default/team-payments'),
      component('risk-engine', 'group:default/team-risk'),
    ],
  }),
  auth: mockServices.auth(),
});

describe('DefaultDecisionService', () => {
  it('normalises user refs and refuses anything but a user', () => {
    expect(userRefOf('Alice')).toBe('user:default/alice');
    expect(userRefOf('user:partners/jane')).toBe('user:partners/jane');
    expect(() => userRefOf('component:x')).toThrow(
      "Invalid user 'component:x': expected a user ref like user:default/alice",
    );
  });

  it('refuses unknown permissions and malformed Kubernetes object refs', async () => {
    await expect(
      service.check({ user: 'alice', permission: 'no.such.permission' }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: "Unknown permission 'no.such.permission'",
    });
    await expect(
      service.check({
        user: 'alice',
        permission: 'clusters.workload.scale',
        resourceRef: 'just-a-cluster',
      }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining("Invalid resourceRef 'just-a-cluster'"),
    });
  });

  it('checks: denied by default, allowed, and conditional decisions resolved for a resource', async () => {
    expect(
      await service.check({ user: 'bob', permission: 'rbac.role.read' }),
    ).toEqual({
      user: 'user:default/bob',
      permission: 'rbac.role.read',
      resourceRef: undefined,
      result: 'DENY',
      grantingRoles: [],
      reason:
        'No role of user:default/bob grants rbac.role.read (denied by default)',
    });
    expect(
      await service.check({
        user: 'admin',
        permission: 'clusters.workload.scale',
      }),
    ).toMatchObject({
      result: 'ALLOW',
      grantingRoles: [{ name: 'admin', scope: { type: 'all' } }],
      reason: 'Allowed by admin',
    });
    const scale = (resourceRef?: string) =>
      service.check({
        user: 'user:default/alice',
        permission: 'clusters.workload.scale',
        resourceRef,
      });
    expect(await scale()).toMatchObject({
      result: 'CONDITIONAL',
      reason:
        'Granted by payments-operator within the namespaces of their scope; pass a resourceRef for a definitive answer',
    });
    expect(
      await scale('dev-cluster/payments-dev/deployments/payments-api'),
    ).toMatchObject({
      result: 'ALLOW',
      reason: 'Allowed by payments-operator',
    });
    expect(await scale('dev-cluster/risk-dev')).toMatchObject({
      result: 'DENY',
      reason:
        'payments-operator grants clusters.workload.scale, but dev-cluster/risk-dev is outside its scope',
    });
  });

  it('resolves entity ownership through the catalog with the user claims', async () => {
    const refresh = (resourceRef?: string) =>
      service.check({
        user: 'alice',
        permission: 'catalog.entity.refresh',
        resourceRef,
      });
    expect((await refresh()).reason).toContain(
      'within the entities the user owns',
    );
    expect((await refresh('component:default/payments-api')).result).toBe(
      'ALLOW',
    );
    expect((await refresh('component:default/risk-engine')).result).toBe(
      'DENY',
    );
    await expect(refresh('component:default/nothing')).rejects.toMatchObject({
      name: 'NotFoundError',
    });
  });

  it('lists what a user can do, with the scope of each permission', async () => {
    expect(await service.whatCan({ user: 'alice' })).toEqual({
      user: 'user:default/alice',
      groups: ['group:default/team-payments'],
      roles: ['payments-operator'],
      items: [
        {
          permission: 'catalog.entity.refresh',
          result: 'CONDITIONAL',
          grantingRoles: ['payments-operator'],
          scope: 'owned-entities',
        },
        {
          permission: 'clusters.workload.scale',
          result: 'CONDITIONAL',
          grantingRoles: ['payments-operator'],
          scope: ['payments-*'],
        },
        {
          permission: 'rbac.role.read',
          result: 'ALLOW',
          grantingRoles: ['payments-operator'],
          scope: 'all',
        },
      ],
    });
  });

  it('lists who can do a permission on a resource', async () => {
    expect(
      await service.whoCan({
        permission: 'clusters.workload.scale',
        resourceRef: 'prod-cluster/payments-prod',
      }),
    ).toEqual({
      permission: 'clusters.workload.scale',
      resourceRef: 'prod-cluster/payments-prod',
      items: [
        {
          user: 'user:default/admin',
          result: 'ALLOW',
          grantingRoles: ['admin'],
        },
        {
          user: 'user:default/alice',
          result: 'ALLOW',
          grantingRoles: ['payments-operator'],
        },
        { user: 'user:default/bob', result: 'DENY', grantingRoles: [] },
      ],
    });
  });
});
