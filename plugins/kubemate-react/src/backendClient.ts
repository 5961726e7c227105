import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { responseError } from './errors';

/** `/entity/<kind>/<namespace>/<name>` of an entity ref, as the Kubemate backends route it. */
export function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  const enc = encodeURIComponent;
  return `/entity/${enc(kind.toLocaleLowerCase('en-US'))}/${enc(
    namespace,
  )}/${enc(name)}`;
}

/** Options of one call of {@link PluginBackendClient}. */
export interface BackendCallInit {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

/**
 * Calls of a plugin's backend (`discoveryApi.getBaseUrl(pluginId)` + `fetchApi`): JSON bodies,
 * and a failed response thrown as a ResponseError carrying the backend's own message.
 */
export class PluginBackendClient {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
    private readonly pluginId: string,
  ) {}

  /** The response of a successful call (status 2xx). */
  async fetch(path: string, init: BackendCallInit = {}): Promise<Response> {
    const base = await this.deps.discoveryApi.getBaseUrl(this.pluginId);
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method: init.method ?? 'GET',
      headers:
        init.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : undefined,
      body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
      signal: init.signal,
    });
    if (!res.ok) throw await responseError(res);
    return res;
  }

  /** The parsed JSON of a successful call; undefined for 204 No Content. */
  async json<T>(path: string, init?: BackendCallInit): Promise<T> {
    const res = await this.fetch(path, init);
    if (res.status === 204) return undefined as T;
    return res.json();
  }
}
