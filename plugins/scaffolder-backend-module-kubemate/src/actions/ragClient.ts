import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type {
  Collection,
  CreateCollectionRequest,
  UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';

/**
 * The knowledge assistant's collection routes (`/api/rag/collections`, the HTTP contract of
 * `@kubemate/plugin-rag-common`) as kubemate:rag:collection:create uses them. Every call is made
 * on behalf of the user who runs the template: the rag backend checks that user's own
 * rag.collection.* permission and audits the change under their name.
 */
export interface RagClient {
  /** The collection, or undefined when there is none of that name (or the user may not see it). */
  getCollection(
    name: string,
    options: { credentials: BackstageCredentials },
  ): Promise<Collection | undefined>;
  createCollection(
    request: CreateCollectionRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Collection>;
  updateCollection(
    name: string,
    request: UpdateCollectionRequest,
    options: { credentials: BackstageCredentials },
  ): Promise<Collection>;
}

/** A rag backend that does not answer within this long is reported unavailable. */
const TIMEOUT_MS = 10_000;

/** {@link RagClient} over discovery (`rag`) with an on-behalf-of token of the initiating user. */
export class DefaultRagClient implements RagClient {
  constructor(
    private readonly deps: {
      discovery: DiscoveryService;
      auth: AuthService;
      timeoutMs?: number;
    },
  ) {}

  getCollection(name: string, options: { credentials: BackstageCredentials }) {
    return this.call<Collection>(
      options.credentials,
      'GET',
      `/collections/${encodeURIComponent(name)}`,
    );
  }

  async createCollection(
    request: CreateCollectionRequest,
    options: { credentials: BackstageCredentials },
  ) {
    return (await this.call<Collection>(
      options.credentials,
      'POST',
      '/collections',
      request,
    ))!;
  }

  async updateCollection(
    name: string,
    request: UpdateCollectionRequest,
    options: { credentials: BackstageCredentials },
  ) {
    return (await this.call<Collection>(
      options.credentials,
      'PATCH',
      `/collections/${encodeURIComponent(name)}`,
      request,
    ))!;
  }

  /** The parsed JSON answer; undefined for a 404; Backstage errors for the rest. */
  private async call<T>(
    credentials: BackstageCredentials,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<T | undefined> {
    const base = await this.deps.discovery.getBaseUrl('rag');
    const { token } = await this.deps.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: 'rag',
    });
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(body ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.deps.timeoutMs ?? TIMEOUT_MS),
      });
    } catch (e) {
      const error = e as Error;
      throw new ServiceUnavailableError(
        error.name === 'TimeoutError'
          ? `The knowledge assistant (${base}) did not answer within ${
              this.deps.timeoutMs ?? TIMEOUT_MS
            } ms`
          : `The knowledge assistant (${base}) is unreachable: ${error.message}`,
      );
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (res.ok) return json as T;
    const message = json?.error?.message ?? (text || res.statusText);
    switch (res.status) {
      case 404:
        return undefined;
      case 400:
        throw new InputError(`Knowledge assistant: ${message}`);
      case 401:
      case 403:
        throw new NotAllowedError(`Knowledge assistant: ${message}`);
      case 409:
        throw new ConflictError(`Knowledge assistant: ${message}`);
      default:
        throw new ServiceUnavailableError(
          `The knowledge assistant answered ${res.status}: ${message}`,
        );
    }
  }
}
