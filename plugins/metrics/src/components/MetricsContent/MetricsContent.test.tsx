import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { SWRConfig } from 'swr';
import type {
  GoldenSignalsResponse,
  MetricsAlert,
} from '@kubemate/plugin-metrics-common';
import { MetricsApi, metricsApiRef } from '../../api/MetricsApi';
import { MetricsContent } from './MetricsContent';
import { AlertsPage } from '../AlertsPage/AlertsPage';
import zhHans from '../../translations/zh-Hans';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';

/*
 * Component tests with an in-memory MetricsApi; the backend is tested against the real Thanos,
 * Alertmanager and apiservers (plugins/metrics-backend) and the whole path in e2e/metrics.spec.ts.
 */

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

const now = Math.floor(Date.now() / 1000);
const line = (ns: string, v: number) => ({
  name: ns,
  labels: { namespace: ns },
  points: [
    [now - 60, v],
    [now - 30, v * 1.1],
    [now, v * 0.9],
  ] as Array<[number, number]>,
});

const signals: GoldenSignalsResponse = {
  entityRef: 'component:default/payments-api',
  start: now - 3600,
  end: now,
  step: 15,
  maxSourceResolution: '0s',
  selector: 'service="payments-api"',
  scope: ['payments-*'],
  signals: [
    {
      signal: 'latency',
      title: 'Latency',
      unit: 'seconds',
      source: 'default',
      queries: ['q'],
      series: [line('p95 payments-dev', 0.08), line('p95 payments-prod', 0.05)],
    },
    {
      signal: 'traffic',
      title: 'Traffic',
      unit: 'requests/s',
      source: 'default',
      queries: ['q'],
      series: [line('payments-dev', 12)],
    },
    {
      signal: 'errors',
      title: 'Errors (5xx share)',
      unit: 'ratio',
      source: 'annotation',
      queries: ['q'],
      series: [],
      error: 'Thanos Query rejected the query: parse error',
    },
    {
      signal: 'saturation',
      title: 'Saturation (requests in flight)',
      unit: 'requests',
      source: 'default',
      queries: ['q'],
      series: [],
    },
  ],
  resources: [
    {
      resource: 'cpu',
      unit: 'cores',
      usage: [line('dev-cluster payments-dev', 0.2)],
      requests: { 'dev-cluster/payments-dev': 0.7 },
      limits: { 'dev-cluster/payments-dev': 0.7 },
    },
    {
      resource: 'memory',
      unit: 'bytes',
      usage: [],
      requests: {},
      limits: {},
    },
  ],
};

const alert: MetricsAlert = {
  fingerprint: 'f1',
  name: 'DemoHighErrorRate',
  severity: 'warning',
  state: 'active',
  silencedBy: [],
  inhibitedBy: [],
  startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
  labels: {
    alertname: 'DemoHighErrorRate',
    namespace: 'payments-dev',
    service: 'payments-api',
    severity: 'warning',
  },
  annotations: {},
  summary: 'payments-api in payments-dev answers 12% of requests with 5xx',
  runbookUrl: 'https://runbooks.example/high-error-rate',
};

function fakeApi(overrides: Partial<MetricsApi> = {}): MetricsApi {
  return {
    goldenSignals: jest.fn(async () => signals),
    queryRange: jest.fn(),
    entityAlerts: jest.fn(async () => ({
      alerts: [alert],
      scope: ['payments-*'],
    })),
    alerts: jest.fn(),
    silences: jest.fn(async () => []),
    createSilence: jest.fn(async req => ({
      id: 's1',
      matchers: req.matchers,
      startsAt: '',
      endsAt: '',
      createdBy: 'user:default/alice',
      comment: req.comment,
      state: 'active' as const,
    })),
    expireSilence: jest.fn(),
    ...overrides,
  };
}

async function renderTab(
  api: MetricsApi,
  authorize: (
    r: EvaluatePermissionRequest,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY = () =>
    AuthorizeResult.ALLOW,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [metricsApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <SWRConfig value={{ provider: () => new Map() }}>
        <EntityProvider entity={entity}>
          <MetricsContent />
        </EntityProvider>
      </SWRConfig>
    </TestApiProvider>,
  );
}

describe('MetricsContent', () => {
  it('draws the golden signals and resources, and says which failed and why', async () => {
    await renderTab(fakeApi());
    expect(
      await screen.findByRole('img', { name: 'Latency: 2 series, 3 points' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: 'Traffic: 1 series, 3 points' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Error: Errors (5xx share) could not be loaded'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Query from the entity annotation'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'Saturation (requests in flight): no data',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', {
        name: 'CPU usage vs requests/limits: 1 series, 3 points',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /step 15s · raw samples · your namespaces payments-\* · selector \{service="payments-api"\}/,
      ),
    ).toBeInTheDocument();
  });

  it('shows the 503 naming Thanos instead of charts when Thanos is down', async () => {
    await renderTab(
      fakeApi({
        goldenSignals: jest.fn(async () => {
          throw new ServiceUnavailableError(
            'Thanos Query at http://127.0.0.1:10904 is unavailable: ECONNREFUSED',
          );
        }),
      }),
    );
    expect(
      await screen.findByText(
        'Error: Thanos Query at http://127.0.0.1:10904 is unavailable: ECONNREFUSED',
      ),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('img', { name: /Latency/ }),
    ).not.toBeInTheDocument();
  });

  it('silences an alert with the chosen labels, duration and comment', async () => {
    const api = fakeApi();
    await renderTab(api);
    const row = (await screen.findByText('DemoHighErrorRate')).closest('tr')!;
    expect(within(row).getByText('5 min ago')).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: 'Runbook' })).toHaveAttribute(
      'href',
      'https://runbooks.example/high-error-rate',
    );
    const silence = within(row).getByRole('button', { name: 'Silence' });
    await waitFor(() => expect(silence).toBeEnabled());
    await userEvent.click(silence);
    const dialog = await screen.findByRole('dialog');
    const create = within(dialog).getByRole('button', {
      name: 'Create silence',
    });
    expect(create).toBeDisabled(); // no comment yet
    await userEvent.type(
      within(dialog).getByLabelText('Comment (why)'),
      'known issue, fix deploying',
    );
    await userEvent.click(create);
    await waitFor(() => expect(api.createSilence).toHaveBeenCalled());
    expect(api.createSilence).toHaveBeenCalledWith({
      matchers: [
        {
          name: 'alertname',
          value: 'DemoHighErrorRate',
          isRegex: false,
          isEqual: true,
        },
        {
          name: 'namespace',
          value: 'payments-dev',
          isRegex: false,
          isEqual: true,
        },
        {
          name: 'service',
          value: 'payments-api',
          isRegex: false,
          isEqual: true,
        },
      ],
      comment: 'known issue, fix deploying',
      durationMinutes: 60,
      entityRef: 'component:default/payments-api',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('keeps the silence form and shows the error when creating fails', async () => {
    const api = fakeApi({
      createSilence: jest.fn(async () => {
        throw new Error('You may not silence alerts of namespace payments-dev');
      }),
    });
    await renderTab(api);
    const row = (await screen.findByText('DemoHighErrorRate')).closest('tr')!;
    const silence = within(row).getByRole('button', { name: 'Silence' });
    await waitFor(() => expect(silence).toBeEnabled());
    await userEvent.click(silence);
    const dialog = await screen.findByRole('dialog');
    await userEvent.type(
      within(dialog).getByLabelText('Comment (why)'),
      'known issue',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Create silence' }),
    );
    expect(
      await within(dialog).findByText(
        'You may not silence alerts of namespace payments-dev',
      ),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('Comment (why)')).toHaveValue(
      'known issue',
    );
  });

  it('disables Silence with the reason when the user may not silence', async () => {
    await renderTab(fakeApi(), r =>
      r.permission.name === 'metrics.silence.create'
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
    );
    const row = (await screen.findByText('DemoHighErrorRate')).closest('tr')!;
    const silence = within(row).getByRole('button', { name: 'Silence' });
    await waitFor(() =>
      expect(silence.parentElement).toHaveAttribute(
        'title',
        'You do not have the permission metrics.silence.create on namespace payments-dev',
      ),
    );
    expect(silence).toBeDisabled();
  });

  it('validates PromQL with the Prometheus grammar before running it', async () => {
    await renderTab(fakeApi());
    await userEvent.click(
      await screen.findByRole('tab', { name: 'Explore (PromQL)' }),
    );
    const input = screen.getByLabelText('PromQL');
    expect(input).toHaveValue(
      'sum by (namespace) (rate(http_server_requests_total{service="payments-api"}[5m]))',
    );
    expect(screen.getByRole('button', { name: 'Run query' })).toBeEnabled();
    await userEvent.clear(input);
    await userEvent.type(input, 'sum(rate(up[5m])');
    expect(screen.getByText(/^Syntax error at line 1/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run query' })).toBeDisabled();
  });
});

describe('in Simplified Chinese', () => {
  const zhApis = () =>
    translationTestApis('zh-Hans', [zhHans, kubemateReactZhHans]) as any;

  async function renderZh(ui: React.ReactElement, api: MetricsApi) {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [metricsApiRef, api],
          [
            permissionApiRef,
            mockApis.permission({ authorize: () => AuthorizeResult.ALLOW }),
          ],
          ...zhApis(),
        ]}
      >
        <SWRConfig value={{ provider: () => new Map() }}>
          <EntityProvider entity={entity}>{ui}</EntityProvider>
        </SWRConfig>
      </TestApiProvider>,
    );
  }

  it('shows the Metrics tab, its charts and alerts in Chinese', async () => {
    await renderZh(<MetricsContent />, fakeApi());
    expect(
      await screen.findByRole('img', {
        name: '延迟：2 条序列，3 个数据点',
      }),
    ).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: '黄金指标' })).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: '探索（PromQL）' }),
    ).toBeInTheDocument();
    expect(screen.getByText('查询来自实体注解')).toBeInTheDocument();
    expect(
      screen.getByText(
        /步长 15s · 原始样本 · 您的命名空间 payments-\* · 选择器/,
      ),
    ).toBeInTheDocument();
    const row = (await screen.findByText('DemoHighErrorRate')).closest('tr')!;
    expect(within(row).getByText('5 分钟前')).toBeInTheDocument();
    expect(within(row).getByText('警告')).toBeInTheDocument();
    expect(
      within(row).getByRole('link', { name: '运维手册' }),
    ).toBeInTheDocument();
    expect(screen.getByText('严重程度')).toBeInTheDocument();
    expect(screen.queryByText('Golden signals')).not.toBeInTheDocument();
    expect(screen.queryByText('Severity')).not.toBeInTheDocument();
    expect(screen.queryByText('5 min ago')).not.toBeInTheDocument();
  });

  it('opens the silence dialog in Chinese', async () => {
    await renderZh(<MetricsContent />, fakeApi());
    const row = (await screen.findByText('DemoHighErrorRate')).closest('tr')!;
    const silence = within(row).getByRole('button', { name: '静默' });
    await waitFor(() => expect(silence).toBeEnabled());
    await userEvent.click(silence);
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText('静默 DemoHighErrorRate'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText('匹配带有以下标签的告警'),
    ).toBeInTheDocument();
    expect(within(dialog).getByLabelText('备注（原因）')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: '创建静默' }),
    ).toBeDisabled();
    expect(within(dialog).getByRole('button', { name: '取消' })).toBeEnabled();
    await userEvent.type(within(dialog).getByLabelText('备注（原因）'), 'x');
    expect(
      within(dialog).getByText('请至少用 3 个字符说明原因'),
    ).toBeInTheDocument();
    expect(
      within(dialog).queryByText('Create silence'),
    ).not.toBeInTheDocument();
  });

  it('explains a PromQL syntax error in Chinese', async () => {
    await renderZh(<MetricsContent />, fakeApi());
    await userEvent.click(
      await screen.findByRole('tab', { name: '探索（PromQL）' }),
    );
    expect(
      screen.getByText('PromQL 有效 — 按 Ctrl+Enter 运行'),
    ).toBeInTheDocument();
    const input = screen.getByLabelText('PromQL');
    await userEvent.clear(input);
    expect(screen.getByText('请输入PromQL 查询')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '运行查询' })).toBeDisabled();
    expect(screen.queryByText(/Syntax error|Enter a/)).not.toBeInTheDocument();
  });

  it('shows the alerts page with its silences in Chinese', async () => {
    await renderZh(
      <AlertsPage />,
      fakeApi({
        alerts: jest.fn(async () => ({ alerts: [], scope: 'all' as const })),
        silences: jest.fn(async () => [
          {
            id: 's1',
            matchers: [
              {
                name: 'namespace',
                value: 'payments-dev',
                isRegex: false,
                isEqual: true,
              },
            ],
            startsAt: new Date().toISOString(),
            endsAt: new Date(Date.now() + 3_600_000).toISOString(),
            createdBy: 'user:default/alice',
            comment: 'known issue',
            state: 'active' as const,
          },
        ]),
      }),
    );
    expect(await screen.findByText('没有正在触发的告警')).toBeInTheDocument();
    expect(
      screen.getByText('您可查看的命名空间中的 Alertmanager 告警和静默'),
    ).toBeInTheDocument();
    expect(await screen.findByText('known issue')).toBeInTheDocument();
    expect(screen.getByText('匹配条件')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '使过期' })).toBeInTheDocument();
    expect(screen.queryByText('Silences')).not.toBeInTheDocument();
    expect(screen.queryByText('No alerts firing')).not.toBeInTheDocument();
  });
});

describe('toRows', () => {
  it('merges series by timestamp and breaks lines at gaps longer than 1.5 steps', () => {
    const { toRows } = jest.requireActual('../charts/TimeSeriesChart');
    const rows = toRows(
      [
        {
          name: 'a',
          labels: {},
          points: [
            [0, 1],
            [15, 2],
            [90, 3],
          ],
        },
        { name: 'b', labels: {}, points: [[15, 5]] },
      ],
      15,
    );
    expect(rows).toEqual([
      { t: 0, s0: 1 },
      { t: 15, s0: 2, s1: 5 },
      { t: 30 },
      { t: 90, s0: 3 },
    ]);
  });
});
