import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { collection, fakeApi } from '../../__testUtils__/fixtures';
import { renderPage } from '../../__testUtils__/render';

describe('CollectionsTab in Simplified Chinese', () => {
  it('lists the knowledge bases and opens New knowledge base in Chinese', async () => {
    const api = fakeApi({
      listCollections: jest.fn(async () => [
        collection({
          stats: {
            documents: 3,
            chunks: 20,
            bytes: 1000,
            inProgress: 1,
            failed: 2,
          },
        }),
      ]),
    });
    renderPage('/knowledge/collections', { api, language: 'zh-Hans' });
    const row = await screen.findByTestId('rag-collection-payments-runbooks');
    // the knowledge base's title is data
    expect(within(row).getByText('Payments runbooks')).toBeInTheDocument();
    expect(within(row).getByText('1 个进行中')).toBeInTheDocument();
    expect(within(row).getByText('2 个失败')).toBeInTheDocument();
    expect(screen.getByText('知识库（1）')).toBeInTheDocument();
    for (const header of [
      '负责团队',
      '共享给',
      '文档',
      '分块',
      '入库',
      '更新时间',
    ]) {
      expect(
        screen.getByRole('columnheader', { name: header }),
      ).toBeInTheDocument();
    }
    expect(screen.queryByText('Owner team')).not.toBeInTheDocument();
    expect(screen.queryByText('Knowledge bases (1)')).not.toBeInTheDocument();

    const button = await screen.findByTestId('rag-new-collection');
    expect(button).toHaveTextContent('新建知识库');
    await waitFor(() => expect(button).toBeEnabled());
    await userEvent.click(button);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('新建知识库')).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        '创建后不可更改。小写字母、数字和短横线，3 到 63 个字符，以字母开头，以字母或数字结尾。',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('负责它的团队：其成员可以管理它'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('其他可以读取它并向它提问的团队（或用户）'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('它所记录的软件目录实体'),
    ).toBeInTheDocument();
    await userEvent.type(
      within(dialog).getByTestId('rag-collection-name'),
      'ab',
    );
    expect(
      within(dialog).getByText(
        '太短：小写字母、数字和短横线，3 到 63 个字符，以字母开头，以字母或数字结尾',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('取消')).toBeInTheDocument();
    expect(
      within(dialog).getByTestId('rag-collection-submit'),
    ).toHaveTextContent('创建');
    expect(within(dialog).queryByText('Cancel')).not.toBeInTheDocument();
  });

  it('says in Chinese that there is no knowledge base yet', async () => {
    renderPage('/knowledge/collections', {
      api: fakeApi({ listCollections: jest.fn(async () => []) }),
      language: 'zh-Hans',
    });
    expect(await screen.findByText('还没有知识库')).toBeInTheDocument();
    expect(screen.getByText('使用模板')).toBeInTheDocument();
  });
});
