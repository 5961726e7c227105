import type {
  FailedStep,
  PipelineRunSummary,
  PipelineSummary,
  RunStatus,
  StepSummary,
  TaskRunSummary,
} from '@kubemate/plugin-pipelines-common';
import { ENVIRONMENT_LABEL } from '@kubemate/plugin-pipelines-common';

/** A Tekton object as the API returns it (status fields appear as the controller fills them: read defensively). */
export interface TektonObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    creationTimestamp?: string;
  };
  spec?: any;
  status?: any;
}

export const TEKTON = { group: 'tekton.dev', version: 'v1' };

/** Tekton's Succeeded condition as a status. */
export function statusOf(obj: TektonObject): {
  status: RunStatus;
  reason?: string;
  message?: string;
} {
  const cond = (obj.status?.conditions ?? []).find(
    (c: any) => c.type === 'Succeeded',
  );
  if (
    obj.spec?.status === 'Cancelled' ||
    obj.spec?.status === 'CancelledRunFinally'
  ) {
    if (!cond || cond.status === 'Unknown')
      return { status: 'Cancelled', reason: 'Cancelling' };
  }
  if (!cond) return { status: 'Pending' };
  if (cond.status === 'True')
    return { status: 'Succeeded', reason: cond.reason, message: cond.message };
  if (cond.status === 'False') {
    const cancelled = /Cancelled/.test(cond.reason ?? '');
    return {
      status: cancelled ? 'Cancelled' : 'Failed',
      reason: cond.reason,
      message: cond.message,
    };
  }
  // Unknown: still going. Held (spec.status PipelineRunPending) or waiting for its pod is Pending.
  const waiting = ['PipelineRunPending', 'Pending'].includes(cond.reason);
  return {
    status: waiting ? 'Pending' : 'Running',
    reason: cond.reason,
    message: cond.message,
  };
}

/** A param value or default (string, array or object in Tekton) as text. */
const asString = (v: unknown) =>
  typeof v === 'string' ? v : JSON.stringify(v);

const paramsOf = (list: Array<{ name: string; value: unknown }> = []) =>
  Object.fromEntries(list.map(p => [p.name, asString(p.value)]));

function stepStatus(s: any): RunStatus {
  if (s.terminated) {
    // skipped after an earlier step failed, or stopped by a cancellation
    if (
      s.terminationReason === 'Skipped' ||
      s.terminationReason === 'Cancelled'
    )
      return 'Cancelled';
    return s.terminated.exitCode === 0 ? 'Succeeded' : 'Failed';
  }
  if (s.running) return 'Running';
  return 'Pending';
}

function toStep(s: any): StepSummary {
  return {
    name: s.name,
    container: s.container ?? `step-${s.name}`,
    status: stepStatus(s),
    reason: s.terminationReason ?? s.terminated?.reason,
    exitCode: s.terminated?.exitCode,
    startTime: s.terminated?.startedAt ?? s.running?.startedAt,
    completionTime: s.terminated?.finishedAt,
  };
}

export function toTaskRun(tr: TektonObject): TaskRunSummary {
  const { status, reason, message } = statusOf(tr);
  return {
    name: tr.metadata.name,
    pipelineTask: tr.metadata.labels?.['tekton.dev/pipelineTask'],
    status,
    reason,
    message,
    startTime: tr.status?.startTime,
    completionTime: tr.status?.completionTime,
    podName: tr.status?.podName,
    results: paramsOf(tr.status?.results),
    steps: (tr.status?.steps ?? []).map(toStep),
  };
}

/** The step whose failure failed the run: the earliest failing step of a failed TaskRun. */
export function failedStepOf(
  taskRuns: TaskRunSummary[],
): FailedStep | undefined {
  const failed = taskRuns
    .filter(tr => tr.status === 'Failed')
    .flatMap(tr =>
      tr.steps
        .filter(s => s.status === 'Failed' && s.reason !== 'Continued')
        .map(s => ({ tr, s })),
    )
    .sort((a, b) =>
      (a.s.completionTime ?? '').localeCompare(b.s.completionTime ?? ''),
    )[0];
  return (
    failed && {
      taskRun: failed.tr.name,
      pipelineTask: failed.tr.pipelineTask,
      step: failed.s.name,
      exitCode: failed.s.exitCode,
      message: failed.tr.message,
    }
  );
}

const tasksOf = (spec: any) =>
  (spec?.tasks ?? []).map((t: any) => ({
    name: String(t.name),
    runAfter: (t.runAfter ?? []).map(String),
  }));

export function toPipeline(
  cluster: string,
  pipeline: TektonObject,
): PipelineSummary {
  return {
    cluster,
    namespace: pipeline.metadata.namespace,
    name: pipeline.metadata.name,
    environment: pipeline.metadata.labels?.[ENVIRONMENT_LABEL],
    params: (pipeline.spec?.params ?? []).map((p: any) => ({
      name: String(p.name),
      type: p.type,
      description: p.description,
      default: p.default === undefined ? undefined : asString(p.default),
    })),
    tasks: tasksOf(pipeline.spec),
  };
}

export function toRun(
  cluster: string,
  run: TektonObject,
  pipeline: TektonObject | undefined,
  taskRuns: TektonObject[],
  now = Date.now(),
): PipelineRunSummary {
  const { status, reason, message } = statusOf(run);
  const start = run.status?.startTime ?? run.metadata.creationTimestamp;
  const end = run.status?.completionTime;
  const spec =
    pipeline?.spec ?? run.spec?.pipelineSpec ?? run.status?.pipelineSpec;
  const summaries = taskRuns.map(toTaskRun);
  return {
    cluster,
    namespace: run.metadata.namespace,
    name: run.metadata.name,
    pipeline: run.spec?.pipelineRef?.name,
    environment: run.metadata.labels?.[ENVIRONMENT_LABEL],
    status,
    reason,
    message,
    startTime: start,
    completionTime: end,
    durationSeconds: start
      ? Math.max(
          0,
          Math.round(
            ((end ? Date.parse(end) : now) - Date.parse(start)) / 1000,
          ),
        )
      : undefined,
    params: paramsOf(run.spec?.params),
    results: paramsOf(run.status?.results),
    rerunOf: run.metadata.labels?.['kubemate.io/rerun-of'],
    tasks: tasksOf(spec),
    taskRuns: summaries,
    failedStep: status === 'Failed' ? failedStepOf(summaries) : undefined,
  };
}
