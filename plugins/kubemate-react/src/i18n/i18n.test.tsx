/*
 * The shared components in both languages: English (no translation API at all, and the app's
 * English) and Simplified Chinese through the zh-Hans resource; the error message of a backend
 * code; dates and numbers in the chosen locale.
 */
import { render, screen } from '@testing-library/react';
import { renderHook } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { PropsWithChildren } from 'react';
import { ClusterErrorsPanel } from '../components/ClusterErrorsPanel';
import { CommentDecisionDialog } from '../components/CommentDecisionDialog';
import { TimeRangeControls } from '../components/TimeRangeControls';
import { useTimeRange } from '../hooks/useTimeRange';
import zhHans from '../translations/zh-Hans';
import { useErrorMessage } from './errors';
import { formattersFor, useAppLanguage } from './format';
import { translationTestApis } from './testing';

function inLanguage(language: string) {
  return ({ children }: PropsWithChildren<{}>) => (
    <TestApiProvider apis={translationTestApis(language, [zhHans]) as any}>
      {children}
    </TestApiProvider>
  );
}

function Controls() {
  const state = useTimeRange('1h');
  return <TimeRangeControls state={state} />;
}

function Dialog() {
  return (
    <CommentDecisionDialog
      open
      title="t"
      verb="v"
      commentRequired
      testIdPrefix="d"
      onClose={() => {}}
      onDecide={async () => {}}
    />
  );
}

describe('shared components in both languages', () => {
  it('show English without a translation API and in the app language en', () => {
    render(<ClusterErrorsPanel errors={[{ cluster: 'c1', message: 'm' }]} />);
    expect(
      screen.getByText(/Cluster c1 could not be read/),
    ).toBeInTheDocument();
    render(<Controls />, { wrapper: inLanguage('en') });
    expect(screen.getAllByText('Time range').length).toBeGreaterThan(0);
    expect(screen.getByLabelText('Refresh now')).toBeInTheDocument();
  });

  it('show Simplified Chinese with the zh-Hans resource', () => {
    const Wrapper = inLanguage('zh-Hans');
    render(
      <Wrapper>
        <ClusterErrorsPanel errors={[{ cluster: 'c1', message: 'm' }]} />
        <Controls />
        <Dialog />
      </Wrapper>,
    );
    expect(screen.getByText(/无法读取集群 c1/)).toBeInTheDocument();
    expect(screen.getAllByText('时间范围').length).toBeGreaterThan(0);
    expect(screen.getByText('最近 1 小时')).toBeInTheDocument();
    expect(screen.getByLabelText('立即刷新')).toBeInTheDocument();
    expect(screen.getByText(/^截至 /)).toBeInTheDocument();
    expect(screen.getByText('必填：请告诉申请人原因')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '取消' })).toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(
      /Time range|Refresh|Cancel|Comment|could not be read/,
    );
  });

  it('translates a backend error code with its parameters, else keeps the message', () => {
    const { result } = renderHook(() => useErrorMessage(), {
      wrapper: inLanguage('zh-Hans'),
    });
    const coded = Object.assign(
      new Error('Loki at http://x is unavailable: ECONNREFUSED'),
      {
        code: 'upstream_unavailable',
        params: { upstream: 'Loki', detail: 'ECONNREFUSED' },
      },
    );
    expect(result.current(coded)).toBe('Loki 不可用：ECONNREFUSED');
    expect(result.current(new Error('plain'))).toBe('plain');
  });

  it('formats in the app language', () => {
    const { result } = renderHook(() => useAppLanguage(), {
      wrapper: inLanguage('zh-Hans'),
    });
    expect(result.current).toBe('zh-Hans');
    const zh = formattersFor('zh-Hans');
    const en = formattersFor('en');
    expect(zh.number(1234567.5)).toBe('1,234,567.5');
    expect(zh.relative(Date.now() - 3 * 60_000)).toBe('3分钟前');
    expect(en.relative(Date.now() - 3 * 60_000)).toBe('3 minutes ago');
    expect(zh.duration(1500)).toMatch(/1\.5\s?秒/);
    expect(en.duration(90 * 60_000)).toBe('1.5 hr');
    expect(zh.date(Date.UTC(2026, 11, 2, 12))).toMatch(/2026年12月2日/);
  });
});
