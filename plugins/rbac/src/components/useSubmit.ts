import { useState } from 'react';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';

/**
 * Runs an action from a button: `busy` while it runs, the failure's message in `error` (the
 * dialog stays open with what the user typed), in the app's language for a backend error code. `fail` shows a message without running anything.
 */
export function useSubmit<A extends unknown[]>(
  action: (...args: A) => Promise<void>,
) {
  const errorMessage = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const run = async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await action(...args);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, fail: setError };
}
