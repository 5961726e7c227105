import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
  responseError,
} from '@kubemate/plugin-kubemate-react';
import type {
  CompareResponse,
  Dataset,
  DatasetPreview,
  FinetuningJob,
  FinetuningJobDetails,
  FinetuningOptions,
  JobLogs,
  LaunchJobRequest,
  ListResponse,
  RunMetrics,
  ServedModel,
  ServeRequest,
  Sweep,
  SweepDetails,
  SweepRequest,
} from '@kubemate/plugin-finetuning-common';
import { DatasetUpload, FinetuningApi, JobFilter } from './FinetuningApi';

const PLUGIN_ID = 'finetuning';
const enc = encodeURIComponent;

/** `?a=1&b=2` of the defined values, '' when none. */
function query(params: Record<string, string | number | undefined>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${enc(k)}=${enc(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

/** {@link FinetuningApi} over the routes of the finetuning backend. */
export class FinetuningClient implements FinetuningApi {
  private readonly backend: PluginBackendClient;

  constructor(
    private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {
    this.backend = new PluginBackendClient(deps, PLUGIN_ID);
  }

  options(cluster?: string) {
    return this.backend.json<FinetuningOptions>(
      `/options${query({ cluster })}`,
    );
  }
  datasets(filter: { cluster?: string; namespace?: string } = {}) {
    return this.backend.json<ListResponse<Dataset>>(
      `/datasets${query(filter)}`,
    );
  }
  async uploadDataset(upload: DatasetUpload): Promise<Dataset> {
    const form = new FormData();
    const fields: Array<[string, string | undefined]> = [
      ['cluster', upload.cluster],
      ['namespace', upload.namespace],
      ['name', upload.name],
      ['description', upload.description],
      ['instructionField', upload.instructionField],
      ['responseField', upload.responseField],
      ['inputField', upload.inputField],
    ];
    // the fields before the file: the backend reads them before it streams the file
    for (const [k, v] of fields) if (v) form.append(k, v);
    form.append('file', upload.file, upload.file.name);
    const base = await this.deps.discoveryApi.getBaseUrl(PLUGIN_ID);
    // fetchApi adds the user's token; the browser sets the multipart boundary
    const res = await this.deps.fetchApi.fetch(`${base}/datasets`, {
      method: 'POST',
      body: form,
    });
    if (!res.ok) throw await responseError(res);
    return res.json();
  }
  previewDataset(id: string, limit?: number) {
    return this.backend.json<DatasetPreview>(
      `/datasets/${enc(id)}/preview${query({ limit })}`,
    );
  }
  deleteDataset(id: string) {
    return this.backend.json<void>(`/datasets/${enc(id)}`, {
      method: 'DELETE',
    });
  }
  jobs(filter: JobFilter = {}) {
    return this.backend.json<ListResponse<FinetuningJob>>(
      `/jobs${query({
        cluster: filter.cluster,
        namespace: filter.namespace,
        entityRef: filter.entityRef,
        sweepId: filter.sweepId,
        state: filter.state,
      })}`,
    );
  }
  launchJob(body: LaunchJobRequest) {
    return this.backend.json<FinetuningJob>('/jobs', { method: 'POST', body });
  }
  job(id: string) {
    return this.backend.json<FinetuningJobDetails>(`/jobs/${enc(id)}`);
  }
  logs(id: string, pod: string, tailLines?: number) {
    return this.backend.json<JobLogs>(
      `/jobs/${enc(id)}/logs${query({ pod, tailLines })}`,
    );
  }
  metrics(id: string) {
    return this.backend.json<RunMetrics>(`/jobs/${enc(id)}/metrics`);
  }
  cancelJob(id: string) {
    return this.backend.json<FinetuningJob>(`/jobs/${enc(id)}/cancel`, {
      method: 'POST',
    });
  }
  deleteJob(id: string) {
    return this.backend.json<void>(`/jobs/${enc(id)}`, { method: 'DELETE' });
  }
  compare(ids: string[]) {
    return this.backend.json<CompareResponse>(
      `/compare${query({ ids: ids.join(',') })}`,
    );
  }
  launchSweep(body: SweepRequest) {
    return this.backend.json<SweepDetails>('/sweeps', {
      method: 'POST',
      body,
    });
  }
  sweeps(filter: { cluster?: string; namespace?: string } = {}) {
    return this.backend.json<ListResponse<Sweep>>(`/sweeps${query(filter)}`);
  }
  sweep(id: string) {
    return this.backend.json<SweepDetails>(`/sweeps/${enc(id)}`);
  }
  serve(id: string, body: ServeRequest) {
    return this.backend.json<ServedModel>(`/jobs/${enc(id)}/serve`, {
      method: 'POST',
      body,
    });
  }
  models() {
    return this.backend.json<ListResponse<ServedModel>>('/models');
  }
  entityJobs(entityRef: string) {
    return this.backend.json<ListResponse<FinetuningJob>>(
      entityPath(entityRef),
    );
  }
}
