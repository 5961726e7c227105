import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { responseError } from '@kubemate/plugin-kubemate-react';
import type {
  PipelineRunSummary,
  PipelineRunsResponse,
  PipelinesResponse,
  StartRunRequest,
} from '@kubemate/plugin-pipelines-common';
import { PipelinesApi, RunRef } from './PipelinesApi';

const enc = encodeURIComponent;

function entityPath(entityRef: string): string {
  const { kind, namespace, name } = parseEntityRef(entityRef);
  return `/entity/${enc(kind.toLocaleLowerCase('en-US'))}/${enc(
    namespace,
  )}/${enc(name)}`;
}

const runPath = (r: RunRef) =>
  `/runs/${enc(r.cluster)}/${enc(r.namespace)}/${enc(r.name)}`;

export class PipelinesClient implements PipelinesApi {
  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async fetch(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<Response> {
    const base = await this.deps.discoveryApi.getBaseUrl('pipelines');
    const res = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      headers:
        init?.body !== undefined
          ? { 'Content-Type': 'application/json' }
          : undefined,
      body: init?.body !== undefined ? JSON.stringify(init.body) : undefined,
    });
    if (!res.ok) throw await responseError(res);
    return res;
  }

  private async json<T>(
    path: string,
    init?: { method: string; body?: unknown },
  ): Promise<T> {
    return (await this.fetch(path, init)).json();
  }

  runs(entityRef: string) {
    return this.json<PipelineRunsResponse>(`${entityPath(entityRef)}/runs`);
  }
  pipelines(entityRef: string) {
    return this.json<PipelinesResponse>(`${entityPath(entityRef)}/pipelines`);
  }
  start(entityRef: string, body: StartRunRequest) {
    return this.json<PipelineRunSummary>(`${entityPath(entityRef)}/runs`, {
      method: 'POST',
      body,
    });
  }
  rerun(run: RunRef) {
    return this.json<PipelineRunSummary>(`${runPath(run)}/rerun`, {
      method: 'POST',
    });
  }
  cancel(run: RunRef) {
    return this.json<PipelineRunSummary>(`${runPath(run)}/cancel`, {
      method: 'POST',
    });
  }
  async stepLog(run: RunRef, taskRun: string, step: string) {
    const res = await this.fetch(
      `${runPath(run)}/logs?taskRun=${enc(taskRun)}&step=${enc(step)}`,
    );
    return res.text();
  }
}
