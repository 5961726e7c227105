import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import {
  entityPath,
  PluginBackendClient,
} from '@kubemate/plugin-kubemate-react';
import type {
  ChecksResponse,
  ClustersResponse,
  CreateExemptionRequest,
  CreateRunRequest,
  DecideExemptionRequest,
  EntityFindingsResponse,
  Exemption,
  ExemptionsResponse,
  ExemptionStatus,
  ExportFormat,
  RunDetails,
  RunDiff,
  RunsResponse,
  RunSummary,
} from '@kubemate/plugin-inspections-common';
import {
  ExemptionDecision,
  InspectionsApi,
  RunExport,
  RunsQuery,
} from './InspectionsApi';

const enc = encodeURIComponent;

/** `?a=1&b=2` of the defined values, '' when none. */
function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

const EXTENSIONS: Record<ExportFormat, string> = {
  json: 'json',
  csv: 'csv',
  junit: 'xml',
  html: 'html',
  pdf: 'pdf',
};

/** The file name of a `Content-Disposition: attachment; filename="..."` header. */
export function dispositionFilename(header: string | null): string | undefined {
  const m = header?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** {@link InspectionsApi} over the routes of the inspections backend (its OpenAPI spec). */
export class InspectionsClient implements InspectionsApi {
  private readonly backend: PluginBackendClient;

  constructor(deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.backend = new PluginBackendClient(deps, 'inspections');
  }

  checks() {
    return this.backend.json<ChecksResponse>('/checks');
  }
  clusters() {
    return this.backend.json<ClustersResponse>('/clusters');
  }
  runs(q: RunsQuery = {}) {
    return this.backend.json<RunsResponse>(`/runs${query({ ...q })}`);
  }
  createRun(body: CreateRunRequest) {
    return this.backend.json<RunSummary>('/runs', { method: 'POST', body });
  }
  run(id: string) {
    return this.backend.json<RunDetails>(`/runs/${enc(id)}`);
  }
  async exportRun(id: string, format: ExportFormat): Promise<RunExport> {
    // fetchApi adds the user's token: a plain link to the backend would be unauthenticated
    const res = await this.backend.fetch(
      `/runs/${enc(id)}/export${query({ format })}`,
    );
    return {
      blob: await res.blob(),
      filename:
        dispositionFilename(res.headers.get('Content-Disposition')) ??
        `inspection-${id}.${EXTENSIONS[format]}`,
    };
  }
  diff(base: string, head: string) {
    return this.backend.json<RunDiff>(`/diff${query({ base, head })}`);
  }
  exemptions(status?: ExemptionStatus) {
    return this.backend.json<ExemptionsResponse>(
      `/exemptions${query({ status })}`,
    );
  }
  requestExemption(body: CreateExemptionRequest) {
    return this.backend.json<Exemption>('/exemptions', {
      method: 'POST',
      body,
    });
  }
  decideExemption(
    id: string,
    decision: ExemptionDecision,
    body: DecideExemptionRequest,
  ) {
    return this.backend.json<Exemption>(`/exemptions/${enc(id)}/${decision}`, {
      method: 'POST',
      body,
    });
  }
  entityFindings(entityRef: string) {
    return this.backend.json<EntityFindingsResponse>(
      `${entityPath(entityRef)}/findings`,
    );
  }
}
