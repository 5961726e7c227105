import { act, renderHook, waitFor } from '@testing-library/react';
import { usePolledAsync } from './usePolledAsync';

describe('usePolledAsync', () => {
  it('reads, polls while pollMs returns a number, and stops when it returns undefined', async () => {
    let n = 0;
    const fn = jest.fn(async () => ++n);
    const { result } = renderHook(() =>
      usePolledAsync(fn, [], v => (v !== undefined && v < 3 ? 10 : undefined)),
    );
    await waitFor(() => expect(result.current.value).toBe(3));
    expect(result.current.loading).toBe(false);
    await new Promise(r => setTimeout(r, 60));
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('keeps the last good value when a read fails, and retry() reads again', async () => {
    const answers: Array<() => Promise<string>> = [
      async () => 'first',
      async () => {
        throw new Error('upstream down');
      },
      async () => 'third',
    ];
    let i = 0;
    const fn = () => answers[i++]();
    const { result } = renderHook(() => usePolledAsync(fn, []));
    await waitFor(() => expect(result.current.value).toBe('first'));
    act(() => result.current.retry());
    await waitFor(() =>
      expect(result.current.error?.message).toBe('upstream down'),
    );
    expect(result.current.value).toBe('first');
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.value).toBe('third'));
    expect(result.current.error).toBeUndefined();
  });

  it('starts over without the previous value when deps change', async () => {
    const { result, rerender } = renderHook(
      ({ id }: { id: string }) =>
        usePolledAsync(async () => `value of ${id}`, [id]),
      { initialProps: { id: 'a' } },
    );
    await waitFor(() => expect(result.current.value).toBe('value of a'));
    rerender({ id: 'b' });
    await waitFor(() => expect(result.current.value).toBe('value of b'));
  });
});
