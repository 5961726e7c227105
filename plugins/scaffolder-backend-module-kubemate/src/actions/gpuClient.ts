import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import type {
  CreateQuotaRequest,
  QuotaRequest,
  QuotaRequestsResponse,
  QuotaRequestStatus,
} from '@kubemate/plugin-gpu-common';
import { fetchUpstream } from '@kubemate/plugin-kubemate-node';

/**
 * The gpu backend's quota request routes (`/api/gpu/requests`, the HTTP contract of
 * `@kubemate/plugin-gpu-common`) as the kubemate:gpu:* actions use them. Every call is made on
 * behalf of the user who runs the template: the gpu backend checks that user's gpu.capacity.read /
 * gpu.request.create on the namespace and audits the request under their name.
 */
export interface GpuClient {
  /**
   * The user's requests (of namespaces in their scope) and the backend's limits, among them the
   * self-service limit; undefined when the gpu plugin is not installed (its routes answer 404).
   */
  listRequests(
    options: { credentials: BackstageCredentials },
    status?: QuotaRequestStatus,
  ): Promise<QuotaRequestsResponse | undefined>;
  /** Files a quota request (201: `pending`, or `active` when the backend's policy approved it). */
  createRequest(
    request: CreateQuotaRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<QuotaRequest>;
}

/** A gpu backend that does not answer within this long is reported unavailable. */
const TIMEOUT_MS = 10_000;

/** The message of a Backstage error body (`{error: {message}}`), else the text itself. */
function messageOf(text: string): string {
  try {
    return JSON.parse(text)?.error?.message ?? text.trim();
  } catch {
    return text.trim();
  }
}

/** {@link GpuClient} over discovery (`gpu`) with an on-behalf-of token of the initiating user. */
export class DefaultGpuClient implements GpuClient {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      timeoutMs?: number;
    },
  ) {}

  async listRequests(
    options: { credentials: BackstageCredentials },
    status?: QuotaRequestStatus,
  ) {
    try {
      return await this.call<QuotaRequestsResponse>(
        options.credentials,
        'GET',
        `/requests${status ? `?status=${encodeURIComponent(status)}` : ''}`,
      );
    } catch (e) {
      if ((e as Error).name === 'NotFoundError') return undefined;
      throw e;
    }
  }

  createRequest(
    request: CreateQuotaRequest,
    options: { credentials: BackstageCredentials },
  ) {
    return this.call<QuotaRequest>(
      options.credentials,
      'POST',
      '/requests',
      request,
    );
  }

  /**
   * The parsed JSON answer. Errors name the GPU plugin: 400 InputError, 401/403 NotAllowedError,
   * 404 NotFoundError, 409 ConflictError (with the backend's message); unreachable, hanging or
   * failing (5xx) ServiceUnavailableError (kubemate-node's fetchUpstream).
   */
  private async call<T>(
    credentials: BackstageCredentials,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const url = await this.deps.discovery.getBaseUrl('gpu');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'gpu',
    });
    const res = await fetchUpstream(
      {
        name: 'The GPU quota plugin',
        url,
        timeoutMs: this.deps.timeoutMs ?? TIMEOUT_MS,
      },
      path,
      {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        rejected: { statuses: [400], what: 'the quota request' },
        notFound: true,
        errorMessage: (text, status) => {
          const message = messageOf(text);
          if (status === 401 || status === 403) {
            throw new NotAllowedError(`GPU quotas: ${message}`);
          }
          if (status === 409) throw new ConflictError(`GPU quotas: ${message}`);
          return message;
        },
      },
    );
    return res.json<T>();
  }
}
