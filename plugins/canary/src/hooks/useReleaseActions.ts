import { useCallback, useState } from 'react';

/**
 * The outcome of the last action on a release: a success notice or the error. After a success
 * the views are re-read (`done`: reload and follow the release closely).
 */
export function useReleaseActions(done: () => void) {
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const act = useCallback(
    async (what: string, fn: () => Promise<unknown>): Promise<boolean> => {
      setActionError(undefined);
      setNotice(undefined);
      try {
        await fn();
        setNotice(what);
        done();
        return true;
      } catch (e) {
        setActionError(`${what} failed: ${(e as Error).message}`);
        return false;
      }
    },
    [done],
  );
  return {
    act,
    actionError,
    clearActionError: () => setActionError(undefined),
    notice,
    clearNotice: () => setNotice(undefined),
  };
}
