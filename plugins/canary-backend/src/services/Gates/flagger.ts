import { GateType } from '@kubemate/plugin-canary-common';

/** Flagger's Canary API. */
export const CANARIES = {
  group: 'flagger.app',
  version: 'v1beta1',
  plural: 'canaries',
};

/** A Flagger Canary as far as the actions and gates read it. */
export interface CanaryObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: {
    targetRef?: { apiVersion?: string; kind?: string; name: string };
    skipAnalysis?: boolean;
    service?: { name?: string; port?: number };
    analysis?: {
      webhooks?: Array<{
        name: string;
        type?: string;
        url: string;
        metadata?: Record<string, string>;
      }>;
    };
  };
  status?: {
    phase?: string;
    canaryWeight?: number;
    iterations?: number;
    failedChecks?: number;
    lastAppliedSpec?: string;
    lastPromotedSpec?: string;
    lastTransitionTime?: string;
    conditions?: Array<{ type: string; status: string; message?: string }>;
  };
}

/** The path of the portal's gate webhook for a cluster: `/api/canary/gates/<cluster>/<gate>`. */
export function gatePath(cluster: string, gate: GateType): string {
  return `/api/canary/gates/${encodeURIComponent(cluster)}/${gate}`;
}

/**
 * Whether the Canary declares the gate as a webhook of that type pointing at the portal's gate
 * route for its cluster (any host: the portal's address depends on where Flagger runs).
 */
export function declaresGate(
  canary: CanaryObject,
  cluster: string,
  gate: GateType,
): boolean {
  const path = gatePath(cluster, gate);
  return (canary.spec?.analysis?.webhooks ?? []).some(w => {
    if (w.type !== gate) return false;
    try {
      return new URL(w.url).pathname.replace(/\/+$/, '') === path;
    } catch {
      return false;
    }
  });
}

/**
 * The revision a gate belongs to: the Canary's `status.lastAppliedSpec` (Flagger's hash of the
 * target's pod template it is rolling out). Flagger's webhook `checksum` hashes it together
 * with the tracked configs in a Go-specific way, so the portal keys gates by the status field
 * both sides can read.
 */
export function revisionOf(canary: CanaryObject): string | undefined {
  return canary.status?.lastAppliedSpec || undefined;
}
