import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi } from '../../__testUtils__/fixtures';
import { deny, renderPage } from '../../__testUtils__/render';

/* The GPUs page in Simplified Chinese: every tab and the dialogs, without the English strings. */
const zh = { language: 'zh-Hans' };

describe('GpuPage in Simplified Chinese', () => {
  it('shows the quotas tab: tabs, team quota cards and capacity', async () => {
    await renderPage('/gpus', { api: fakeApi(), ...zh });
    expect(await screen.findByText('团队配额')).toBeInTheDocument();
    expect(screen.getByText('配额与容量')).toBeInTheDocument();
    expect(screen.getByText('审批')).toBeInTheDocument();
    const card = await screen.findByTestId(
      'gpu-queue-dev-cluster-team-payments',
    );
    expect(
      within(card).getByText('已使用 2 个 GPU，名义配额 2'),
    ).toBeInTheDocument();
    expect(within(card).getByText('1 个等待中')).toBeInTheDocument();
    expect(
      within(card).getByRole('meter', { name: 'a100-40gb 的 GPU 配额' }),
    ).toBeInTheDocument();
    expect(
      await screen.findByTestId(
        'gpu-capacity-dev-cluster-NVIDIA-A100-SXM4-40GB',
      ),
    ).toHaveTextContent('空闲 1 / 共 4');
    expect(screen.getByText('按型号统计的容量')).toBeInTheDocument();
    expect(screen.queryByText('Team quotas')).toBeNull();
    expect(screen.queryByText('Quotas & capacity')).toBeNull();
    expect(screen.queryByText('Capacity by model')).toBeNull();
    expect(screen.queryByText(/used of 2 nominal/)).toBeNull();
  });

  it('opens the queue editor in Chinese', async () => {
    await renderPage('/gpus', {
      api: fakeApi(),
      user: 'user:default/admin',
      ...zh,
    });
    const edit = await screen.findByTestId(
      'gpu-queue-edit-dev-cluster-team-payments',
    );
    expect(edit).toHaveTextContent('编辑配额');
    await waitFor(() => expect(edit).toBeEnabled());
    await userEvent.click(edit);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('编辑 team-payments（dev-cluster）'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('保证分配给该团队')).toBeInTheDocument();
    expect(within(dialog).getByText('保存')).toBeInTheDocument();
    expect(within(dialog).queryByText('Save')).toBeNull();
    expect(within(dialog).queryByText('Nominal GPUs')).toBeNull();
  });

  it('shows the queue tab with Chinese titles, states and positions; Kueue reasons stay as sent', async () => {
    await renderPage('/gpus/queue', { api: fakeApi(), ...zh });
    expect(
      await screen.findByText('工作负载（2 个，1 个等待中）'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('在 team-payments 中排第 2 位'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('等待中').length).toBeGreaterThan(0);
    expect(screen.getAllByText('已准入').length).toBeGreaterThan(0);
    expect(screen.getByText('12 分钟')).toBeInTheDocument();
    expect(screen.getByText(/规格 a100-40gb · 准入于/)).toBeInTheDocument();
    expect(
      screen.getByText("couldn't assign flavors to pod set main:"),
    ).toBeInTheDocument();
    expect(screen.getByText('所有命名空间')).toBeInTheDocument();
    expect(screen.queryByText('Workloads (2, 1 pending)')).toBeNull();
    expect(screen.queryByText('#2 in team-payments')).toBeNull();
    expect(screen.queryByText('All namespaces')).toBeNull();
  });

  it('shows the utilization tab in Chinese', async () => {
    await renderPage('/gpus/utilization', { api: fakeApi(), ...zh });
    expect(
      await screen.findByRole('img', {
        name: '按团队的 GPU 利用率：1 个序列，2 个数据点',
      }),
    ).toBeInTheDocument();
    expect(screen.getAllByText('演示数据').length).toBeGreaterThan(0);
    expect(
      await screen.findByText(/没有空闲 GPU：在过去 60 分钟内/),
    ).toBeInTheDocument();
    expect(screen.getByText('最近 1 小时')).toBeInTheDocument();
    expect(screen.queryByText('demo data')).toBeNull();
    expect(screen.queryByText('Last hour')).toBeNull();
  });

  it('shows the request form and the requests in Chinese', async () => {
    await renderPage('/gpus/requests', { api: fakeApi(), ...zh });
    expect(
      await screen.findByText(/不超过 1 个 GPU 的申请会立即授予/),
    ).toBeInTheDocument();
    expect(screen.getByText('仅显示我的申请')).toBeInTheDocument();
    expect(screen.getByText('我的申请（1）')).toBeInTheDocument();
    expect(screen.getByText('待审批')).toBeInTheDocument();
    expect(screen.getByTestId('gpu-request-submit')).toHaveTextContent(
      '申请 GPU',
    );
    await waitFor(() =>
      expect(screen.getByTestId('gpu-request-submit')).toBeEnabled(),
    );
    await userEvent.click(screen.getByTestId('gpu-request-submit'));
    expect(
      await screen.findByText('请说明 GPU 的用途（审批人会阅读）'),
    ).toBeInTheDocument();
    expect(screen.queryByText('Only my requests')).toBeNull();
    expect(screen.queryByText(/granted at once/)).toBeNull();
  });

  it('approves a request through the Chinese decision dialog', async () => {
    const api = fakeApi();
    await renderPage('/gpus/approvals', {
      api,
      user: 'user:default/admin',
      ...zh,
    });
    expect(await screen.findByText('等待审批（1）')).toBeInTheDocument();
    expect(screen.getByTestId('gpu-change-req-1')).toHaveTextContent(
      'team-payments / a100-40gb（dev-cluster）的名义配额：2 → 6 个 GPU',
    );
    const approve = screen.getByTestId('gpu-approve-req-1');
    expect(approve).toHaveTextContent('批准');
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('批准 GPU 申请')).toBeInTheDocument();
    expect(
      within(dialog).getByText(/批准将以您的身份变更 team-payments/),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText(/Approving changes/)).toBeNull();
    await userEvent.click(within(dialog).getByTestId('gpu-decision-submit'));
    expect(await screen.findByTestId('gpu-approval-notice')).toHaveTextContent(
      '已批准 payments-dev（dev-cluster，队列 team-payments）的 4 个 a100-40gb GPU：当前状态为生效中。',
    );
  });

  it('gives the reason in Chinese to users who may not approve', async () => {
    await renderPage('/gpus/approvals', {
      api: fakeApi(),
      authorize: deny('gpu.request.approve'),
      user: 'user:default/bob',
      ...zh,
    });
    const denied = await screen.findByTestId('gpu-approvals-denied');
    expect(denied).toHaveTextContent('审批仅限平台管理员');
    expect(denied).toHaveTextContent(
      '您没有对 您可见的任何团队命名空间 的权限 gpu.request.approve。',
    );
    expect(denied).not.toHaveTextContent('You do not have the permission');
  });
});
