import { useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { useErrorMessage } from '@kubemate/plugin-kubemate-react';
import type { PipelineRunSummary } from '@kubemate/plugin-pipelines-common';
import { keyOf } from '../lib/runs';
import { pipelinesTranslationRef } from '../translation';

/** An action on runs whose outcome the tab announces. */
export type RunAction = 'start' | 'rerun' | 'cancel';

/**
 * The selected run and the outcome of the last action on runs (start, re-run, cancel): a success
 * notice naming the run (which becomes the selected one, and the runs are re-read) or the error.
 */
export function useRunActions(reload: () => void) {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const errorMessage = useErrorMessage();
  const [selectedKey, setSelectedKey] = useState<string | undefined>();
  const [actionError, setActionError] = useState<string>();
  const [notice, setNotice] = useState<string>();

  const doneText = (what: RunAction, run: string) => {
    if (what === 'start') return t('actions.runStarted', { run });
    if (what === 'rerun') return t('actions.rerunStarted', { run });
    return t('actions.cancelled', { run });
  };
  const failedText = (what: 'rerun' | 'cancel', message: string) =>
    what === 'rerun'
      ? t('actions.rerunFailed', { message })
      : t('actions.cancelFailed', { message });

  const succeeded = (what: RunAction, run: PipelineRunSummary) => {
    setNotice(doneText(what, run.name));
    setSelectedKey(keyOf(run));
    reload();
  };
  const act = async (
    what: 'rerun' | 'cancel',
    fn: () => Promise<PipelineRunSummary>,
  ) => {
    setActionError(undefined);
    setNotice(undefined);
    try {
      succeeded(what, await fn());
    } catch (e) {
      setActionError(failedText(what, errorMessage(e)));
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
