import { screen } from '@testing-library/react';
import { fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('CompareTab in Chinese', () => {
  it('shows the sections in Chinese', async () => {
    renderPage('/inspections/compare?base=r1&head=r2', {
      api: fakeApi(),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('新增（1）')).toBeInTheDocument();
    expect(screen.getByText('已解决（1）')).toBeInTheDocument();
    expect(screen.getByText('未变化（0）')).toBeInTheDocument();
    expect(screen.getByText('不可比较（0）')).toBeInTheDocument();
    expect(screen.getByText('基准')).toBeInTheDocument();
    expect(screen.getByText('目标')).toBeInTheDocument();
    expect(screen.getByText('两次运行中都有。')).toBeInTheDocument();
    // the backend's finding message as sent
    expect(screen.getByText('Pod web-1 is crash looping')).toBeInTheDocument();
    for (const english of ['New (1)', 'Resolved (1)', 'Base', 'Head']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });

  it('asks for two runs in Chinese', async () => {
    renderPage('/inspections/compare', { api: fakeApi(), language: 'zh-Hans' });
    expect(
      await screen.findByText(
        '请选择一个基准运行和一个目标运行，查看两者之间的变化。',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '基准运行' }),
    ).toBeInTheDocument();
  });
});
