import { createHash, timingSafeEqual } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import {
  ClusterRegistryService,
  toBackstageError,
} from '@kubemate/plugin-kubemate-node';
import { FlaggerGateHandler } from './FlaggerGateHandler';
import { CANARIES, CanaryObject, revisionOf } from './flagger';
import { GateStore } from './types';
import { withTimeout } from './timeout';

/** Constant-time comparison of two secrets (of any length). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/**
 * Answers Flagger's gate webhooks: the webhook's `metadata.token` must equal
 * `kubemate.canary.gateToken` (401 otherwise, and always when no token is configured); the
 * cluster must be one the portal knows (400). The gate's revision is the Canary's
 * `status.lastAppliedSpec`, read with the portal's identity (Flagger's `checksum` cannot be
 * recomputed outside Go); the store records that Flagger asked and says whether it is open.
 */
export class DefaultFlaggerGateHandler implements FlaggerGateHandler {
  constructor(
    private readonly options: {
      gateToken?: string;
      clusters: ClusterRegistryService;
      store: GateStore;
      logger?: LoggerService;
      timeoutMs?: number;
    },
  ) {}

  async handle(
    cluster: string,
    gate: 'confirm-rollout' | 'confirm-promotion' | 'rollback',
    payload: {
      name: string;
      namespace: string;
      phase?: string;
      checksum?: string;
      metadata?: Record<string, string>;
    },
  ): Promise<boolean> {
    const { gateToken, clusters, store, logger } = this.options;
    const token = payload.metadata?.token;
    if (!gateToken) {
      throw new AuthenticationError(
        'Gate webhooks are disabled: kubemate.canary.gateToken is not configured',
      );
    }
    if (!token) {
      throw new AuthenticationError('metadata.token is missing');
    }
    if (!tokensEqual(token, gateToken)) {
      throw new AuthenticationError('metadata.token is not the gate token');
    }
    if (!clusters.listClusters().some(c => c.name === cluster)) {
      throw new InputError(`cluster: unknown cluster ${cluster}`);
    }
    let canary: CanaryObject;
    try {
      canary = (await withTimeout(
        clusters.portalClients(cluster).custom.getNamespacedCustomObject({
          ...CANARIES,
          namespace: payload.namespace,
          name: payload.name,
        }),
        this.options.timeoutMs,
        `Kubernetes cluster ${cluster}`,
      )) as CanaryObject;
    } catch (e) {
      throw toBackstageError(e, cluster);
    }
    const revision = revisionOf(canary);
    if (!revision) {
      throw new NotFoundError(
        `Canary ${payload.namespace}/${payload.name} in ${cluster} has no applied revision yet`,
      );
    }
    const open = await store.ask({
      cluster,
      namespace: payload.namespace,
      name: payload.name,
      type: gate,
      revision,
    });
    logger?.debug(
      `gate ${gate} of ${cluster}/${payload.namespace}/${
        payload.name
      }@${revision} (checksum ${payload.checksum}, phase ${payload.phase}): ${
        open ? 'open' : 'closed'
      }`,
    );
    return open;
  }
}
