import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
} from '@kubemate/plugin-kubemate-react';
import type {
  CapacityResponse,
  CreateQuotaRequest,
  DecideQuotaRequest,
  EntityGpuResponse,
  IdleGpusResponse,
  QueuesResponse,
  QuotaRequest,
  QuotaRequestsResponse,
  QuotaRequestStatus,
  TeamQueue,
  UpdateQueueRequest,
  UtilizationResponse,
  WorkloadsResponse,
} from '@kubemate/plugin-gpu-common';
import { GpuApi, UtilizationGroupBy, WorkloadFilter } from './GpuApi';

const enc = encodeURIComponent;

/** `?a=1&b=2` of the defined values, '' when none. */
function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** {@link GpuApi} over the routes of the gpu backend (its OpenAPI spec). */
export class GpuClient implements GpuApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'gpu');
  }

  capacity(cluster?: string) {
    return this.backend.json<CapacityResponse>(
      `/capacity${query({ cluster })}`,
    );
  }
  queues(cluster?: string) {
    return this.backend.json<QueuesResponse>(`/queues${query({ cluster })}`);
  }
  updateQueue(cluster: string, name: string, body: UpdateQueueRequest) {
    return this.backend.json<TeamQueue>(
      `/queues/${enc(cluster)}/${enc(name)}`,
      {
        method: 'PATCH',
        body,
      },
    );
  }
  workloads(filter: WorkloadFilter = {}) {
    return this.backend.json<WorkloadsResponse>(
      `/workloads${query({
        cluster: filter.cluster,
        namespace: filter.namespace,
        state: filter.state,
        queue: filter.queue,
      })}`,
    );
  }
  utilization(groupBy: UtilizationGroupBy, minutes: number) {
    return this.backend.json<UtilizationResponse>(
      `/utilization${query({ groupBy, minutes })}`,
    );
  }
  idle() {
    return this.backend.json<IdleGpusResponse>('/idle');
  }
  requests(status?: QuotaRequestStatus) {
    return this.backend.json<QuotaRequestsResponse>(
      `/requests${query({ status })}`,
    );
  }
  createRequest(body: CreateQuotaRequest) {
    return this.backend.json<QuotaRequest>('/requests', {
      method: 'POST',
      body,
    });
  }
  decideRequest(id: string, body: DecideQuotaRequest) {
    return this.backend.json<QuotaRequest>(`/requests/${enc(id)}/decision`, {
      method: 'POST',
      body,
    });
  }
  cancelRequest(id: string) {
    return this.backend.json<QuotaRequest>(`/requests/${enc(id)}/cancel`, {
      method: 'POST',
    });
  }
  entity(entityRef: string, minutes?: number) {
    return this.backend.json<EntityGpuResponse>(
      `${entityPath(entityRef)}${query({ minutes })}`,
    );
  }
}
