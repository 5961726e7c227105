import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  answer,
  citation,
  collection,
  controlledStream,
  fakeApi,
} from '../../__testUtils__/fixtures';
import { renderPage, renderWith } from '../../__testUtils__/render';
import { EntityDocsQa } from '../EntityDocsQa';

describe('AskView in Simplified Chinese', () => {
  it('shows the page, the question form, the answer, its sources, feedback and the passage in Chinese', async () => {
    const stream = controlledStream();
    const api = fakeApi({ streamQuery: stream.streamQuery });
    renderPage('/knowledge', { api, language: 'zh-Hans' });

    expect(
      (await screen.findAllByRole('heading', { name: '知识助手' })).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getAllByText('基于您团队文档的回答，并附带来源').length,
    ).toBeGreaterThan(0);
    expect(screen.getByRole('tab', { name: '知识库' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '状态' })).toBeInTheDocument();
    const picker = await screen.findByTestId('rag-collection-picker');
    await waitFor(() =>
      expect(
        within(picker).getByTestId('rag-collection-option-payments-runbooks'),
      ).toBeChecked(),
    );
    expect(screen.getByText('全部')).toBeInTheDocument();
    expect(screen.getByLabelText('问题')).toBeInTheDocument();
    expect(
      screen.getByText('按 Enter 提问，Shift+Enter 换行'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('rag-ask')).toHaveTextContent('提问');
    expect(screen.getByTestId('rag-stop')).toHaveTextContent('停止');
    expect(screen.getByText('历史记录')).toBeInTheDocument();
    expect(
      screen.getByText('回答来自上方所选知识库中的文档，来源会编号列出。'),
    ).toBeInTheDocument();
    // the question's data stays as typed; the model's name is data
    expect(await screen.findByText('smollm2-135m（默认）')).toBeInTheDocument();
    for (const english of ['Ask', 'Stop', 'History', 'Question', 'All']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }

    await userEvent.type(
      screen.getByTestId('rag-question'),
      'How do I restart payments-api?{Enter}',
    );
    expect(await screen.findByText('正在搜索知识库…')).toBeInTheDocument();
    act(() => {
      stream.meta({
        id: 'answer-0001',
        collections: ['payments-runbooks'],
        cached: false,
      });
      stream.citations({ citations: [citation()], notFound: false });
      stream.token('Use a rolling restart [1].');
      stream.done(answer());
    });
    await waitFor(() =>
      expect(screen.getByTestId('rag-answer')).toHaveAttribute(
        'data-state',
        'done',
      ),
    );
    const panel = screen.getByTestId('rag-answer');
    // the model's answer is data: not translated
    expect(within(panel).getByTestId('rag-answer-text')).toHaveTextContent(
      'Use a rolling restart [1].',
    );
    expect(within(panel).getByText('来源')).toBeInTheDocument();
    expect(within(panel).getByText('这个回答有帮助吗？')).toBeInTheDocument();
    expect(within(panel).getByLabelText('有帮助')).toBeInTheDocument();
    expect(within(panel).getByLabelText('没有帮助')).toBeInTheDocument();
    expect(screen.getByTestId('rag-timings')).toHaveTextContent(
      '首个 token 420 ms · 总计 2.6 s · 19.5 token/秒 · smollm2-135m',
    );
    expect(
      within(panel).getByLabelText('来源 1：restart.md'),
    ).toBeInTheDocument();
    expect(within(panel).queryByText('Sources')).not.toBeInTheDocument();

    // the source's passage
    await userEvent.click(screen.getByTestId('rag-citation-1'));
    const dialog = await screen.findByTestId('rag-passage');
    expect(
      await within(dialog).findByText(
        'Restart > Rolling restart · 第 3 段，共 8 段 · payments-runbooks',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('上一段')).toBeInTheDocument();
    expect(within(dialog).getByText('下一段')).toBeInTheDocument();
    expect(within(dialog).getByText('下载原始文件')).toBeInTheDocument();
    expect(within(dialog).getByText('关闭')).toBeInTheDocument();
    expect(within(dialog).queryByText('Close')).not.toBeInTheDocument();
  });

  it('says "not found" in Chinese, and an upstream that is down', async () => {
    const stream = controlledStream();
    renderPage('/knowledge', {
      api: fakeApi({ streamQuery: stream.streamQuery }),
      language: 'zh-Hans',
    });
    await userEvent.type(
      await screen.findByTestId('rag-question'),
      'What is the meaning of life?{Enter}',
    );
    act(() => {
      stream.citations({ citations: [citation()], notFound: true });
      stream.done(
        answer({ notFound: true, answer: '', question: 'What is it?' }),
      );
    });
    expect(await screen.findByText('知识库中未找到')).toBeInTheDocument();
    expect(screen.getByTestId('rag-not-found')).toHaveTextContent(
      'payments-runbooks 中没有与该问题足够接近的段落可用于回答。',
    );
    expect(screen.getByText('最接近的段落')).toBeInTheDocument();

    await userEvent.clear(screen.getByTestId('rag-question'));
    await userEvent.type(screen.getByTestId('rag-question'), 'Again?{Enter}');
    act(() =>
      stream.error({
        message: 'Ollama did not answer within 30 s',
        upstream: 'ollama',
      }),
    );
    expect(
      await screen.findByText('Ollama 不可用：暂时无法回答该问题'),
    ).toBeInTheDocument();
  });

  it('shows an empty page in Chinese when there is no knowledge base', async () => {
    renderPage('/knowledge', {
      api: fakeApi({ listCollections: jest.fn(async () => []) }),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('还没有知识库')).toBeInTheDocument();
    expect(screen.getByText('创建知识库')).toBeInTheDocument();
    expect(screen.getByText('使用模板')).toBeInTheDocument();
    expect(screen.queryByText('No knowledge base yet')).not.toBeInTheDocument();
  });

  it('names the knowledge bases of the Docs Q&A tab the user may not read, in Chinese', async () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments-api',
        namespace: 'default',
        annotations: {
          'kubemate.io/rag-collection': 'payments-runbooks, secret-runbooks',
        },
      },
      spec: { type: 'service', owner: 'team-payments' },
    };
    renderWith(
      <EntityProvider entity={entity}>
        <EntityDocsQa />
      </EntityProvider>,
      {
        api: fakeApi({ listCollections: jest.fn(async () => [collection()]) }),
        language: 'zh-Hans',
      },
    );
    const note = await screen.findByTestId('rag-unreadable-collections');
    expect(note).toHaveTextContent(
      '您无权读取知识库 secret-runbooks（或不存在）：请联系其所属团队将其共享给您的团队。',
    );
    expect(within(note).getByText('您可读取的知识库')).toBeInTheDocument();
    expect(await screen.findByLabelText('问题')).toBeInTheDocument();
  });
});
