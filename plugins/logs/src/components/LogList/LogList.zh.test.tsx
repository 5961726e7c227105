import { render, screen, within } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import {
  kubemateReactZhHans,
  translationTestApis,
} from '@kubemate/plugin-kubemate-react';
import type { LogLine } from '@kubemate/plugin-logs-common';
import zhHans from '../../translations/zh-Hans';
import { LogList } from './LogList';

const lines: LogLine[] = Array.from({ length: 1000 }, (_, i) => ({
  ts: `${1_764_700_000_123n * 1_000_000n - BigInt(i) * 1_000_000n}`,
  line: `level=info msg="request ${i} handled"`,
  labels: { namespace: 'payments-dev', pod: `pod-${i % 3}`, level: 'info' },
  ...(i % 2 === 0 ? { traceId: `${i}`.padStart(32, '0') } : {}),
}));

const apis = translationTestApis('zh-Hans', [
  zhHans,
  kubemateReactZhHans,
]) as any;

describe('LogList in Simplified Chinese', () => {
  it('labels the list and the trace markers in Chinese', () => {
    render(
      <TestApiProvider apis={apis}>
        <LogList lines={lines} height={220} onSelect={jest.fn()} />
      </TestApiProvider>,
    );
    const list = screen.getByRole('list', { name: '日志行（1000）' });
    const first = within(list).getAllByRole('listitem')[0];
    expect(first).toHaveTextContent('⧉ 链路');
    expect(within(first).getByTitle('此行关联了一条链路')).toBeInTheDocument();
    expect(list).not.toHaveTextContent('⧉ trace');
  });

  it('says there are no lines in Chinese', () => {
    render(
      <TestApiProvider apis={apis}>
        <LogList lines={[]} onSelect={jest.fn()} />
      </TestApiProvider>,
    );
    expect(
      screen.getByText('此时间范围内没有匹配此查询的日志行。'),
    ).toBeInTheDocument();
    expect(
      screen.queryByText('No log lines in this time range for this query.'),
    ).not.toBeInTheDocument();
  });
});
