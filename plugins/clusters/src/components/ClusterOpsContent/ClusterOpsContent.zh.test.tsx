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
import { clustersApiRef } from '../../api/ClustersApi';
import { entity, fakeApi, workloads } from '../../__testUtils__/fixtures';
import zhHans from '../../translations/zh-Hans';
import { ClusterOpsContent } from './ClusterOpsContent';

describe('ClusterOpsContent in Simplified Chinese', () => {
  it('shows the tab and the scale dialog in Chinese', async () => {
    // a cluster of its own: usePermission caches decisions across tests
    const zhWorkloads = {
      ...workloads,
      clusters: [
        { ...workloads.clusters[0], cluster: 'zh-cluster' },
        workloads.clusters[1],
      ],
    };
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            clustersApiRef,
            fakeApi({ getEntityWorkloads: jest.fn(async () => zhWorkloads) }),
          ],
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
        <EntityProvider entity={entity}>
          <ClusterOpsContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('zh-cluster / payments-dev 中的工作负载'),
    ).toBeInTheDocument();
    expect(screen.getByText('Pod（1）')).toBeInTheDocument();
    expect(screen.getByText('最近的警告事件（1）')).toBeInTheDocument();
    expect(screen.getByText(/2 个集群上带有标签.*的对象/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '刷新' })).toBeInTheDocument();
    expect(screen.getAllByText('镜像').length).toBeGreaterThan(0);
    expect(screen.getByText(/无法读取集群 prod-cluster/)).toBeInTheDocument();
    // Kubernetes reasons stay as the cluster reports them
    expect(screen.getAllByText('CrashLoopBackOff').length).toBeGreaterThan(0);
    expect(screen.queryByText(/Workloads in/)).not.toBeInTheDocument();
    expect(screen.queryByText('Refresh')).not.toBeInTheDocument();

    const scale = screen.getByRole('button', {
      name: '扩缩容 payments-worker',
    });
    await waitFor(() => expect(scale).toBeEnabled());
    await userEvent.click(scale);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('zh-cluster / payments-dev：当前 1 个副本。'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('副本数')).toHaveValue('1');
    expect(
      within(dialog).getByRole('button', { name: '取消' }),
    ).toBeInTheDocument();
    expect(within(dialog).queryByText('Cancel')).not.toBeInTheDocument();
    await userEvent.clear(within(dialog).getByLabelText('副本数'));
    await userEvent.type(within(dialog).getByLabelText('副本数'), 'x');
    expect(
      within(dialog).getByText('0 到 1000 之间的整数'),
    ).toBeInTheDocument();
  });
});
