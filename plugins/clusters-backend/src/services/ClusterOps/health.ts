import {
  ContainerSummary,
  HealthStatus,
  HealthVerdict,
  PodSummary,
} from '@kubemate/plugin-clusters-common';
import { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

const SEVERITY: Record<HealthStatus, number> = { ok: 0, warning: 1, error: 2 };

export function worst(verdicts: HealthVerdict[]): HealthVerdict | undefined {
  let result: HealthVerdict | undefined;
  for (const v of verdicts) {
    if (!result || SEVERITY[v.status] > SEVERITY[result.status]) {
      result = v;
    }
  }
  return result;
}

function summarizeContainer(s: V1ContainerStatus): ContainerSummary {
  let state: ContainerSummary['state'] = 'unknown';
  if (s.state?.running) {
    state = 'running';
  } else if (s.state?.waiting) {
    state = 'waiting';
  } else if (s.state?.terminated) {
    state = 'terminated';
  }
  return {
    name: s.name,
    image: s.image,
    ready: s.ready,
    restartCount: s.restartCount ?? 0,
    state,
    reason: s.state?.waiting?.reason ?? s.state?.terminated?.reason,
    message: s.state?.waiting?.message ?? s.state?.terminated?.message,
    lastTerminationReason: s.lastState?.terminated?.reason,
    lastExitCode: s.lastState?.terminated?.exitCode,
  };
}

/** The health verdict of one pod, most severe condition first. */
export function podHealth(pod: V1Pod): HealthVerdict {
  const statuses = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ];
  for (const s of statuses) {
    const waiting = s.state?.waiting?.reason;
    if (waiting === 'CrashLoopBackOff') {
      const last = s.lastState?.terminated;
      return {
        status: 'error',
        reason: 'CrashLoopBackOff',
        message: `container ${s.name} is crash-looping (${
          s.restartCount
        } restarts${
          last
            ? `, last exit code ${last.exitCode}${
                last.reason ? ` ${last.reason}` : ''
              }`
            : ''
        })`,
      };
    }
    if (waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull') {
      return {
        status: 'error',
        reason: waiting,
        message: `container ${s.name} cannot pull image ${s.image}${
          s.state?.waiting?.message ? `: ${s.state.waiting.message}` : ''
        }`,
      };
    }
  }
  for (const s of statuses) {
    if (
      s.state?.terminated?.reason === 'OOMKilled' ||
      s.lastState?.terminated?.reason === 'OOMKilled'
    ) {
      return {
        status: 'error',
        reason: 'OOMKilled',
        message: `container ${s.name} was killed for exceeding its memory limit`,
      };
    }
  }
  const phase = pod.status?.phase;
  if (phase === 'Failed') {
    return {
      status: 'error',
      reason: 'Failed',
      message: pod.status?.message ?? pod.status?.reason,
    };
  }
  if (phase === 'Succeeded') {
    return { status: 'ok', reason: 'Completed' };
  }
  if (phase === 'Pending') {
    const scheduled = pod.status?.conditions?.find(
      c => c.type === 'PodScheduled',
    );
    if (scheduled?.status === 'False') {
      return {
        status: 'error',
        reason: 'Unschedulable',
        message: scheduled.message ?? 'the pod cannot be scheduled',
      };
    }
    return { status: 'warning', reason: 'Pending', message: 'pod is pending' };
  }
  if (pod.metadata?.deletionTimestamp) {
    return { status: 'warning', reason: 'NotReady', message: 'terminating' };
  }
  const notReady = statuses.filter(
    s => !s.ready && !(pod.status?.initContainerStatuses ?? []).includes(s),
  );
  if (phase !== 'Running' || notReady.length > 0) {
    return {
      status: 'warning',
      reason: 'NotReady',
      message: notReady.length
        ? `containers not ready: ${notReady.map(s => s.name).join(', ')}`
        : `phase ${phase ?? 'unknown'}`,
    };
  }
  const restarts = statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0);
  if (restarts > 0) {
    return {
      status: 'warning',
      reason: 'Restarting',
      message: `${restarts} container restarts`,
    };
  }
  return { status: 'ok', reason: 'Healthy' };
}

export function summarizePod(pod: V1Pod): PodSummary {
  const statuses = pod.status?.containerStatuses ?? [];
  const owner = pod.metadata?.ownerReferences?.find(o => o.controller);
  return {
    name: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    phase: pod.status?.phase,
    nodeName: pod.spec?.nodeName,
    podIP: pod.status?.podIP,
    createdAt: pod.metadata?.creationTimestamp
      ? new Date(pod.metadata.creationTimestamp).toISOString()
      : undefined,
    restarts: statuses.reduce((n, s) => n + (s.restartCount ?? 0), 0),
    ownerKind: owner?.kind,
    ownerName: owner?.name,
    containers: statuses.map(summarizeContainer),
    health: podHealth(pod),
  };
}

/** A workload's verdict: the worst pod verdict, or a rollout verdict from replica counts. */
export function workloadHealth(
  pods: PodSummary[],
  desired: number | undefined,
  ready: number | undefined,
): HealthVerdict {
  const fromPods = worst(pods.map(p => p.health));
  if (fromPods && fromPods.status === 'error') {
    return fromPods;
  }
  if (desired !== undefined && (ready ?? 0) < desired) {
    return (
      (fromPods?.status === 'warning' ? fromPods : undefined) ?? {
        status: 'warning',
        reason: 'Progressing',
        message: `${ready ?? 0}/${desired} replicas ready`,
      }
    );
  }
  return fromPods ?? { status: 'ok', reason: 'Healthy' };
}
