import { normaliseRef } from './entityRefs';

describe('normaliseRef', () => {
  it('completes kind and namespace, lower-cases the kind', () => {
    expect(normaliseRef('team-risk', 'group')).toBe('group:default/team-risk');
    expect(normaliseRef(' Group:default/team-risk ', 'component')).toBe(
      'group:default/team-risk',
    );
    expect(normaliseRef('payments-api', 'component')).toBe(
      'component:default/payments-api',
    );
  });

  it('refuses what the backend would refuse', () => {
    expect(normaliseRef('', 'group')).toBeUndefined();
    expect(normaliseRef('team risk', 'group')).toBeUndefined();
    expect(normaliseRef('group:default/a/b', 'group')).toBeUndefined();
    expect(normaliseRef('user:default/a$b', 'group')).toBeUndefined();
  });
});
