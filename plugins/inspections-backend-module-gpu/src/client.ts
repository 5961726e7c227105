import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import type { IdleGpusResponse } from '@kubemate/plugin-gpu-common';
import { fetchUpstream } from '@kubemate/plugin-kubemate-node';

/** Where the idle GPUs come from: the gpu backend's `GET /api/gpu/idle`. */
export interface IdleGpuSource {
  /** The idle GPUs of every cluster; undefined when the gpu plugin is not installed (404). */
  idle(signal?: AbortSignal): Promise<IdleGpusResponse | undefined>;
}

/** A gpu backend that does not answer within this long is reported unavailable. */
const TIMEOUT_MS = 15_000;

/**
 * {@link IdleGpuSource} over discovery (`gpu`) with the inspections plugin's own service token:
 * the check runs on a schedule, for no user, and sees every namespace (the engine narrows the
 * findings to the run's scope). A 404 means the gpu plugin is not installed; a network failure,
 * a hang past the timeout or any other error status is a ServiceUnavailableError naming it.
 */
export class DefaultIdleGpuSource implements IdleGpuSource {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      timeoutMs?: number;
    },
  ) {}

  async idle(signal?: AbortSignal): Promise<IdleGpusResponse | undefined> {
    const url = await this.deps.discovery.getBaseUrl('gpu');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: await this.deps.auth.getOwnServiceCredentials(),
      targetPluginId: 'gpu',
    });
    try {
      const res = await fetchUpstream(
        {
          name: 'The GPU quota plugin',
          url,
          timeoutMs: this.deps.timeoutMs ?? TIMEOUT_MS,
        },
        '/idle',
        {
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
          },
          signal,
          notFound: true,
          errorMessage: text => {
            try {
              return JSON.parse(text)?.error?.message ?? text.trim();
            } catch {
              return text.trim();
            }
          },
          maxMessageLength: 500,
        },
      );
      return res.json<IdleGpusResponse>();
    } catch (e) {
      if ((e as Error).name === 'NotFoundError') return undefined;
      throw e;
    }
  }
}
