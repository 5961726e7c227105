import { gpusText } from './format';
import type { GpuT } from '../translation';
import type {
  CreateQuotaRequest,
  QueuesResponse,
  QuotaRequest,
  TeamQueue,
} from '@kubemate/plugin-gpu-common';

/** A namespace a quota request may be for: it has a LocalQueue of a team ClusterQueue. */
export interface RequestTarget {
  cluster: string;
  namespace: string;
  clusterQueue: string;
  team?: string;
  /** Flavors the request may ask for, with the ClusterQueue's nominal GPUs of each. */
  flavors: Array<{ name: string; product?: string; nominal?: number }>;
}

/** The namespaces (of the queues the user sees) a request may be for, by cluster. */
export function requestTargets(queues: QueuesResponse): RequestTarget[] {
  const out: RequestTarget[] = [];
  for (const q of queues.queues) {
    const clusterFlavors = queues.flavors.filter(f => f.cluster === q.cluster);
    const flavors = q.flavors.length
      ? q.flavors.map(f => ({
          name: f.flavor,
          product:
            f.product ?? clusterFlavors.find(c => c.name === f.flavor)?.product,
          nominal: f.nominal,
        }))
      : clusterFlavors.map(f => ({ name: f.name, product: f.product }));
    for (const lq of q.localQueues) {
      if (
        out.some(t => t.cluster === q.cluster && t.namespace === lq.namespace)
      )
        continue;
      out.push({
        cluster: q.cluster,
        namespace: lq.namespace,
        clusterQueue: q.name,
        team: q.team,
        flavors,
      });
    }
  }
  return out.sort(
    (a, b) =>
      a.cluster.localeCompare(b.cluster) ||
      a.namespace.localeCompare(b.namespace),
  );
}

/** The request form's values as typed. */
export interface RequestDraft {
  cluster: string;
  namespace: string;
  flavor: string;
  gpus: string;
  durationHours: string;
  reason: string;
}

export type RequestField = keyof RequestDraft;

/** The limits the backend applies (from `QuotaRequestsResponse`). */
export interface RequestLimits {
  selfServiceLimit: number;
  maxGpus: number;
  maxHours: number;
}

export interface RequestValidation {
  errors: Partial<Record<RequestField, string>>;
  /** The request to send, when there is no error. */
  body?: CreateQuotaRequest;
}

const INTEGER = /^\s*\d+\s*$/;
const NUMBER = /^\s*(\d+(\.\d*)?|\.\d+)\s*$/;

/**
 * Checks a draft the way the backend does (the backend checks again and its 400 is shown on the
 * field it names): a known cluster, a namespace with a LocalQueue there, a flavor of its
 * ClusterQueue, GPUs a whole number from 1 to `maxGpus`, a period above 0 up to `maxHours`, a
 * reason.
 */
export function validateRequest(
  draft: RequestDraft,
  targets: RequestTarget[],
  limits: RequestLimits,
  t: GpuT,
): RequestValidation {
  const errors: RequestValidation['errors'] = {};
  const inCluster = targets.filter(x => x.cluster === draft.cluster);
  if (!draft.cluster) errors.cluster = t('form.errors.chooseCluster');
  else if (!inCluster.length) {
    errors.cluster = t('form.errors.noQueueInCluster', {
      cluster: draft.cluster,
    });
  }
  const target = inCluster.find(x => x.namespace === draft.namespace);
  if (!draft.namespace) errors.namespace = t('form.errors.chooseNamespace');
  else if (!target && !errors.cluster) {
    errors.namespace = t('form.errors.noLocalQueue', {
      namespace: draft.namespace,
      cluster: draft.cluster,
    });
  }
  if (!draft.flavor) errors.flavor = t('form.errors.chooseFlavor');
  else if (target && !target.flavors.some(f => f.name === draft.flavor)) {
    errors.flavor = t('form.errors.notAFlavor', {
      flavor: draft.flavor,
      queue: target.clusterQueue,
    });
  }
  const gpus = Number(draft.gpus);
  if (!draft.gpus.trim()) errors.gpus = t('form.errors.howManyGpus');
  else if (!INTEGER.test(draft.gpus) || gpus < 1) {
    errors.gpus = t('form.errors.wholeGpus');
  } else if (gpus > limits.maxGpus) {
    errors.gpus = t('form.errors.maxGpus', { max: String(limits.maxGpus) });
  }
  const hours = Number(draft.durationHours);
  if (!draft.durationHours.trim()) {
    errors.durationHours = t('form.errors.howManyHours');
  } else if (!NUMBER.test(draft.durationHours) || !(hours > 0)) {
    errors.durationHours = t('form.errors.hoursAboveZero');
  } else if (hours > limits.maxHours) {
    errors.durationHours = t('form.errors.maxHours', {
      max: String(limits.maxHours),
      days: String(Math.floor(limits.maxHours / 24)),
    });
  }
  if (!draft.reason.trim()) {
    errors.reason = t('form.errors.reason');
  }
  if (Object.keys(errors).length) return { errors };
  return {
    errors,
    body: {
      cluster: draft.cluster,
      namespace: draft.namespace,
      flavor: draft.flavor,
      gpus,
      durationHours: hours,
      reason: draft.reason.trim(),
    },
  };
}

const SERVER_FIELDS: RequestField[] = [
  'durationHours',
  'namespace',
  'cluster',
  'flavor',
  'reason',
  'gpus',
];

/** The field a backend 400 names first (`gpus: …`, `unknown flavor h100 in dev-cluster`), if any. */
export function fieldOfServerError(message: string): RequestField | undefined {
  let best: { field: RequestField; at: number } | undefined;
  for (const field of SERVER_FIELDS) {
    const at = message.search(new RegExp(`(?<![\\w-])${field}(?![\\w-])`, 'i'));
    if (at >= 0 && (!best || at < best.at)) best = { field, at };
  }
  return best?.field;
}

/** Whether a request of `gpus` waits for an approver under the self-service limit. */
export const needsApproval = (gpus: number, limits: RequestLimits) =>
  gpus > limits.selfServiceLimit;

/** The sentence explaining the self-service limit, in the app's language. */
export function selfServiceText(limits: RequestLimits, t: GpuT): string {
  const max = gpusText(t, limits.maxGpus);
  const hours = String(limits.maxHours);
  return limits.selfServiceLimit > 0
    ? t('form.selfService', {
        selfService: gpusText(t, limits.selfServiceLimit),
        max,
        hours,
      })
    : t('form.noSelfService', { max, hours });
}

/** The nominal quota a request changes, before and after it is applied. */
export function nominalChange(
  request: QuotaRequest,
  queues: TeamQueue[],
): { before?: number; after?: number } {
  const queue = queues.find(
    q => q.cluster === request.cluster && q.name === request.clusterQueue,
  );
  const before = queue?.flavors.find(f => f.flavor === request.flavor)?.nominal;
  return {
    before,
    after: before === undefined ? undefined : before + request.gpus,
  };
}
