import { useState } from 'react';

/**
 * Runs an action from a button: `busy` while it runs, the failure's message in `error` (the
 * dialog stays open with what the user typed). `fail` shows a message without running anything.
 */
export function useSubmit<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, fail: setError };
}
