import { useState } from 'react';
import type { PipelineRunSummary } from '@kubemate/plugin-pipelines-common';
import { keyOf } from '../lib/runs';

/**
 * The selected run and the outcome of the last action on runs (start, re-run, cancel): a success
 * notice naming the run (which becomes the selected one, and the runs are re-read) or the error.
 */
export function useRunActions(reload: () => void) {
  const [selectedKey, setSelectedKey] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const succeeded = (what: string, run: PipelineRunSummary) => {
    setNotice(`${what}: ${run.name}`);
    setSelectedKey(keyOf(run));
    reload();
  };
  const act = async (what: string, fn: () => Promise<PipelineRunSummary>) => {
    setActionError(undefined);
    setNotice(undefined);
    try {
      succeeded(what, await fn());
    } catch (e) {
      setActionError(`${what} failed: ${(e as Error).message}`);
    }
  };
  return {
    selectedKey,
    select: (run: PipelineRunSummary) => setSelectedKey(keyOf(run)),
    act,
    succeeded,
    actionError,
    clearActionError: () => setActionError(undefined),
    notice,
    clearNotice: () => setNotice(undefined),
  };
}
