import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { PluginBackendClient } from '@kubemate/plugin-kubemate-react';
import type {
  LocalStackLogResponse,
  LocalStackServersResponse,
} from '@kubemate/plugin-localstack-common';
import { LocalStackApi } from './LocalStackApi';

/** {@link LocalStackApi} over the routes of the localstack backend (its OpenAPI spec). */
export class LocalStackClient implements LocalStackApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'localstack');
  }

  servers() {
    return this.backend.json<LocalStackServersResponse>('/servers');
  }

  log(id: string, lines = 200) {
    return this.backend.json<LocalStackLogResponse>(
      `/servers/${encodeURIComponent(id)}/log?lines=${lines}`,
    );
  }
}
