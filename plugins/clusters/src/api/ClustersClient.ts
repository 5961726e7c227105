import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
} from '@kubemate/plugin-kubemate-react';
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

/** Client of the clusters backend (`/api/clusters`, routes of its `schema/openapi.yaml`). */
export class ClustersClient implements ClustersApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'clusters');
  }

  getEntityWorkloads(entityRef: string) {
    return this.backend.json<EntityWorkloadsResponse>(
      `${entityPath(entityRef)}/workloads`,
    );
  }

  async getPodLogs(target: EntityPodTarget, options: LogOptions) {
    return (
      await this.backend.fetch(
        `${podPath(target)}/logs?${logQuery(options, false)}`,
      )
    ).text();
  }

  async followPodLogs(
    target: EntityPodTarget,
    options: LogOptions,
    onChunk: (text: string) => void,
    signal: AbortSignal,
  ) {
    const res = await this.backend.fetch(
      `${podPath(target)}/logs?${logQuery(options, true)}`,
      { signal },
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
    return this.backend.json<WorkloadManifestResponse>(
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
    return this.backend.json<ApplyResponse>(`${entityPath(entityRef)}/apply`, {
      method: 'POST',
      body,
    });
  }

  scale(target: EntityWorkloadTarget, replicas: number) {
    return this.backend.json<MutationResponse>(workloadPath(target, 'scale'), {
      method: 'POST',
      body: { replicas },
    });
  }

  restart(target: EntityWorkloadTarget) {
    return this.backend.json<MutationResponse>(
      workloadPath(target, 'restart'),
      { method: 'POST' },
    );
  }

  rollback(target: EntityWorkloadTarget, revision?: number) {
    return this.backend.json<MutationResponse>(
      workloadPath(target, 'rollback'),
      { method: 'POST', body: revision === undefined ? {} : { revision } },
    );
  }

  deletePod(target: EntityPodTarget) {
    return this.backend.json<MutationResponse>(podPath(target), {
      method: 'DELETE',
    });
  }

  listClusters() {
    return this.backend.json<ClustersResponse>('/clusters');
  }

  getClusterOverview(cluster: string) {
    return this.backend.json<ClusterOverview>(
      `/clusters/${enc(cluster)}/overview`,
    );
  }

  getAudit(entityRef: string, limit = 50) {
    return this.backend.json<AuditResponse>(
      `/audit?${new URLSearchParams({ entityRef, limit: String(limit) })}`,
    );
  }
}
