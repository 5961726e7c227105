import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { SWRConfig } from 'swr';
import { PipelinesApi, pipelinesApiRef } from '../../api/PipelinesApi';
import { entity, fakeApi } from '../../__testUtils__/fixtures';
import zhHans from '../../translations/zh-Hans';
import { PipelinesContent } from './PipelinesContent';

async function renderTabInChinese(api: PipelinesApi) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [pipelinesApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.ALLOW }),
        ],
        ...(translationTestApis('zh-Hans', [
          zhHans,
          kubemateReactZhHans,
        ]) as any),
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <PipelinesContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

describe('PipelinesContent in Simplified Chinese', () => {
  it('shows runs, lanes, the duration summary and run details in Chinese', async () => {
    await renderTabInChinese(fakeApi());
    expect(await screen.findByText('流水线运行（2 / 2）')).toBeInTheDocument();
    expect(
      within(screen.getByLabelText('环境 prod')).getByText(
        '尚无流水线部署到此环境',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('2 次运行 · 1 次成功 · 成功运行平均耗时 3 分 20 秒'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('运行中').length).toBeGreaterThan(0);
    expect(screen.getByText('运行耗时')).toBeInTheDocument();
    expect(screen.getByText(/无法读取集群 prod-cluster/)).toBeInTheDocument();
    expect(screen.queryByText(/Pipeline runs/)).not.toBeInTheDocument();
    expect(screen.queryByText('Run durations')).not.toBeInTheDocument();
    expect(screen.queryByText('Refresh')).not.toBeInTheDocument();

    await userEvent.click(
      screen.getAllByRole('button', { name: 'ci-run-1' })[0],
    );
    const graph = await screen.findByRole('list', {
      name: 'ci-run-1 的任务图',
    });
    expect(
      within(graph).getByRole('listitem', { name: 'build：成功' }),
    ).toBeInTheDocument();
    expect(screen.getByText('运行 ci-run-1')).toBeInTheDocument();
    expect(screen.getByRole('table', { name: '参数' })).toBeInTheDocument();
    expect(screen.getByRole('table', { name: '任务运行' })).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'compile · 成功' }),
    ).toBeInTheDocument();
    expect(screen.getByText(/· 耗时 3 分 20 秒/)).toBeInTheDocument();
  });

  it('asks before cancelling a run, in Chinese', async () => {
    const api = fakeApi();
    await renderTabInChinese(api);
    const cancel = await screen.findByRole('button', {
      name: '取消 ci-run-2',
    });
    await waitFor(() => expect(cancel).toBeEnabled());
    await userEvent.click(cancel);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('取消 ci-run-2？')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: '继续运行' }),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText('Keep running')).not.toBeInTheDocument();
    await userEvent.click(
      within(dialog).getByRole('button', { name: '取消运行' }),
    );
    expect(await screen.findByText('已取消：ci-run-2')).toBeInTheDocument();
  });

  it('starts a run from the Chinese dialog', async () => {
    const api = fakeApi();
    await renderTabInChinese(api);
    const start = await screen.findByRole('button', { name: '启动运行' });
    await waitFor(() => expect(start).toBeEnabled());
    await userEvent.click(start);
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByText('启动流水线运行')).toBeInTheDocument();
    expect(within(dialog).getByText('默认值：latest')).toBeInTheDocument();
    const submit = within(dialog).getByRole('button', { name: '启动' });
    expect(submit).toBeDisabled();
    expect(submit).toHaveAttribute('title', '必填：revision');
    await userEvent.type(within(dialog).getByLabelText(/revision/), 'v1');
    await userEvent.click(submit);
    expect(await screen.findByText('已启动运行：ci-run-3')).toBeInTheDocument();
  });
});
