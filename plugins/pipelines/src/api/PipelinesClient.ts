import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
} from '@kubemate/plugin-kubemate-react';
import type {
  PipelineRunSummary,
  PipelineRunsResponse,
  PipelinesResponse,
  StartRunRequest,
} from '@kubemate/plugin-pipelines-common';
import { PipelinesApi, RunRef } from './PipelinesApi';

const enc = encodeURIComponent;
const runPath = (r: RunRef) =>
  `/runs/${enc(r.cluster)}/${enc(r.namespace)}/${enc(r.name)}`;

export class PipelinesClient implements PipelinesApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'pipelines');
  }

  runs(entityRef: string) {
    return this.backend.json<PipelineRunsResponse>(
      `${entityPath(entityRef)}/runs`,
    );
  }
  pipelines(entityRef: string) {
    return this.backend.json<PipelinesResponse>(
      `${entityPath(entityRef)}/pipelines`,
    );
  }
  start(entityRef: string, body: StartRunRequest) {
    return this.backend.json<PipelineRunSummary>(
      `${entityPath(entityRef)}/runs`,
      { method: 'POST', body },
    );
  }
  rerun(run: RunRef) {
    return this.backend.json<PipelineRunSummary>(`${runPath(run)}/rerun`, {
      method: 'POST',
    });
  }
  cancel(run: RunRef) {
    return this.backend.json<PipelineRunSummary>(`${runPath(run)}/cancel`, {
      method: 'POST',
    });
  }
  async stepLog(run: RunRef, taskRun: string, step: string) {
    const res = await this.backend.fetch(
      `${runPath(run)}/logs?taskRun=${enc(taskRun)}&step=${enc(step)}`,
    );
    return res.text();
  }
}
