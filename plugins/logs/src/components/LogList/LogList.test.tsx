import { ReactElement, ReactNode } from 'react';
import {
  act,
  fireEvent,
  render as rtlRender,
  screen,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TestApiProvider } from '@backstage/test-utils';
import { translationTestApis } from '@kubemate/plugin-kubemate-react';
import type { LogLine } from '@kubemate/plugin-logs-common';
import { formatTs } from '../../lib/query';
import { LogList, OVERSCAN, ROW_HEIGHT, rowTime } from './LogList';

const base = 1_764_700_000_123n * 1_000_000n;
function makeLines(n: number): LogLine[] {
  return Array.from({ length: n }, (_, i) => ({
    ts: `${base - BigInt(i) * 1_000_000n}`,
    line: `level=info msg="request ${i} handled"`,
    labels: {
      namespace: 'payments-dev',
      pod: `pod-${i % 3}`,
      app: 'payments-api',
      level: i % 5 === 4 ? 'error' : 'info',
    },
    ...(i % 10 === 0 ? { traceId: `${i}`.padStart(32, '0') } : {}),
  }));
}

/** In English, with the translation APIs the list needs (rerender keeps them). */
const apis = translationTestApis('en', []) as any;
const Wrapper = ({ children }: { children?: ReactNode }) => (
  <TestApiProvider apis={apis}>{children}</TestApiProvider>
);
const render = (ui: ReactElement) => rtlRender(ui, { wrapper: Wrapper });

const HEIGHT = 220; // 10 rows in view
const rowIndexes = (list: HTMLElement) =>
  within(list)
    .getAllByRole('listitem')
    .map(r => Number(r.getAttribute('data-index')));

/** jsdom has no layout: scroll the list as the browser would, and tell it. */
function scrollTo(list: HTMLElement, top: number) {
  act(() => {
    list.scrollTop = top;
    fireEvent.scroll(list);
  });
}

describe('LogList', () => {
  const lines = makeLines(50_000);

  it('renders only a window of 50,000 rows: the view plus a small margin', () => {
    render(<LogList lines={lines} height={HEIGHT} onSelect={jest.fn()} />);
    const list = screen.getByRole('list', { name: 'Log lines (50000)' });
    expect(list.firstElementChild).toHaveStyle(
      `height: ${50_000 * ROW_HEIGHT}px`,
    );
    const shown = rowIndexes(list);
    expect(shown[0]).toBe(0);
    expect(shown).toHaveLength(HEIGHT / ROW_HEIGHT + OVERSCAN);
    expect(within(list).getByText(lines[0].line)).toBeInTheDocument();
    expect(within(list).queryByText(lines[100].line)).not.toBeInTheDocument();
  });

  it('renders the rows at the scroll position, positioned at their offset', () => {
    render(<LogList lines={lines} height={HEIGHT} onSelect={jest.fn()} />);
    const list = screen.getByRole('list', { name: 'Log lines (50000)' });
    scrollTo(list, 25_000 * ROW_HEIGHT);
    const shown = rowIndexes(list);
    expect(shown[0]).toBe(25_000 - OVERSCAN);
    expect(shown[shown.length - 1]).toBe(
      25_000 + HEIGHT / ROW_HEIGHT - 1 + OVERSCAN,
    );
    expect(shown.length).toBeLessThanOrEqual(
      HEIGHT / ROW_HEIGHT + 2 * OVERSCAN,
    );
    const row = within(list)
      .getByText(lines[25_000].line)
      .closest('[role=listitem]');
    expect(row).toHaveStyle(`transform: translateY(${25_000 * ROW_HEIGHT}px)`);
    expect(within(list).queryByText(lines[0].line)).not.toBeInTheDocument();

    scrollTo(list, 49_990 * ROW_HEIGHT);
    expect(rowIndexes(list).slice(-1)[0]).toBe(49_999);
  });

  it('follows a new height', () => {
    const { rerender } = render(
      <LogList lines={lines} height={HEIGHT} onSelect={jest.fn()} />,
    );
    const list = screen.getByRole('list');
    rerender(
      <LogList lines={lines} height={2 * HEIGHT} onSelect={jest.fn()} />,
    );
    expect(list).toHaveStyle(`height: ${2 * HEIGHT}px`);
    expect(rowIndexes(list)).toHaveLength((2 * HEIGHT) / ROW_HEIGHT + OVERSCAN);
  });

  it('shows time, pod, line, level and trace marker; a click selects the line', async () => {
    const onSelect = jest.fn();
    render(
      <LogList
        lines={lines}
        height={HEIGHT}
        selected={lines[1]}
        onSelect={onSelect}
      />,
    );
    const list = screen.getByRole('list');
    const [first, second] = within(list).getAllByRole('listitem');
    expect(first).toHaveTextContent(rowTime(lines[0].ts));
    expect(first).toHaveTextContent('pod-0');
    expect(first).toHaveTextContent('⧉ trace');
    expect(second).not.toHaveTextContent('⧉ trace');
    expect(within(second).getByRole('button')).toHaveAttribute(
      'aria-current',
      'true',
    );
    expect(within(first).getByRole('button')).not.toHaveAttribute(
      'aria-current',
    );
    expect(within(list).getAllByRole('listitem')[4]).toHaveAttribute(
      'data-level',
      'error',
    );
    await userEvent.click(within(list).getByText(lines[3].line));
    expect(onSelect).toHaveBeenCalledWith(lines[3]);
  });

  it('works by keyboard: Enter opens, arrows move between lines', async () => {
    const onSelect = jest.fn();
    render(<LogList lines={lines} height={HEIGHT} onSelect={onSelect} />);
    const list = screen.getByRole('list');
    within(list).getAllByRole('button')[0].focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(onSelect).toHaveBeenLastCalledWith(lines[2]);
    // the browser dispatches the scroll event before the next frame's callbacks
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(list.scrollTop).toBe(50_000 * ROW_HEIGHT - HEIGHT);
    fireEvent.scroll(list); // what the browser does after scrollTop was set
    await act(() => new Promise(r => requestAnimationFrame(r)));
    expect(document.activeElement?.closest('[role=listitem]')).toHaveAttribute(
      'data-index',
      '49999',
    );
    fireEvent.keyDown(document.activeElement!, { key: ' ' });
    expect(onSelect).toHaveBeenLastCalledWith(lines[49_999]);
  });

  it('says so when there are no lines', () => {
    render(<LogList lines={[]} onSelect={jest.fn()} />);
    expect(
      screen.getByText('No log lines in this time range for this query.'),
    ).toBeInTheDocument();
    expect(screen.queryByRole('list')).not.toBeInTheDocument();
  });

  it('formats times as formatTs does', () => {
    for (const ms of [
      0, 1_764_700_000_123, 1_764_720_000_007, 1_764_633_599_999,
    ])
      expect(rowTime(`${BigInt(ms) * 1_000_000n}`)).toBe(
        formatTs(`${BigInt(ms) * 1_000_000n}`),
      );
  });
});
