import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('ChecksTab in Chinese', () => {
  it('lists the catalogue in Chinese, the check texts as sent', async () => {
    renderPage('/inspections/checks', { api: fakeApi(), language: 'zh-Hans' });
    expect(await screen.findByText('检查项（1 / 1）')).toBeInTheDocument();
    expect(screen.getByText('规则集 abcdef012345')).toBeInTheDocument();
    const row = screen
      .getByText('Containers without resource limits')
      .closest('tr')!;
    expect(within(row).getByText('应用')).toBeInTheDocument();
    expect(within(row).getByText('中')).toBeInTheDocument();
    expect(within(row).getByText('是')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '按类别筛选' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(row).getByText('Containers without resource limits'),
    );
    const docs = await screen.findByTestId(
      'inspections-check-docs-application.missing-limits',
    );
    expect(within(docs).getByText('检查内容')).toBeInTheDocument();
    expect(docs).toHaveTextContent('版本 1 · 每个集群执行一次');
    for (const english of ['Checks (1 of 1)', 'What it checks', 'Category']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });
});
