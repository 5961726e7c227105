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

describe('InterimPermissionPolicy', () => {
  const alice = userWith('user:default/alice', 'group:default/team-payments');
  const admin = userWith('user:default/admin', 'group:default/Platform-Admins');

  it('lets everyone read and run templates', async () => {
    expect((await policy.handle({ permission: read }, alice)).result).toBe(
      AuthorizeResult.ALLOW,
    );
    expect((await policy.handle({ permission: runTemplate }, alice)).result).toBe(
      AuthorizeResult.ALLOW,
    );
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
});
