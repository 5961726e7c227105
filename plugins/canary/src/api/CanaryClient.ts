import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
} from '@kubemate/plugin-kubemate-react';
import type {
  GateState,
  GrayRelease,
  ReleaseDetails,
  ReleaseSeries,
  ReleasesOverviewResponse,
  ReleasesResponse,
  ReleaseSummary,
  ReleaseTarget,
  StartReleaseRequest,
  TrafficUpdateRequest,
  TrafficUpdateResponse,
} from '@kubemate/plugin-canary-common';
import { CanaryApi, UserGate } from './CanaryApi';

const enc = encodeURIComponent;
const targetPath = (t: ReleaseTarget) =>
  `${enc(t.cluster)}/${enc(t.namespace)}/${enc(t.name)}`;
const releasePath = (t: ReleaseTarget) => `/releases/${targetPath(t)}`;

/** {@link CanaryApi} over the routes of the canary backend (its OpenAPI spec). */
export class CanaryClient implements CanaryApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'canary');
  }

  entityReleases(entityRef: string) {
    return this.backend.json<ReleasesResponse>(
      `${entityPath(entityRef)}/releases`,
    );
  }
  overview(windowHours?: number) {
    return this.backend.json<ReleasesOverviewResponse>(
      windowHours === undefined
        ? '/releases'
        : `/releases?windowHours=${enc(String(windowHours))}`,
    );
  }
  details(target: ReleaseTarget) {
    return this.backend.json<ReleaseDetails>(releasePath(target));
  }
  series(target: ReleaseTarget, minutes?: number) {
    return this.backend.json<ReleaseSeries>(
      minutes === undefined
        ? `${releasePath(target)}/series`
        : `${releasePath(target)}/series?minutes=${enc(String(minutes))}`,
    );
  }
  start(target: ReleaseTarget, body: StartReleaseRequest) {
    return this.backend.json<ReleaseSummary>(`${releasePath(target)}/start`, {
      method: 'POST',
      body,
    });
  }
  approve(target: ReleaseTarget, gate: UserGate) {
    return this.backend.json<GateState>(`${releasePath(target)}/approve`, {
      method: 'POST',
      body: { gate },
    });
  }
  hold(target: ReleaseTarget, gate: UserGate) {
    return this.backend.json<GateState>(`${releasePath(target)}/hold`, {
      method: 'POST',
      body: { gate },
    });
  }
  promote(target: ReleaseTarget) {
    return this.backend.json<ReleaseSummary>(`${releasePath(target)}/promote`, {
      method: 'POST',
    });
  }
  abort(target: ReleaseTarget) {
    return this.backend.json<GateState>(`${releasePath(target)}/abort`, {
      method: 'POST',
    });
  }
  traffic(target: ReleaseTarget) {
    return this.backend.json<GrayRelease>(`/traffic/${targetPath(target)}`);
  }
  putTraffic(target: ReleaseTarget, body: TrafficUpdateRequest) {
    return this.backend.json<TrafficUpdateResponse>(
      `/traffic/${targetPath(target)}`,
      { method: 'PUT', body },
    );
  }
}
