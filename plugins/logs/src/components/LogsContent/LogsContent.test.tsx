import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ServiceUnavailableError } from '@backstage/errors';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { LogLine } from '@kubemate/plugin-logs-common';
import { LogsApi, logsApiRef } from '../../api/LogsApi';
import { LogsContent } from './LogsContent';
import { ROW_HEIGHT } from '../LogList';
import zhHans from '../../translations/zh-Hans';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';

/*
 * Component tests with an in-memory LogsApi; the backend is tested against the real Loki
 * (plugins/logs-backend).
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

const TRACE = '7ccd0efad64cfea4e1b932323c32c467';
const base = BigInt(Date.now()) * 1_000_000n;
function makeLines(n: number): LogLine[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: `${base - BigInt(i) * 1_000_000n}`,
    line:
      i === 0
        ? `level=error msg="risk check timed out" status=504 trace_id=${TRACE}`
        : `level=info msg="payment accepted" n=${i}`,
    labels: {
      namespace: 'payments-dev',
      pod: 'payments-api-c4784464-r5dpv',
      app: 'payments-api',
      level: i === 0 ? 'error' : 'info',
    },
    ...(i === 0 ? { traceId: TRACE } : {}),
  }));
}

function fakeApi(overrides: Partial<LogsApi> = {}, n = 3): LogsApi {
  return {
    query: jest.fn(async req => ({
      resultType: 'streams' as const,
      lines: makeLines(n),
      effectiveQuery: `${req.query} (scoped)`,
      scope: ['payments-dev', 'payments-prod'],
      limited: false,
    })),
    volume: jest.fn(async () => ({
      resultType: 'matrix' as const,
      series: [
        {
          labels: { level: 'error' },
          points: [
            [1, 2],
            [2, 3],
          ] as Array<[number, number]>,
        },
        {
          labels: { level: 'info' },
          points: [
            [1, 20],
            [2, 30],
          ] as Array<[number, number]>,
        },
      ],
      effectiveQuery: 'v',
      scope: ['payments-dev'],
      step: 60,
    })),
    context: jest.fn(async () => ({
      before: [
        {
          ts: `${base - 5_000_000_000n}`,
          line: 'payment received',
          labels: {},
        },
      ],
      after: [
        { ts: `${base + 5_000_000_000n}`, line: 'next request', labels: {} },
      ],
    })),
    tail: jest.fn(),
    download: jest.fn(),
    ...overrides,
  };
}

async function renderTab(api: LogsApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[logsApiRef, api]]}>
      <EntityProvider entity={entity}>
        <LogsContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('LogsContent', () => {
  it('queries the entity, shows volume and lines, and opens a line with context and its trace', async () => {
    const api = fakeApi();
    await renderTab(api);
    expect(
      await screen.findByRole('list', { name: 'Log lines (3)' }),
    ).toBeInTheDocument();
    expect(api.query).toHaveBeenCalledWith(
      expect.objectContaining({
        query: '{app="payments-api"}',
        entityRef: 'component:default/payments-api',
      }),
    );
    expect(
      screen.getByRole('img', { name: 'Log volume: 55 lines in 2 buckets' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByText(/risk check timed out/));
    const details = await screen.findByRole('dialog', { name: 'Log line' });
    expect(
      within(details).getByRole('link', { name: /View trace 7ccd0efa/ }),
    ).toHaveAttribute(
      'href',
      expect.stringContaining(`/traces?traceId=${TRACE}`),
    );
    expect(within(details).getByText('504')).toBeInTheDocument(); // parsed field
    expect(
      await within(details).findByText(/payment received/),
    ).toBeInTheDocument();
    expect(within(details).getByText(/next request/)).toBeInTheDocument();
  });

  it('builds the query from level, filter and parser, and validates raw LogQL', async () => {
    const api = fakeApi();
    await renderTab(api);
    await screen.findByRole('list', { name: 'Log lines (3)' });
    await userEvent.type(screen.getByLabelText('Text'), 'timed out');
    expect(
      screen.getByText('{app="payments-api"} |= "timed out"'),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Run query' }));
    await waitFor(() =>
      expect(api.query).toHaveBeenLastCalledWith(
        expect.objectContaining({
          query: '{app="payments-api"} |= "timed out"',
        }),
      ),
    );
    await userEvent.click(screen.getByLabelText('Raw LogQL'));
    const raw = screen.getByLabelText('LogQL');
    await userEvent.clear(raw);
    await userEvent.type(raw, '{{app="x"');
    expect(screen.getByText(/^Syntax error at line 1/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Run query' })).toBeDisabled();
  });

  it('renders only the rows in view of 50,000 lines', async () => {
    await renderTab(fakeApi({}, 50_000));
    const list = await screen.findByRole('list', { name: 'Log lines (50000)' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.length).toBeLessThan(100);
    expect(list.firstElementChild).toHaveStyle(
      `height: ${50_000 * ROW_HEIGHT}px`,
    );
  });

  it('shows the 503 naming Loki', async () => {
    await renderTab(
      fakeApi({
        query: jest.fn(async () => {
          throw new ServiceUnavailableError(
            'Loki at http://127.0.0.1:3100 is unavailable: ECONNREFUSED',
          );
        }),
      }),
    );
    expect(
      await screen.findByText(
        'Error: Loki at http://127.0.0.1:3100 is unavailable: ECONNREFUSED',
      ),
    ).toBeInTheDocument();
  });
});

describe('LogsContent in Simplified Chinese', () => {
  async function renderZh(api: LogsApi) {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [logsApiRef, api],
          ...(translationTestApis('zh-Hans', [
            zhHans,
            kubemateReactZhHans,
          ]) as any),
        ]}
      >
        <EntityProvider entity={entity}>
          <LogsContent />
        </EntityProvider>
      </TestApiProvider>,
    );
  }

  it('shows the toolbar, volume, lines and line details in Chinese', async () => {
    await renderZh(fakeApi());
    expect(
      await screen.findByRole('list', { name: '日志行（3）' }),
    ).toBeInTheDocument();
    expect(screen.getByText('3 行')).toBeInTheDocument();
    expect(screen.getByText(/^发送给 Loki 的查询：/)).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: '日志量：55 行，分布于 2 个时间桶' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '运行查询' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '下载' })).toBeInTheDocument();
    expect(screen.getByLabelText('文本')).toBeInTheDocument();
    expect(screen.getByText('实时跟踪')).toBeInTheDocument();
    expect(screen.queryByText('Run query')).not.toBeInTheDocument();
    expect(screen.queryByText('Live tail')).not.toBeInTheDocument();

    await userEvent.click(screen.getByText(/risk check timed out/));
    const details = await screen.findByRole('dialog', { name: '日志行' });
    expect(
      within(details).getByRole('link', { name: /查看链路 7ccd0efa/ }),
    ).toBeInTheDocument();
    expect(
      within(details).getByText('上下文（同一日志流）'),
    ).toBeInTheDocument();
    expect(
      within(details).getByRole('button', { name: '关闭' }),
    ).toBeInTheDocument();
    expect(within(details).queryByText(/View trace/)).not.toBeInTheDocument();
  });

  it('explains a LogQL syntax error in Chinese', async () => {
    await renderZh(fakeApi());
    await screen.findByRole('list', { name: '日志行（3）' });
    await userEvent.click(screen.getByLabelText('原始 LogQL'));
    const raw = screen.getByLabelText('LogQL');
    expect(
      screen.getByText('后端会将其限定在此实体的命名空间内'),
    ).toBeInTheDocument();
    await userEvent.clear(raw);
    expect(screen.getByText('请输入LogQL 查询')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '运行查询' })).toBeDisabled();
  });
});
