import { useEffect } from 'react';
import { usePermissionGate } from '@kubemate/plugin-kubemate-react';
import {
  PipelineSummary,
  pipelinesRunStartPermission,
} from '@kubemate/plugin-pipelines-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import { keyOf } from '../../lib/runs';

/** Reports whether the user may start runs in the Pipeline's namespace (hooks cannot loop). */
export function StartProbe(props: {
  pipeline: PipelineSummary;
  onResult: (key: string, allowed: boolean | undefined) => void;
}) {
  const { pipeline, onResult } = props;
  const gate = usePermissionGate({
    permission: pipelinesRunStartPermission,
    resourceRef: clustersObjectRef({
      cluster: pipeline.cluster,
      namespace: pipeline.namespace,
    }),
  });
  const key = keyOf(pipeline);
  useEffect(() => {
    onResult(key, gate.loading ? undefined : gate.allowed);
  }, [key, gate.loading, gate.allowed, onResult]);
  return null;
}
