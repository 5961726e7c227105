import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import { clustersApiRef } from '../../api/ClustersApi';
import { fakeApi } from '../../__testUtils__/fixtures';
import zhHans from '../../translations/zh-Hans';
import { ClusterOverviewPage } from './ClusterOverviewPage';

const node = {
  name: 'dev-gpu-a1',
  ready: true,
  roles: ['worker'],
  labels: {},
  capacity: { cpu: 8000, memory: 32 * 1024 ** 3 },
  allocatable: { cpu: 8000, memory: 32 * 1024 ** 3, gpu: 2 },
  requests: { cpu: 2000, memory: 8 * 1024 ** 3, gpu: 1 },
  podCount: 12,
};

const api = fakeApi({
  listClusters: jest.fn(async () => ({
    clusters: [{ name: 'dev-cluster', url: 'https://127.0.0.1:6443' }],
  })),
  getClusterOverview: jest.fn(async (cluster: string) => ({
    cluster,
    nodes: [node, { ...node, name: 'dev-node-2', ready: false }],
    totals: {
      allocatable: { cpu: 16000, memory: 64 * 1024 ** 3 },
      requests: { cpu: 4000, memory: 16 * 1024 ** 3 },
    },
    namespaces: [{ name: 'payments-dev', podCount: 12 }],
    podsByPhase: { Running: 24 },
  })),
});

describe('ClusterOverviewPage', () => {
  it('shows the clusters, nodes and requests in English', async () => {
    await renderInTestApp(
      <TestApiProvider apis={[[clustersApiRef, api]]}>
        <ClusterOverviewPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('2 nodes, 1 namespaces'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('CPU requested: 4.0 / 16.0 (25%)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Memory requested: 16.0 GiB / 64.0 GiB (25%)'),
    ).toBeInTheDocument();
    expect(screen.getByText('NotReady')).toBeInTheDocument();
  });

  it('shows the page in Simplified Chinese', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [clustersApiRef, api],
          ...(translationTestApis('zh-Hans', [
            zhHans,
            kubemateReactZhHans,
          ]) as any),
        ]}
      >
        <ClusterOverviewPage />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('2 个节点，1 个命名空间'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText('节点、容量与资源申请量、命名空间和 Pod').length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByText('CPU 申请量：4.0 / 16.0（25%）'),
    ).toBeInTheDocument();
    expect(screen.getAllByText('就绪').length).toBeGreaterThan(0);
    expect(screen.getByText('未就绪')).toBeInTheDocument();
    expect(screen.getAllByLabelText('已申请 25%').length).toBeGreaterThan(0);
    expect(screen.queryByText(/requested/)).not.toBeInTheDocument();
    expect(screen.queryByText('NotReady')).not.toBeInTheDocument();
  });
});
