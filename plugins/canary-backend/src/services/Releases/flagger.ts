import {
  CanaryPhase,
  HeaderMatch,
  ReleaseEvent,
  RevisionInfo,
  WeightPoint,
} from '@kubemate/plugin-canary-common';

/** Flagger's API group (Canary, MetricTemplate). */
export const FLAGGER = { group: 'flagger.app', version: 'v1beta1' };
/** Gateway API (HTTPRoute). */
export const GATEWAY = { group: 'gateway.networking.k8s.io', version: 'v1' };

/** The pod-template annotation that names the CI revision being rolled out. */
export const REVISION_ANNOTATION = 'kubemate.io/revision';

/** The portal's gate URLs (`<backend>/api/canary/gates/<cluster>/<gate>`). */
export const GATE_PATH = '/api/canary/gates/';

export interface ObjectMeta {
  name: string;
  namespace: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ kind: string; name: string; apiVersion?: string }>;
}

export interface FlaggerMetric {
  name: string;
  templateRef?: { name: string; namespace?: string };
  thresholdRange?: { min?: number; max?: number };
  /** Deprecated single threshold (max) of older Canaries. */
  threshold?: number;
  interval?: string;
  /** Inline query (older Canaries). */
  query?: string;
  templateVariables?: Record<string, string>;
}

export interface FlaggerWebhook {
  name: string;
  type?: string;
  url: string;
  metadata?: Record<string, string>;
}

/** The parts of a Flagger Canary the portal reads. */
export interface CanaryObject {
  metadata: ObjectMeta;
  spec: {
    targetRef: { kind?: string; name: string; apiVersion?: string };
    service?: { name?: string; port?: number; gatewayRefs?: unknown[] };
    skipAnalysis?: boolean;
    analysis?: {
      interval?: string;
      threshold?: number;
      stepWeight?: number;
      maxWeight?: number;
      iterations?: number;
      match?: Array<{
        headers?: Record<
          string,
          { exact?: string; regex?: string; prefix?: string }
        >;
      }>;
      metrics?: FlaggerMetric[];
      webhooks?: FlaggerWebhook[];
    };
  };
  status?: {
    phase?: CanaryPhase;
    canaryWeight?: number;
    iterations?: number;
    failedChecks?: number;
    lastAppliedSpec?: string;
    lastPromotedSpec?: string;
    lastTransitionTime?: string;
    conditions?: Array<{
      type: string;
      status: string;
      reason?: string;
      message?: string;
      lastTransitionTime?: string;
    }>;
  };
}

export interface MetricTemplateObject {
  metadata: ObjectMeta;
  spec: { provider?: { type?: string; address?: string }; query?: string };
}

/** The parts of a Deployment the portal reads. */
export interface DeploymentLike {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
  };
  spec?: {
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: {
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
      };
      spec?: { containers?: Array<{ name: string; image?: string }> };
    };
  };
}

/** The service name of a Canary (its apex Service; `spec.service.name` or the target's name). */
export function canaryServiceName(canary: CanaryObject): string {
  return canary.spec.service?.name || canary.spec.targetRef.name;
}

/** What a Deployment rolls out: its images and the CI revision of its pod template. */
export function revisionOf(deployment: DeploymentLike): RevisionInfo {
  const template = deployment.spec?.template;
  return {
    images: (template?.spec?.containers ?? [])
      .map(c => c.image)
      .filter((i): i is string => Boolean(i)),
    ciRevision: template?.metadata?.annotations?.[REVISION_ANNOTATION],
  };
}

/** Flagger's A/B header matches (`analysis.match`) as the API's HeaderMatch. */
export function canaryMatches(canary: CanaryObject): HeaderMatch[] | undefined {
  const out: HeaderMatch[] = [];
  for (const m of canary.spec.analysis?.match ?? []) {
    for (const [header, v] of Object.entries(m.headers ?? {})) {
      if (v.exact !== undefined) {
        out.push({ header, value: v.exact, type: 'Exact' });
      } else if (v.regex !== undefined) {
        out.push({ header, value: v.regex, type: 'RegularExpression' });
      } else if (v.prefix !== undefined) {
        out.push({
          header,
          value: `^${v.prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*`,
          type: 'RegularExpression',
        });
      }
    }
  }
  return out.length ? out : undefined;
}

/** The Canary's phase (Flagger writes none before it initialized it). */
export function phaseOf(canary: CanaryObject): CanaryPhase {
  return canary.status?.phase ?? 'Initializing';
}

/** The weight point of a Canary now. */
export function weightPointOf(canary: CanaryObject, at: Date): WeightPoint {
  return {
    at: at.toISOString(),
    canaryWeight: canary.status?.canaryWeight ?? 0,
    phase: phaseOf(canary),
  };
}

const toIso = (v: unknown): string | undefined => {
  if (v === undefined || v === null || v === '') return undefined;
  const d = new Date(v as string | Date);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
};

/** A Kubernetes core Event as the parts the portal reads (client objects or plain JSON). */
export interface KubeEventLike {
  metadata?: { uid?: string; name?: string; creationTimestamp?: unknown };
  involvedObject?: { kind?: string; name?: string; namespace?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: unknown;
  lastTimestamp?: unknown;
  eventTime?: unknown;
}

/** An event of Flagger with the key the history deduplicates it by (uid and count). */
export interface KeyedReleaseEvent extends ReleaseEvent {
  key?: string;
}

/**
 * A Canary's Event as a release event. The apiserver aggregates repeats of one event into one
 * object (count, lastTimestamp): each repeat is one occurrence, keyed `<uid>#<count>`.
 */
export function toReleaseEvent(e: KubeEventLike): KeyedReleaseEvent {
  const at =
    toIso(e.lastTimestamp) ??
    toIso(e.eventTime) ??
    toIso(e.firstTimestamp) ??
    toIso(e.metadata?.creationTimestamp) ??
    new Date(0).toISOString();
  const uid = e.metadata?.uid ?? e.metadata?.name;
  return {
    at,
    type: e.type === 'Warning' ? 'Warning' : 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    source: 'flagger',
    key: uid ? `${uid}#${e.count ?? 1}` : undefined,
  };
}

/** The latest condition message Flagger wrote. */
export function messageOf(canary: CanaryObject): string | undefined {
  const conditions = canary.status?.conditions ?? [];
  const promoted = conditions.find(c => c.type === 'Promoted');
  return (promoted ?? conditions[0])?.message;
}
