import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import type { Role } from '@kubemate/plugin-rbac-common';
import { declared, fakeApi, renderPage } from '../__testUtils__/fixtures';
import zhHans from '../translations/zh-Hans';

/*
 * The RBAC page in Simplified Chinese: every tab, the role dialogs, the access check's answer
 * and the "not allowed" state, with the English strings gone.
 */

const zh = () =>
  translationTestApis('zh-Hans', [zhHans, kubemateReactZhHans]) as any;

const own: Role = {
  name: 'payments-operator',
  scope: { type: 'all' },
  permissions: ['*'],
  members: ['user:default/bob', 'group:default/team-payments'],
  source: 'database',
  editable: true,
};

function expectNoEnglish(strings: string[]) {
  for (const english of strings) {
    expect(screen.queryByText(english)).not.toBeInTheDocument();
  }
}

describe('RbacPage in Chinese', () => {
  it('shows the roles tab in Chinese', async () => {
    await renderPage(fakeApi(), () => AuthorizeResult.ALLOW, zh());
    expect(await screen.findByText('角色（1）')).toBeInTheDocument();
    expect(screen.getByText('访问控制（RBAC）')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '权限矩阵' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '访问检查' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '审计日志' })).toBeInTheDocument();
    expect(screen.getByText('角色文件')).toBeInTheDocument();
    expect(screen.getByText('来源')).toBeInTheDocument();
    expect(screen.getByText('2 项权限')).toBeInTheDocument();
    expect(await screen.findByText('dev-cluster：已同步')).toBeInTheDocument();
    const edit = screen.getByRole('button', {
      name: '编辑 payments-developer',
    });
    await waitFor(() =>
      expect(edit.parentElement).toHaveAttribute(
        'title',
        '在 catalog/rbac-roles.yaml 中声明；请编辑该文件（GitOps）',
      ),
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: '创建角色' })).toBeEnabled(),
    );
    expectNoEnglish([
      'Roles (1)',
      'Create role',
      'role file',
      'Source',
      'Scope',
      'Actions',
      'Matrix',
      'Audit log',
      'dev-cluster: in-sync',
    ]);
  });

  it('shows the role editor and its validation in Chinese', async () => {
    const api = fakeApi();
    await renderPage(api, () => AuthorizeResult.ALLOW, zh());
    const create = await screen.findByRole('button', { name: '创建角色' });
    await waitFor(() => expect(create).toBeEnabled());
    await userEvent.click(create);
    const dialog = await screen.findByRole('dialog');
    const d = within(dialog);
    expect(d.getByText('创建角色')).toBeInTheDocument();
    expect(d.getByRole('radio', { name: '所有命名空间' })).toBeInTheDocument();
    expect(d.getByRole('textbox', { name: '成员' })).toBeInTheDocument();
    expect(d.getByRole('textbox', { name: '筛选权限' })).toBeInTheDocument();
    expect(
      d.getByText('所有权限（*），包括以后新增的权限'),
    ).toBeInTheDocument();
    expect(
      d.getAllByText('在角色的命名空间内', { exact: false }).length,
    ).toBeGreaterThan(0);
    await userEvent.type(d.getByRole('textbox', { name: '名称' }), 'Bad Name');
    await userEvent.click(d.getByRole('button', { name: '保存' }));
    expect(
      await d.findByText(
        /^角色无效：name：必须是小写的 DNS 标签（a-z、0-9、-），例如 payments-operator/,
      ),
    ).toBeInTheDocument();
    expect(api.createRole).not.toHaveBeenCalled();
    expect(d.getByRole('button', { name: '取消' })).toBeInTheDocument();
    for (const english of [
      'Name',
      'Scope',
      'Save',
      'Cancel',
      'Add namespace',
    ]) {
      expect(d.queryByText(english)).not.toBeInTheDocument();
    }
  });

  it('asks before deleting a role, in Chinese', async () => {
    const api = fakeApi({
      listRoles: jest.fn(async () => ({
        items: [declared, own],
        conflicts: [],
      })),
    });
    await renderPage(api, () => AuthorizeResult.ALLOW, zh());
    expect(await screen.findByText('所有权限（*）')).toBeInTheDocument();
    expect(screen.getByText('门户')).toBeInTheDocument();
    expect(screen.getAllByText('所有命名空间').length).toBeGreaterThan(0);
    const remove = screen.getByRole('button', {
      name: '删除 payments-operator',
    });
    await waitFor(() => expect(remove).toBeEnabled());
    await userEvent.click(remove);
    const d = within(await screen.findByRole('dialog'));
    expect(d.getByText('删除角色 payments-operator？')).toBeInTheDocument();
    expect(
      d.getByText(
        '它的 2 名成员将失去其权限，其 Kubernetes Role 和绑定将在下次同步时被移除。',
      ),
    ).toBeInTheDocument();
    expect(d.getByRole('button', { name: '删除' })).toBeInTheDocument();
    await userEvent.click(d.getByRole('button', { name: '取消' }));
    expect(api.deleteRole).not.toHaveBeenCalled();
  });

  it('answers an access check in Chinese', async () => {
    const api = fakeApi({
      check: jest.fn(async () => ({
        user: 'user:default/bob',
        permission: 'clusters.workload.scale',
        result: 'ALLOW' as const,
        grantingRoles: [],
        reason: 'Allowed by payments-developer',
      })),
    });
    await renderPage(api, () => AuthorizeResult.ALLOW, zh());
    await userEvent.click(await screen.findByRole('tab', { name: '访问检查' }));
    await userEvent.type(
      await screen.findByRole('textbox', { name: '用户' }),
      'user:default/bob',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: '权限' }),
      'clusters.workload.scale',
    );
    expect(screen.getByText('资源（可选）')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '谁拥有此权限？' }),
    ).toBeEnabled();
    await userEvent.click(screen.getByRole('button', { name: '检查' }));
    expect(
      await screen.findByText('bob：clusters.workload.scale 的结果为允许'),
    ).toBeInTheDocument();
    expect(screen.getByText('由 payments-developer 允许')).toBeInTheDocument();
    expectNoEnglish(['Check', 'What can this user do?', 'Resource (optional)']);
  });

  it('shows the audit log and the sync tab in Chinese', async () => {
    await renderPage(fakeApi(), () => AuthorizeResult.ALLOW, zh());
    await userEvent.click(await screen.findByRole('tab', { name: '审计日志' }));
    expect(await screen.findByText('暂无变更记录。')).toBeInTheDocument();
    expect(screen.getByText('RBAC 审计日志')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: '按角色筛选' })).toBeTruthy();
    await userEvent.click(screen.getByRole('tab', { name: 'Kubernetes 同步' }));
    expect(
      await screen.findByText('集群：dev-cluster · 尚未运行'),
    ).toBeInTheDocument();
    expect(screen.getByText('最近的变更')).toBeInTheDocument();
    expect(
      screen.getByText('暂无变更：Kubernetes 与角色一致。'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '立即同步' }),
    ).toBeInTheDocument();
    expectNoEnglish(['Recent changes', 'Sync now', 'RBAC audit log']);
  });

  it("words the sync's audit records and drift causes in Chinese", async () => {
    const drift = {
      cluster: 'dev-cluster',
      kind: 'RoleBinding' as const,
      namespace: 'payments-dev',
      name: 'kubemate:payments-operator',
      role: 'payments-operator',
      change: 'restored' as const,
      cause: 'deleted' as const,
      detail: 'deleted by hand; re-created',
    };
    const api = fakeApi({
      audit: jest.fn(async () => ({
        items: [
          {
            id: 2,
            actor: 'user:default/admin',
            action: 'sync.run',
            after: { changes: 28, drift: 1, errors: 0 },
            message: '28 change(s), 1 drift repair(s), 0 error(s)',
            createdAt: '2026-12-03T09:00:00Z',
          },
          {
            id: 1,
            actor: 'kubemate:rbac-sync',
            action: 'sync.drift-restored',
            role: 'payments-operator',
            after: drift,
            message:
              'dev-cluster: RoleBinding payments-dev/kubemate:payments-operator deleted by hand; re-created',
            createdAt: '2026-12-03T08:59:00Z',
          },
        ],
      })),
    });
    await renderPage(api, () => AuthorizeResult.ALLOW, zh());
    await userEvent.click(await screen.findByRole('tab', { name: '审计日志' }));
    expect(
      await screen.findByText('28 项变更，1 项漂移修复，0 个错误'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'dev-cluster：RoleBinding payments-dev/kubemate:payments-operator 被手动删除；已重新创建',
      ),
    ).toBeInTheDocument();
    expectNoEnglish([
      '28 change(s), 1 drift repair(s), 0 error(s)',
      'dev-cluster: RoleBinding payments-dev/kubemate:payments-operator deleted by hand; re-created',
    ]);
  });

  it('shows the roles × permissions matrix in Chinese', async () => {
    await renderPage(fakeApi(), () => AuthorizeResult.ALLOW, zh());
    await userEvent.click(await screen.findByRole('tab', { name: '权限矩阵' }));
    expect(
      await screen.findByRole('table', { name: '角色与权限' }),
    ).toBeInTheDocument();
    expect(screen.getByText('权限')).toBeInTheDocument();
    expect(
      screen.getAllByTitle('payments-developer 授予 clusters.workload.scale')
        .length,
    ).toBe(1);
  });

  it('tells a user without rbac.role.read why, in Chinese', async () => {
    const api = fakeApi();
    await renderPage(api, () => AuthorizeResult.DENY, zh());
    expect(
      await screen.findByText('Warning: 您无法管理角色'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('您没有权限 rbac.role.read。请联系平台管理员开通权限。'),
    ).toBeInTheDocument();
    expect(api.listRoles).not.toHaveBeenCalled();
  });
});
