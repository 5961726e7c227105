import { createPermission } from '@backstage/plugin-permission-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { InterimPermissionPolicy } from './interimPermissionPolicy';

const policy = new InterimPermissionPolicy(
  new Set(['group:default/platform-admins']),
);

const read = createPermission({
  name: 'catalog.entity.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const remove = createPermission({
  name: 'catalog.entity.delete',
  attributes: { action: 'delete' },
  resourceType: 'catalog-entity',
});
const runTemplate = createPermission({
  name: 'scaffolder.task.create',
  attributes: { action: 'create' },
});

const userWith = (...refs: string[]) => ({
  identity: {
    type: 'user' as const,
    userEntityRef: refs[0],
    ownershipEntityRefs: refs,
  },
  token: 'token',
  credentials: {} as any,
  info: { userEntityRef: refs[0], ownershipEntityRefs: refs },
});

const scale = createPermission({
  name: 'clusters.workload.scale',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});
const podLogs = createPermission({
  name: 'clusters.pod.logs',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});
const otherUpdate = createPermission({
  name: 'other.thing.update',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

describe('InterimPermissionPolicy', () => {
  const alice = userWith('user:default/alice', 'group:default/team-payments');
  const admin = userWith('user:default/admin', 'group:default/Platform-Admins');

  it('lets everyone read and run templates', async () => {
    expect((await policy.handle({ permission: read }, alice)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect(
      (await policy.handle({ permission: runTemplate }, alice)).result,
    ).toBe(AuthorizeResult.ALLOW);
  });

  it('denies other actions to non-admins and allows them to admins (case-insensitive refs)', async () => {
    expect((await policy.handle({ permission: remove }, alice)).result).toBe(
      AuthorizeResult.DENY,
    );
    expect((await policy.handle({ permission: remove }, admin)).result).toBe(
      AuthorizeResult.ALLOW,
    );
  });

  it('denies everything without a user', async () => {
    expect((await policy.handle({ permission: read })).result).toBe(
      AuthorizeResult.DENY,
    );
  });

  it('makes cluster operations conditional on entity ownership for non-admins', async () => {
    const decision = await policy.handle({ permission: scale }, alice);
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/alice', 'group:default/team-payments'],
        },
      },
    });
    // admins stay unconditionally allowed, cluster reads stay allowed for everyone
    expect((await policy.handle({ permission: scale }, admin)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle({ permission: podLogs }, alice)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    // other plugins' non-read resource permissions are still denied
    expect(
      (await policy.handle({ permission: otherUpdate }, alice)).result,
    ).toBe(AuthorizeResult.DENY);
  });
});
