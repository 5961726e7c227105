import type {
  PipelineRunSummary,
  PipelineSummary,
  RunStatus,
  TaskRunSummary,
} from '@kubemate/plugin-pipelines-common';
import { ENVIRONMENT_LABEL } from '@kubemate/plugin-pipelines-common';

/** A Tekton object as the API returns it (the CRDs carry no schema here: read defensively). */
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
  return { status: 'Running', reason: cond.reason, message: cond.message };
}

/** A param value or default (string, array or object in Tekton) as text. */
const asString = (v: unknown) =>
  typeof v === 'string' ? v : JSON.stringify(v);

const paramsOf = (list: Array<{ name: string; value: unknown }> = []) =>
  Object.fromEntries(list.map(p => [p.name, asString(p.value)]));

function stepStatus(s: any): RunStatus {
  if (s.terminated) return s.terminated.exitCode === 0 ? 'Succeeded' : 'Failed';
  if (s.running) return 'Running';
  return 'Pending';
}

export function toTaskRun(tr: TektonObject): TaskRunSummary {
  return {
    name: tr.metadata.name,
    pipelineTask: tr.metadata.labels?.['tekton.dev/pipelineTask'],
    status: statusOf(tr).status,
    startTime: tr.status?.startTime,
    completionTime: tr.status?.completionTime,
    podName: tr.status?.podName,
    steps: (tr.status?.steps ?? []).map((s: any) => ({
      name: s.name,
      container: s.container ?? `step-${s.name}`,
      status: stepStatus(s),
    })),
  };
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
  const spec = pipeline?.spec ?? run.spec?.pipelineSpec;
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
    taskRuns: taskRuns.map(toTaskRun),
  };
}
