import { useCallback, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import {
  PipelineSummary,
  pipelinesRunStartPermission,
} from '@kubemate/plugin-pipelines-common';
import { keyOf } from '../lib/runs';
import { pipelinesTranslationRef } from '../translation';

/**
 * Which of the entity's Pipelines the user may start runs of: one permission check per Pipeline
 * (rendered as `StartProbe`s, which report through `onProbe`, since hooks cannot loop); any
 * startable one enables "Start run". `startReason` is '' when it is enabled, else why not.
 */
export function useStartablePipelines(
  pipelineList: PipelineSummary[],
  pipelinesFailed: boolean,
) {
  const { t } = useTranslationRef(pipelinesTranslationRef);
  const [startable, setStartable] = useState<
    Record<string, boolean | undefined>
  >({});
  const onProbe = useCallback(
    (key: string, allowed: boolean | undefined) =>
      setStartable(s => (s[key] === allowed ? s : { ...s, [key]: allowed })),
    [],
  );
  const startablePipelines = pipelineList.filter(p => startable[keyOf(p)]);
  const probing = pipelineList.some(p => startable[keyOf(p)] === undefined);
  let startReason = '';
  if (pipelinesFailed || pipelineList.length === 0) {
    startReason = t('start.noPipeline');
  } else if (probing) {
    startReason = t('start.checking');
  } else if (startablePipelines.length === 0) {
    startReason = t('start.denied', {
      permission: pipelinesRunStartPermission.name,
    });
  }
  return { onProbe, startablePipelines, startReason };
}
