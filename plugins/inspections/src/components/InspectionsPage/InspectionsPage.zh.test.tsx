import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { cluster, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('InspectionsPage in Chinese', () => {
  it('shows the header, tabs and cluster cards in Chinese', async () => {
    const api = fakeApi({
      clusters: jest.fn(async () => ({
        clusters: [
          cluster({ running: 'r3' }),
          { cluster: 'prod-cluster', trend: [] },
        ],
      })),
    });
    renderPage('/inspections', { api, language: 'zh-Hans' });
    const dev = await screen.findByTestId('inspections-cluster-dev-cluster');
    expect(
      within(dev).getByRole('img', { name: '等级 D' }),
    ).toBeInTheDocument();
    expect(within(dev).getByText('严重 1')).toBeInTheDocument();
    expect(within(dev).getByText('高 2')).toBeInTheDocument();
    expect(
      within(dev).getByRole('img', {
        name: '最近 2 次运行的评分趋势：从 55 到 61',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('运行中…')).toBeInTheDocument();
    expect(screen.getByText('尚无巡检')).toBeInTheDocument();
    expect(screen.getByText('从未巡检')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '概览' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '豁免' })).toBeInTheDocument();
    expect(screen.getByTestId('inspections-run-now')).toHaveTextContent(
      '立即运行',
    );
    for (const english of [
      'Overview',
      'Exemptions',
      'No inspection yet',
      'Never inspected',
      '1 critical',
      'running…',
      'Run now',
    ]) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });

  it('runs the Run now dialog in Chinese', async () => {
    const api = fakeApi({
      clusters: jest.fn(async () => ({
        clusters: [cluster(), cluster({ cluster: 'prod-cluster' })],
      })),
    });
    renderPage('/inspections', { api, language: 'zh-Hans' });
    await screen.findByTestId('inspections-cluster-prod-cluster');
    const runNow = screen.getByTestId('inspections-run-now');
    await waitFor(() => expect(runNow).toBeEnabled());
    await userEvent.click(runNow);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('立即运行巡检')).toBeInTheDocument();
    // the legend of the clusters and the category Cluster
    expect(within(dialog).getAllByText('集群')).toHaveLength(2);
    expect(within(dialog).getByLabelText('主机')).toBeChecked();
    await userEvent.type(within(dialog).getByLabelText('命名空间'), 'Bad_ns');
    expect(
      within(dialog).getByText(
        'Bad_ns 不是命名空间名称，也不是 payments-* 这样的前缀模式',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByTestId('inspections-run-start'),
    ).toHaveTextContent('开始巡检');
    expect(
      within(dialog).getByRole('button', { name: '取消' }),
    ).toBeInTheDocument();
    for (const english of ['Run an inspection now', 'Namespaces', 'Host']) {
      expect(within(dialog).queryByText(english)).not.toBeInTheDocument();
    }
  });

  it('lists the runs in Chinese', async () => {
    renderPage('/inspections/runs', { api: fakeApi(), language: 'zh-Hans' });
    expect(await screen.findByText('运行（2）')).toBeInTheDocument();
    expect(screen.getAllByText('开始时间').length).toBeGreaterThan(0);
    expect(screen.getAllByText('触发方式').length).toBeGreaterThan(0);
    expect(screen.getAllByText('用户').length).toBeGreaterThan(0);
    expect(screen.getAllByText('成功').length).toBe(2);
    expect(screen.getByText('选择两次运行进行对比')).toBeInTheDocument();
    expect(
      screen.getAllByText('dev-cluster, prod-cluster · 所有命名空间 · 所有类别')
        .length,
    ).toBe(2);
    for (const english of ['Runs (2)', 'Started', 'succeeded', 'Compare']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });
});
