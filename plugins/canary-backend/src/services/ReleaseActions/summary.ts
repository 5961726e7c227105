import {
  CanaryPhase,
  GateState,
  HeaderMatch,
  ReleaseSummary,
  RevisionInfo,
} from '@kubemate/plugin-canary-common';
import { V1Deployment } from '@kubernetes/client-node';
import { CanaryObject } from '../Gates/flagger';

/** Flagger phases in which a release is under way (a new start is refused: 409). */
export const ACTIVE_PHASES: readonly string[] = [
  'Progressing',
  'Waiting',
  'WaitingPromotion',
  'Promoting',
  'Finalising',
];

/** Phases in which Flagger consults the rollback webhook (see its scheduler). */
export const ABORTABLE_PHASES: readonly string[] = [
  'Progressing',
  'WaitingPromotion',
];

const CI_REVISION_ANNOTATIONS = [
  'kubemate.io/revision',
  'tekton.dev/pipelineRun',
  'kubemate.io/git-commit',
];

/** The images and CI revision of a Deployment's pod template. */
export function revisionInfo(deployment?: V1Deployment): RevisionInfo {
  const template = deployment?.spec?.template;
  const annotations = template?.metadata?.annotations ?? {};
  const ciRevision = CI_REVISION_ANNOTATIONS.map(a => annotations[a]).find(
    Boolean,
  );
  return {
    images: (template?.spec?.containers ?? [])
      .map(c => c.image)
      .filter((i): i is string => Boolean(i)),
    ...(ciRevision ? { ciRevision } : {}),
  };
}

/** Flagger's A/B header matches of `analysis.match` as the API's header matches. */
export function headerMatches(canary: CanaryObject): HeaderMatch[] {
  const out: HeaderMatch[] = [];
  const match = ((canary.spec?.analysis as any)?.match ?? []) as Array<{
    headers?: Record<string, { exact?: string; regex?: string }>;
  }>;
  for (const m of match) {
    for (const [header, v] of Object.entries(m.headers ?? {})) {
      if (v.exact !== undefined) {
        out.push({ header, value: v.exact, type: 'Exact' });
      } else if (v.regex !== undefined) {
        out.push({ header, value: v.regex, type: 'RegularExpression' });
      }
    }
  }
  return out;
}

/** A release summary of a Canary as the actions return it (target and primary read too). */
export function summarize(
  cluster: string,
  canary: CanaryObject,
  options: {
    entityRef?: string;
    target?: V1Deployment;
    primary?: V1Deployment;
    gates: GateState[];
  },
): ReleaseSummary {
  const analysis = (canary.spec?.analysis ?? {}) as {
    stepWeight?: number;
    maxWeight?: number;
    threshold?: number;
  };
  const status = canary.status ?? {};
  const ready = status.conditions?.find(c => c.type === 'Promoted');
  const match = headerMatches(canary);
  return {
    kind: 'canary',
    cluster,
    namespace: canary.metadata.namespace,
    name: canary.metadata.name,
    ...(options.entityRef ? { entityRef: options.entityRef } : {}),
    target: canary.spec?.targetRef?.name ?? canary.metadata.name,
    phase: (status.phase ?? 'Initializing') as CanaryPhase,
    canaryWeight: status.canaryWeight ?? 0,
    ...(analysis.stepWeight !== undefined
      ? { stepWeight: analysis.stepWeight }
      : {}),
    ...(analysis.maxWeight !== undefined
      ? { maxWeight: analysis.maxWeight }
      : {}),
    iterations: status.iterations ?? 0,
    failedChecks: status.failedChecks ?? 0,
    ...(analysis.threshold !== undefined
      ? { threshold: analysis.threshold }
      : {}),
    ...(match.length ? { match } : {}),
    ...(status.lastTransitionTime
      ? { lastTransitionTime: status.lastTransitionTime }
      : {}),
    canary: revisionInfo(options.target),
    ...(options.primary ? { primary: revisionInfo(options.primary) } : {}),
    gates: options.gates,
    ...(ready?.message ? { message: ready.message } : {}),
  };
}
