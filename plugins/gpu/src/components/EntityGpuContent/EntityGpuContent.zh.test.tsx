import { screen } from '@testing-library/react';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { gpuApiRef } from '../../api';
import { fakeApi } from '../../__testUtils__/fixtures';
import zhHans from '../../translations/zh-Hans';
import { EntityGpuContent } from './EntityGpuContent';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
  spec: { type: 'service', owner: 'team-payments', lifecycle: 'production' },
};

const render = (api = fakeApi()) =>
  renderInTestApp(
    <EntityProvider entity={entity}>
      <EntityGpuContent />
    </EntityProvider>,
    {
      apis: [
        [gpuApiRef, api],
        mockApis.permission(),
        ...(translationTestApis('zh-Hans', [
          zhHans,
          kubemateReactZhHans,
        ]) as unknown as any[]),
      ] as any,
    },
  );

describe('EntityGpuContent in Simplified Chinese', () => {
  it("shows the entity's workloads, utilization and team queues in Chinese", async () => {
    await render();
    expect(
      await screen.findByText('GPU 工作负载（1 个；已分配 0 个 GPU）'),
    ).toBeInTheDocument();
    expect(screen.getByText('团队队列')).toBeInTheDocument();
    expect(screen.getAllByText('时间范围')[0]).toBeInTheDocument();
    expect(screen.getByText('原因 / 准入')).toBeInTheDocument();
    expect(screen.queryByText('Team queues')).toBeNull();
    expect(screen.queryByText(/GPU workloads \(/)).toBeNull();
  });

  it('shows the empty state in Chinese', async () => {
    await render(
      fakeApi({
        entity: jest.fn(async () => ({
          workloads: [],
          queues: [],
          errors: [],
        })),
      }),
    );
    expect(await screen.findByText('没有 GPU 工作负载')).toBeInTheDocument();
    expect(screen.queryByText('No GPU workloads')).toBeNull();
  });
});
