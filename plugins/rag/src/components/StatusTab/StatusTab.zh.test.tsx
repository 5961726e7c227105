import { screen, within } from '@testing-library/react';
import { fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('StatusTab in Simplified Chinese', () => {
  it('shows the servers, the models and the limits in Chinese', async () => {
    renderPage('/knowledge/status', { api: fakeApi(), language: 'zh-Hans' });
    const redis = await screen.findByTestId('rag-status-upstream-redis');
    expect(within(redis).getByText('错误')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('rag-status-upstream-ollama')).getByText(
        '正常',
      ),
    ).toBeInTheDocument();
    // the card and its first column
    expect(screen.getAllByText('服务器')).toHaveLength(2);
    expect(screen.getByText('刷新')).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: '延迟' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('没有 Redis 时，问题将在不使用缓存的情况下回答。'),
    ).toBeInTheDocument();
    expect(screen.getByText('模型')).toBeInTheDocument();
    expect(screen.getAllByText('就绪')).toHaveLength(2);
    expect(screen.getByText('最大上传：1 KiB')).toBeInTheDocument();
    expect(
      screen.getByText('格式：markdown, html, text, pdf'),
    ).toBeInTheDocument();
    for (const english of ['Servers', 'Models', 'Limits', 'error', 'ready']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });

  it('says in Chinese when the status cannot be read, with the message', async () => {
    renderPage('/knowledge/status', {
      api: fakeApi({
        status: jest.fn(async () => {
          throw new Error('Failed to fetch');
        }),
      }),
      language: 'zh-Hans',
    });
    expect(
      await screen.findByText(/无法读取知识助手的状态：Failed to fetch/),
    ).toBeInTheDocument();
  });
});
