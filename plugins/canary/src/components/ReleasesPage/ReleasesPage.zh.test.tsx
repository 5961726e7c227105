import { fireEvent, screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { canaryApiRef } from '../../api/CanaryApi';
import { ReleasesPage } from './ReleasesPage';
import { fakeApi, summary } from '../../testing/fixtures';
import zhHans from '../../translations/zh-Hans';

describe('ReleasesPage in Chinese', () => {
  it('lists the releases with Chinese headings, phases and filters', async () => {
    const api = fakeApi({
      overview: jest.fn(async () => ({
        items: [summary({ phase: 'WaitingPromotion', canaryWeight: 50 })],
        errors: [{ cluster: 'edge-cluster', message: 'timeout after 10s' }],
      })),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [canaryApiRef, api],
          ...(translationTestApis('zh-Hans', [
            zhHans,
            kubemateReactZhHans,
          ]) as any),
        ]}
      >
        <ReleasesPage />
      </TestApiProvider>,
    );
    expect(await screen.findByText('发布（1 / 1）')).toBeInTheDocument();
    expect(
      screen.getByText('进行中、等待批准或失败的金丝雀发布'),
    ).toBeInTheDocument();
    expect(screen.getByText(/无法读取集群 edge-cluster/)).toBeInTheDocument();
    const row = screen
      .getByRole('link', { name: 'payments-api' })
      .closest('tr')!;
    expect(within(row).getByText('等待全量发布')).toBeInTheDocument();
    expect(within(row).getByText('50% / 50%')).toBeInTheDocument();
    expect(screen.getByText('等待中的门禁')).toBeInTheDocument();
    expect(screen.getByText('最近 7 天')).toBeInTheDocument();

    fireEvent.mouseDown(screen.getByRole('button', { name: '按阶段筛选' }));
    const list = screen.getByRole('listbox');
    expect(within(list).getByText('全部阶段')).toBeInTheDocument();
    expect(within(list).getByText('已失败')).toBeInTheDocument();

    for (const english of [
      'Releases (1 of 1)',
      'Waiting gate',
      'WaitingPromotion',
      'last 7 days',
    ]) {
      expect(screen.queryByText(english)).not.toBeInTheDocument();
    }
  });
});
