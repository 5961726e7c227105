import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { TraceWaterfall } from '@kubemate/plugin-traces-common';
import { TracesApi, tracesApiRef } from '../../api/TracesApi';
import { TracesContent } from './TracesContent';
import zhHans from '../../translations/zh-Hans';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';

/* Component tests with an in-memory TracesApi; the backend is tested against the real Jaeger. */

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

const TRACE = '7ccd0efad64cfea4e1b932323c32c467';
const waterfall: TraceWaterfall = {
  traceId: TRACE,
  startTime: Date.now() * 1000,
  duration: 100_000,
  services: ['payments-api', 'risk-engine'],
  spans: [
    {
      spanId: 'a',
      depth: 0,
      service: 'payments-api',
      namespace: 'payments-dev',
      operation: 'POST /v1/payments',
      offset: 0,
      duration: 100_000,
      error: true,
      critical: true,
      redacted: false,
      tags: { 'http.route': '/v1/payments' },
      logs: [],
    },
    {
      spanId: 'b',
      parentSpanId: 'a',
      depth: 1,
      service: 'risk-engine',
      namespace: 'risk-dev',
      operation: '(hidden)',
      offset: 12_000,
      duration: 76_000,
      error: false,
      critical: true,
      redacted: true,
      tags: {},
      logs: [],
    },
  ],
};

function fakeApi(): TracesApi {
  return {
    search: jest.fn(async () => ({
      traces: [
        {
          traceId: TRACE,
          rootService: 'payments-api',
          rootOperation: 'POST /v1/payments',
          startTime: Date.now() * 1000,
          duration: 100_000,
          spanCount: 2,
          errorCount: 1,
          services: ['payments-api', 'risk-engine'],
        },
      ],
      scope: ['payments-*'],
    })),
    trace: jest.fn(async () => waterfall),
    dependencies: jest.fn(async () => ({
      edges: [
        { parent: 'payments-api', child: 'risk-engine', callCount: 819 },
        { parent: 'payments-api', child: 'payments-api', callCount: 10 },
      ],
    })),
  };
}

describe('TracesContent', () => {
  it('searches, opens a trace as a waterfall with the error and critical path, and links to its logs', async () => {
    const api = fakeApi();
    await renderInTestApp(
      <TestApiProvider apis={[[tracesApiRef, api]]}>
        <EntityProvider entity={entity}>
          <TracesContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: 'Traces' });
    expect(within(table).getByText('1 errors')).toBeInTheDocument();
    const graph = await screen.findByRole('table', { name: 'Service graph' });
    expect(within(graph).getByText('819')).toBeInTheDocument();
    expect(within(graph).getAllByRole('row')).toHaveLength(2); // header + one edge (no self-call)

    await userEvent.click(within(table).getByText(/POST \/v1\/payments/));
    const wf = await screen.findByRole('table', { name: 'Trace waterfall' });
    const rows = within(wf).getAllByRole('row');
    expect(rows.map(r => r.getAttribute('data-error'))).toEqual([
      'true',
      'false',
    ]);
    expect(rows.every(r => r.getAttribute('data-critical') === 'true')).toBe(
      true,
    );
    expect(
      screen.getByRole('link', { name: 'Logs for this trace' }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(`/logs?traceId=${TRACE}`),
    );
    await userEvent.click(within(rows[1]).getByText('(hidden)'));
    expect(
      screen.getByText(
        'This span ran in a namespace you may not read: its tags and logs are hidden.',
      ),
    ).toBeInTheDocument();
  });
});

describe('TracesContent in Simplified Chinese', () => {
  it('shows the search, the list, the waterfall and the service graph in Chinese', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [tracesApiRef, fakeApi()],
          ...(translationTestApis('zh-Hans', [
            zhHans,
            kubemateReactZhHans,
          ]) as any),
        ]}
      >
        <EntityProvider entity={entity}>
          <TracesContent />
        </EntityProvider>
      </TestApiProvider>,
    );
    const table = await screen.findByRole('table', { name: '链路' });
    expect(within(table).getByText('1 个错误')).toBeInTheDocument();
    expect(within(table).getByText('开始时间')).toBeInTheDocument();
    expect(screen.getByLabelText('操作名')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '搜索' })).toBeInTheDocument();
    expect(screen.getByText('仅错误')).toBeInTheDocument();
    const graph = await screen.findByRole('table', { name: '服务拓扑' });
    expect(within(graph).getByText('调用方')).toBeInTheDocument();
    expect(screen.queryByText('Errors only')).not.toBeInTheDocument();
    expect(screen.queryByText('Started')).not.toBeInTheDocument();

    await userEvent.click(within(table).getByText(/POST \/v1\/payments/));
    const wf = await screen.findByRole('table', { name: '链路瀑布图' });
    expect(screen.getByText('2 个跨度')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '查看此链路的日志' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '返回搜索' }),
    ).toBeInTheDocument();
    await userEvent.click(
      within(within(wf).getAllByRole('row')[1]).getByText('(hidden)'),
    );
    expect(
      screen.getByText(
        '此跨度运行在您无权读取的命名空间中：其标签和日志已隐藏。',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Back to search')).not.toBeInTheDocument();
  });
});

describe('parseTags', () => {
  it('reads key=value pairs and rejects anything else', () => {
    const { parseTags } = jest.requireActual('./TracesContent');
    expect(parseTags('http.route=/v1/refunds error=true')).toEqual({
      'http.route': '/v1/refunds',
      error: 'true',
    });
    expect(parseTags('')).toEqual({});
    expect(parseTags('oops')).toBeUndefined();
  });
});
