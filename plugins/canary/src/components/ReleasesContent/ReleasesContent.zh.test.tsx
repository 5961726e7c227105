import { fireEvent, screen, waitFor, within } from '@testing-library/react';
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
import { CanaryApi, canaryApiRef } from '../../api/CanaryApi';
import { ReleasesContent } from './ReleasesContent';
import {
  details,
  entity,
  fakeApi,
  gray,
  summary,
} from '../../testing/fixtures';
import zhHans from '../../translations/zh-Hans';

/* The Releases tab, its dialogs and the gray release editor in Simplified Chinese. */

async function renderTab(
  api: CanaryApi,
  authorize:
    | AuthorizeResult.ALLOW
    | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [canaryApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
        ...(translationTestApis('zh-Hans', [
          zhHans,
          kubemateReactZhHans,
        ]) as any),
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <ReleasesContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

describe('ReleasesContent in Chinese', () => {
  it('shows the release, its progress, checks, chart and history in Chinese', async () => {
    await renderTab(fakeApi());
    expect(await screen.findByText('发布 payments-api')).toBeInTheDocument();
    expect(
      screen.getByText('金丝雀权重 20%，上限 50%（步长 10%）'),
    ).toBeInTheDocument();
    expect(screen.getByText('迭代次数：2')).toBeInTheDocument();
    expect(screen.getByText('失败的检查：1，最多允许 3')).toBeInTheDocument();
    expect(screen.getByText('进行中')).toBeInTheDocument();
    expect(
      screen.getByText('confirm-promotion：已关闭，Flagger 正在等待'),
    ).toBeInTheDocument();
    expect(screen.getByRole('meter', { name: '金丝雀权重' })).toHaveAttribute(
      'aria-valuetext',
      '20% 的流量流向金丝雀版本（上限 50%，步长 10%）',
    );
    const checks = await screen.findByRole('table', { name: '分析检查项' });
    expect(within(checks).getByText('实测值')).toBeInTheDocument();
    expect(within(checks).getByText('未通过')).toBeInTheDocument();
    expect(within(checks).getByText('未测量')).toBeInTheDocument();
    // why it was not measured, by the backend's code
    expect(within(checks).getByText('没有数据')).toBeInTheDocument();
    expect(within(checks).queryByText('no values found')).toBeNull();
    expect(screen.getByText('历史（3）')).toBeInTheDocument();
    expect(screen.getByText('门户：user:default/alice')).toBeInTheDocument();
    expect(
      await screen.findByRole('img', {
        name: '成功率随时间变化：主版本 99.9%，金丝雀版本 93.5%（最新）',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: /金丝雀权重随时间变化：从 .* 共 3 次观测/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '批准全量发布' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '立即全量发布' }),
    ).toBeInTheDocument();

    for (const english of [
      'Release payments-api',
      'Analysis checks',
      'Canary weight over time',
      'History (3)',
      'Iterations: 2',
    ]) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
    expect(
      screen.queryByRole('button', { name: 'Approve promotion' }),
    ).not.toBeInTheDocument();
  });

  it('approves in Chinese and asks before a promotion', async () => {
    const api = fakeApi();
    await renderTab(api);
    const approve = await screen.findByRole('button', { name: '批准全量发布' });
    await waitFor(() => expect(approve).toBeEnabled());
    await userEvent.click(approve);
    expect(
      await screen.findByText('已批准 payments-api 的 confirm-promotion 门禁'),
    ).toBeInTheDocument();

    const promote = screen.getByRole('button', { name: '立即全量发布' });
    await waitFor(() => expect(promote).toBeEnabled());
    await userEvent.click(promote);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('全量发布 payments-api？'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        'Flagger 将跳过剩余的分析，并在下一次检查时全量发布金丝雀版本。',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: '取消' }),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText('Cancel')).not.toBeInTheDocument();
  });

  it('says in Chinese why a user may not abort', async () => {
    await renderTab(fakeApi(), AuthorizeResult.DENY);
    const abort = await screen.findByRole('button', { name: '中止' });
    await waitFor(() =>
      expect(abort.parentElement?.getAttribute('title')).toBe(
        '您没有对 dev-cluster/payments-dev/payments-api 的权限 canary.release.abort',
      ),
    );
    expect(abort).toBeDisabled();
  });

  it('starts a canary from the Chinese dialog', async () => {
    const finished = {
      phase: 'Succeeded' as const,
      canaryWeight: 0,
      canary: { images: ['registry.local/payments-api:1.4.2'] },
    };
    const api = fakeApi({
      entityReleases: jest.fn(async () => ({
        canaries: [summary(finished)],
        grayReleases: [],
        errors: [],
      })),
      details: jest.fn(async () => details(finished)),
    });
    await renderTab(api);
    expect(await screen.findByText('已成功')).toBeInTheDocument();
    const start = screen.getByRole('button', { name: '启动金丝雀发布' });
    await waitFor(() => expect(start).toBeEnabled());
    await userEvent.click(start);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('启动 payments-api 的金丝雀发布'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(
        '这是已经发布的镜像：请更换镜像（或设置新的 CI 修订版本）',
      ),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('为空时使用第一个容器'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText('Image')).not.toBeInTheDocument();
    fireEvent.change(within(dialog).getByRole('textbox', { name: '镜像' }), {
      target: { value: 'registry.local/payments-api:1.5.0' },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: '启动金丝雀发布' }),
    );
    expect(
      await screen.findByText(
        '已启动 registry.local/payments-api:1.5.0 的金丝雀发布',
      ),
    ).toBeInTheDocument();
  });

  it('explains in Chinese when the entity has no release', async () => {
    await renderTab(
      fakeApi({
        entityReleases: jest.fn(async () => ({
          canaries: [],
          grayReleases: [],
          errors: [],
        })),
      }),
    );
    expect(await screen.findByText('此实体没有发布')).toBeInTheDocument();
    expect(
      screen.queryByText('No releases for this entity'),
    ).not.toBeInTheDocument();
  });

  it('edits a gray release in Chinese', async () => {
    await renderTab(
      fakeApi({
        entityReleases: jest.fn(async () => ({
          canaries: [],
          grayReleases: [gray()],
          errors: [],
        })),
      }),
    );
    expect(
      await screen.findByText('灰度发布 payments-web'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('权重总和')).toHaveTextContent(
      '总和：100 / 100',
    );
    fireEvent.change(screen.getByLabelText('payments-web-v1 的权重'), {
      target: { value: '50' },
    });
    expect(
      screen.getByText('权重总和必须为 100（当前为 90）'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '预览差异' })).toBeDisabled();
    expect(
      screen.getByRole('button', { name: '添加请求头规则' }),
    ).toBeEnabled();
    expect(screen.queryByText('Header rules')).not.toBeInTheDocument();
  });
});
