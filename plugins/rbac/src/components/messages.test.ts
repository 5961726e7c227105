import {
  createTestTranslationApi,
  kubemateReactZhHans,
} from '@kubemate/plugin-kubemate-react';
import { validateRoleSpec } from '@kubemate/plugin-rbac-common';
import { rbacTranslationRef, type RbacT } from '../translation';
import zhHans from '../translations/zh-Hans';
import { reasonText } from './AccessCheckTab';
import { validationErrorText } from './RoleEditor';

/*
 * The backend's access-check reasons and rbac-common's validation messages, recognised and
 * translated: unchanged in English, in Chinese in zh-Hans.
 */

function tIn(language: string): RbacT {
  const snapshot = createTestTranslationApi(language, [
    zhHans,
    kubemateReactZhHans,
  ]).getTranslation(rbacTranslationRef);
  if (!snapshot.ready) throw new Error('not ready');
  return snapshot.t as unknown as RbacT;
}

const reasons = [
  'No role of user:default/bob grants clusters.workload.scale (denied by default)',
  'Allowed by payments-developer, admins',
  'payments-developer grants clusters.workload.scale, but dev-cluster/team-x/deployments/api is outside its scope',
  'a, b grant clusters.workload.scale, but dev-cluster/team-x/deployments/api is outside their scope',
  'Granted by payments-developer within the entities the user owns; pass a resourceRef for a definitive answer',
  'Granted by payments-developer within the namespaces of their scope; pass a resourceRef for a definitive answer',
];

describe('access-check reasons', () => {
  it('stay exactly as the backend wrote them in English', () => {
    const t = tIn('en');
    for (const r of reasons) expect(reasonText(r, t)).toBe(r);
  });

  it('are Chinese in zh-Hans', () => {
    const t = tIn('zh-Hans');
    expect(reasons.map(r => reasonText(r, t))).toEqual([
      'user:default/bob 的角色都没有授予 clusters.workload.scale（默认拒绝）',
      '由 payments-developer, admins 允许',
      'payments-developer 授予了 clusters.workload.scale，但 dev-cluster/team-x/deployments/api 不在其范围内',
      'a, b 授予了 clusters.workload.scale，但 dev-cluster/team-x/deployments/api 不在它们的范围内',
      '由 payments-developer 在该用户负责的实体内授予；提供 resourceRef 可获得确定的结果',
      '由 payments-developer 在其范围内的命名空间中授予；提供 resourceRef 可获得确定的结果',
    ]);
    expect(reasonText('something else', t)).toBe('something else');
  });
});

describe('role validation messages', () => {
  const checked = validateRoleSpec({
    name: 'Bad Name',
    scope: { type: 'namespaces', namespaces: ['Bad_NS'] },
    permissions: ['*', 'x'],
    members: ['alice'],
  });
  const errors = checked.ok ? [] : checked.errors;

  it('stay exactly as rbac-common words them in English', () => {
    expect(errors.length).toBeGreaterThan(3);
    const t = tIn('en');
    for (const e of errors) expect(validationErrorText(e, t)).toBe(e);
  });

  it('are Chinese in zh-Hans, with the field paths kept', () => {
    const t = tIn('zh-Hans');
    const zh = errors.map(e => validationErrorText(e, t));
    expect(zh).toContain(
      'name：必须是小写的 DNS 标签（a-z、0-9、-），例如 payments-operator',
    );
    expect(zh).toContain('permissions："*"（所有权限）必须单独使用');
    expect(zh.join('\n')).not.toMatch(/must be a|must stand alone/);
  });
});
