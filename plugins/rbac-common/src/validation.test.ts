import { validateMembers, validateRoleSpec } from './validation';

const good = {
  name: 'payments-operator',
  description: 'Operates the payments services',
  scope: { type: 'namespaces', namespaces: ['payments-*', 'shared'] },
  permissions: ['clusters.workload.scale', 'clusters.resources.read'],
  members: ['user:alice', 'group:default/team-payments'],
};

describe('validateRoleSpec', () => {
  it('accepts a valid role and normalises member refs', () => {
    const r = validateRoleSpec(good);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.members).toEqual([
      'user:default/alice',
      'group:default/team-payments',
    ]);
  });

  it.each([
    [
      { ...good, name: 'Payments Operator' },
      'name: must be a lowercase DNS label',
    ],
    [
      { ...good, scope: { type: 'namespaces', namespaces: [] } },
      'scope.namespaces: must list at least one namespace',
    ],
    [
      { ...good, scope: { type: 'namespaces', namespaces: ['pay*ments'] } },
      'scope.namespaces.0: must be a namespace name or a prefix pattern',
    ],
    [{ ...good, scope: { type: 'cluster' } }, 'scope'],
    [
      { ...good, permissions: ['*', 'clusters.pod.delete'] },
      'permissions: "*" (every permission) must stand alone',
    ],
    [
      { ...good, permissions: ['a.b', 'a.b'] },
      'permissions: lists a permission twice',
    ],
    [
      { ...good, members: ['component:default/x'] },
      'members.0: must be a user or group ref',
    ],
    [{ ...good, extra: 1 }, '(role)'],
    [{ name: 'x' }, 'scope'],
  ])('rejects %j', (input, message) => {
    const r = validateRoleSpec(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.join('\n')).toContain(message);
  });

  it('validates a members list on its own', () => {
    expect(validateMembers({ members: ['group:team-risk'] })).toEqual({
      ok: true,
      value: ['group:default/team-risk'],
    });
    expect(validateMembers({ members: 'alice' }).ok).toBe(false);
  });
});
