import { useCallback, useState } from 'react';
import { CHECKING_PERMISSIONS } from '@kubemate/plugin-kubemate-react';
import {
  PipelineSummary,
  pipelinesRunStartPermission,
} from '@kubemate/plugin-pipelines-common';
import { keyOf } from '../lib/runs';

/**
 * Which of the entity's Pipelines the user may start runs of: one permission check per Pipeline
 * (rendered as `StartProbe`s, which report through `onProbe`, since hooks cannot loop); any
 * startable one enables "Start run". `startReason` is '' when it is enabled, else why not.
 */
export function useStartablePipelines(
  pipelineList: PipelineSummary[],
  pipelinesFailed: boolean,
) {
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
    startReason = 'This entity has no Pipeline you may see';
  } else if (probing) {
    startReason = CHECKING_PERMISSIONS;
  } else if (startablePipelines.length === 0) {
    startReason = `You do not have the permission ${pipelinesRunStartPermission.name} in the namespaces of this entity's Pipelines`;
  }
  return { onProbe, startablePipelines, startReason };
}
