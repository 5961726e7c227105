import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { responseError } from '@kubemate/plugin-kubemate-react';
import type {
  ApplyResponse,
  AuditResponse,
  ClusterOverview,
  ClustersResponse,
  EntityWorkloadsResponse,
  MutationResponse,
  WorkloadManifestResponse,
} from '@kubemate/plugin-clusters-common';
import {
  ClustersApi,
  LogOptions,
  EntityPodTarget,
  EntityWorkloadTarget,
} from './ClustersApi';

const enc = encodeURIComponent;

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entity/${enc(namespace)}/${enc(kind)}/${enc(name)}`;
}

function workloadPath(t: EntityWorkloadTarget, action: string): string {
  return `${entityPath(t.entityRef)}/workloads/${enc(t.cluster)}/${enc(
    t.namespace,
  )}/${t.resource}/${enc(t.name)}/${action}`;
}

function podPath(t: EntityPodTarget): string {
  return `${entityPath(t.entityRef)}/pods/${enc(t.cluster)}/${enc(
    t.namespace,
  )}/${enc(t.pod)}`;
}

function logQuery(options: LogOptions, follow: boolean): string {
  const q = new URLSearchParams();
  if (options.container) q.set('container', options.container);
  if (options.previous) q.set('previous', 'true');
  if (options.tailLines !== undefined)
    q.set('tailLines', String(options.tailLines));
  if (follow) q.set('follow', 'true');
  return q.toString();
}

export class ClustersClient implements ClustersApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async request(path: string, init?: RequestInit): Promise<Response> {
    const base = await this.deps.discoveryApi.getBaseUrl('clusters');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, init);
    if (!res.ok) {
      throw await responseError(res);
    }
    return res;
  }

  private async json<T>(path: string, init?: RequestInit): Promise<T> {
    return (await this.request(path, init)).json();
  }

  private post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.json<T>(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  getEntityWorkloads(entityRef: string) {
    return this.json<EntityWorkloadsResponse>(
      `${entityPath(entityRef)}/workloads`,
    );
  }

  async getPodLogs(target: EntityPodTarget, options: LogOptions) {
    return (
      await this.request(`${podPath(target)}/logs?${logQuery(options, false)}`)
    ).text();
  }

  async followPodLogs(
    target: EntityPodTarget,
    options: LogOptions,
    onChunk: (text: string) => void,
    signal: AbortSignal,
  ) {
    const res = await this.request(
      `${podPath(target)}/logs?${logQuery(options, true)}`,
      {
        signal,
      },
    );
    const reader = res.body?.getReader();
    if (!reader) {
      onChunk(await res.text());
      return;
    }
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        onChunk(decoder.decode(value, { stream: true }));
      }
    } catch (e) {
      if (!signal.aborted) throw e;
    }
  }

  getWorkloadManifest(target: EntityWorkloadTarget) {
    return this.json<WorkloadManifestResponse>(
      workloadPath(target, 'manifest'),
    );
  }

  apply(request: {
    entityRef: string;
    cluster: string;
    manifest: string;
    dryRun: boolean;
  }) {
    const { entityRef, ...body } = request;
    return this.post<ApplyResponse>(`${entityPath(entityRef)}/apply`, body);
  }

  scale(target: EntityWorkloadTarget, replicas: number) {
    return this.post<MutationResponse>(workloadPath(target, 'scale'), {
      replicas,
    });
  }

  restart(target: EntityWorkloadTarget) {
    return this.post<MutationResponse>(workloadPath(target, 'restart'));
  }

  rollback(target: EntityWorkloadTarget, revision?: number) {
    return this.post<MutationResponse>(
      workloadPath(target, 'rollback'),
      revision === undefined ? {} : { revision },
    );
  }

  deletePod(target: EntityPodTarget) {
    return this.json<MutationResponse>(podPath(target), { method: 'DELETE' });
  }

  listClusters() {
    return this.json<ClustersResponse>('/clusters');
  }

  getClusterOverview(cluster: string) {
    return this.json<ClusterOverview>(`/clusters/${enc(cluster)}/overview`);
  }

  getAudit(entityRef: string, limit = 50) {
    return this.json<AuditResponse>(
      `/audit?${new URLSearchParams({ entityRef, limit: String(limit) })}`,
    );
  }
}
