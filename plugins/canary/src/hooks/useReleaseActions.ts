import { useCallback, useState } from 'react';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';

/**
 * The outcome of the last action on a release: a success notice or the error. After a success
 * the views are re-read (`done`: reload and follow the release closely). `act(what, failed, fn)`:
 * `what` is the notice on success, `failed(message)` the error text (both translated by the
 * caller; the message is the error's in the user's language).
 */
export function useReleaseActions(done: () => void) {
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const errorMessage = useErrorMessage();

  const act = useCallback(
    async (
      what: string,
      failed: (message: string) => string,
      fn: () => Promise<unknown>,
    ): Promise<boolean> => {
      setActionError(undefined);
      setNotice(undefined);
      try {
        await fn();
        setNotice(what);
        done();
        return true;
      } catch (e) {
        setActionError(failed(errorMessage(e)));
        return false;
      }
    },
    [done, errorMessage],
  );
  return {
    act,
    actionError,
    clearActionError: () => setActionError(undefined),
    notice,
    clearNotice: () => setNotice(undefined),
  };
}
