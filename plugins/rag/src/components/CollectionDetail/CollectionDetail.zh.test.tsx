import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { document, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

const PAGE = '/knowledge/collections/payments-runbooks';

describe('CollectionDetail in Simplified Chinese', () => {
  it('shows the knowledge base, its documents and the upload in Chinese', async () => {
    const api = fakeApi({
      listDocuments: jest.fn(async () => [
        document(),
        document({
          id: 'abcdef02',
          name: 'broken.pdf',
          status: 'failed',
          error: 'broken.pdf is not a readable PDF',
          chunksTotal: undefined,
          chunksDone: 0,
        }),
        document({
          id: 'abcdef03',
          name: 'scaling.md',
          status: 'embedding',
          chunksDone: 4,
          chunksTotal: 10,
        }),
      ]),
    });
    renderPage(PAGE, { api, language: 'zh-Hans' });
    const ready = await screen.findByTestId('rag-document-abcdef01');
    expect(ready).toHaveTextContent('就绪 · 8 个分块');
    expect(screen.getByTestId('rag-document-abcdef02')).toHaveTextContent(
      '失败',
    );
    // the backend's ingestion error is data
    expect(screen.getByTestId('rag-document-abcdef02')).toHaveTextContent(
      'broken.pdf is not a readable PDF',
    );
    expect(screen.getByTestId('rag-document-abcdef03')).toHaveTextContent(
      '向量化中 4/10 个分块',
    );
    expect(screen.getByText('概况')).toBeInTheDocument();
    expect(screen.getByText('上传')).toBeInTheDocument();
    expect(screen.getByText('文档（3）')).toBeInTheDocument();
    expect(screen.getByText('负责团队')).toBeInTheDocument();
    expect(
      screen.getByText('2 个文档 · 14 个分块 · 12.1 KiB'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('rag-reindex-all')).toHaveTextContent(
      '全部重新索引',
    );
    expect(screen.getByTestId('rag-edit-collection')).toHaveTextContent('编辑');
    expect(screen.getByTestId('rag-upload')).toHaveTextContent('上传文件');
    expect(
      screen.getByText(
        '将 Markdown、HTML、文本或 PDF 文件拖放到此处（每个最大 1 KiB）',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('columnheader', { name: '操作' }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('下载 restart.md')).toBeInTheDocument();
    for (const english of ['About', 'Upload', 'Re-index all', 'Edit']) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }

    // refused before sending: the reason in Chinese
    fireEvent.change(screen.getByTestId('rag-upload-input'), {
      target: { files: [new File(['x'.repeat(2048)], 'big.md')] },
    });
    expect(
      await screen.findByText('big.md 大小为 2 KiB，超过上传上限 1 KiB'),
    ).toBeInTheDocument();
    expect(screen.getByText('清除已完成')).toBeInTheDocument();
  });

  it('asks in Chinese before deleting a document', async () => {
    renderPage(PAGE, { api: fakeApi(), language: 'zh-Hans' });
    await userEvent.click(
      await screen.findByTestId('rag-document-delete-abcdef01'),
    );
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('删除该文档？')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'restart.md 及其段落和原始文件将被删除；回答将不再引用它。',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('取消')).toBeInTheDocument();
    expect(within(dialog).getByTestId('rag-confirm')).toHaveTextContent('删除');
  });

  it('asks in Chinese for the name before deleting the knowledge base', async () => {
    renderPage(PAGE, { api: fakeApi(), language: 'zh-Hans' });
    await userEvent.click(await screen.findByTestId('rag-delete-collection'));
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('删除 Payments runbooks？'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByLabelText('输入 payments-runbooks 以确认'),
    ).toBeInTheDocument();
  });
});
