/*
 * A small typed client of MLflow's REST API 2.0 (the tracking server of
 * `kubemate.finetuning.mlflow.url`): experiments, runs, params and metrics. Every call has a
 * deadline; MLflow down, hanging or failing is a 503 naming MLflow.
 */
import { NotFoundError } from '@backstage/errors';
import { fetchUpstream, Upstream } from '@kubemate/plugin-kubemate-node';

export interface MlflowRunInfo {
  run_id: string;
  run_name?: string;
  experiment_id: string;
  status: string;
  start_time?: number;
  end_time?: number;
  artifact_uri?: string;
  lifecycle_stage?: string;
}

export interface MlflowRun {
  info: MlflowRunInfo;
  data: {
    metrics?: Array<{
      key: string;
      value: number;
      timestamp: number;
      step?: number;
    }>;
    params?: Array<{ key: string; value: string }>;
    tags?: Array<{ key: string; value: string }>;
  };
}

export interface MlflowMetric {
  key: string;
  value: number;
  timestamp: number;
  step?: number;
}

export type MlflowRunStatus =
  | 'RUNNING'
  | 'SCHEDULED'
  | 'FINISHED'
  | 'FAILED'
  | 'KILLED';

const toPairs = (record: Record<string, string> = {}) =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

/** MLflow answers an unknown experiment or run with 404 or 400 RESOURCE_DOES_NOT_EXIST. */
const isMissing = (e: unknown) =>
  e instanceof NotFoundError ||
  /RESOURCE_DOES_NOT_EXIST/.test((e as Error)?.message ?? '');

export class MlflowClient {
  private readonly upstream: Upstream;

  constructor(options: { url: string; timeoutMs?: number }) {
    this.upstream = {
      name: 'MLflow',
      url: options.url.replace(/\/+$/, ''),
      timeoutMs: options.timeoutMs ?? 10_000,
    };
  }

  get url() {
    return this.upstream.url;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: Record<string, unknown>,
  ): Promise<T> {
    let url = `/api/2.0/mlflow/${path}`;
    if (method === 'GET' && body) {
      const query = new URLSearchParams();
      for (const [k, v] of Object.entries(body)) {
        if (v !== undefined) query.set(k, String(v));
      }
      url += `?${query}`;
    }
    const res = await fetchUpstream(this.upstream, url, {
      method,
      headers:
        method === 'POST' ? { 'content-type': 'application/json' } : undefined,
      body: method === 'POST' ? JSON.stringify(body ?? {}) : undefined,
      notFound: true,
      maxMessageLength: 500,
    });
    return (res.json<T>() ?? {}) as T;
  }

  /** The experiment's id, undefined when there is none of that name. */
  async getExperimentIdByName(name: string): Promise<string | undefined> {
    try {
      const r = await this.call<{ experiment: { experiment_id: string } }>(
        'GET',
        'experiments/get-by-name',
        { experiment_name: name },
      );
      return r.experiment.experiment_id;
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  /** The experiment of that name, created when missing (another replica may create it meanwhile). */
  async ensureExperiment(name: string): Promise<string> {
    const existing = await this.getExperimentIdByName(name);
    if (existing) return existing;
    try {
      const r = await this.call<{ experiment_id: string }>(
        'POST',
        'experiments/create',
        { name },
      );
      return r.experiment_id;
    } catch (e) {
      const again = await this.getExperimentIdByName(name);
      if (again) return again;
      throw e;
    }
  }

  async createRun(options: {
    experimentId: string;
    runName: string;
    tags?: Record<string, string>;
    startTime?: number;
  }): Promise<MlflowRunInfo> {
    const r = await this.call<{ run: MlflowRun }>('POST', 'runs/create', {
      experiment_id: options.experimentId,
      run_name: options.runName,
      start_time: options.startTime ?? Date.now(),
      tags: toPairs(options.tags),
    });
    return r.run.info;
  }

  /** The run; NotFoundError when MLflow does not have it. */
  async getRun(runId: string): Promise<MlflowRun> {
    try {
      const r = await this.call<{ run: MlflowRun }>('GET', 'runs/get', {
        run_id: runId,
      });
      return r.run;
    } catch (e) {
      if (isMissing(e)) {
        throw new NotFoundError(`MLflow has no run ${runId}`);
      }
      throw e;
    }
  }

  async updateRun(
    runId: string,
    status: MlflowRunStatus,
    endTime: number = Date.now(),
  ): Promise<void> {
    await this.call('POST', 'runs/update', {
      run_id: runId,
      status,
      ...(status === 'RUNNING' || status === 'SCHEDULED'
        ? {}
        : { end_time: endTime }),
    });
  }

  async searchRuns(options: {
    experimentIds: string[];
    filter?: string;
    maxResults?: number;
  }): Promise<MlflowRun[]> {
    const r = await this.call<{ runs?: MlflowRun[] }>('POST', 'runs/search', {
      experiment_ids: options.experimentIds,
      filter: options.filter,
      max_results: options.maxResults ?? 100,
    });
    return r.runs ?? [];
  }

  async logBatch(
    runId: string,
    batch: {
      params?: Record<string, string>;
      metrics?: MlflowMetric[];
      tags?: Record<string, string>;
    },
  ): Promise<void> {
    await this.call('POST', 'runs/log-batch', {
      run_id: runId,
      params: toPairs(batch.params),
      metrics: batch.metrics ?? [],
      tags: toPairs(batch.tags),
    });
  }

  /** Every point of a metric (pages of `pageSize` followed to the end), ordered by step then time. */
  async metricHistory(
    runId: string,
    key: string,
    pageSize = 5000,
  ): Promise<MlflowMetric[]> {
    const out: MlflowMetric[] = [];
    let pageToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const r = await this.call<{
        metrics?: MlflowMetric[];
        next_page_token?: string;
      }>('GET', 'metrics/get-history', {
        run_id: runId,
        metric_key: key,
        max_results: pageSize,
        page_token: pageToken,
      });
      out.push(...(r.metrics ?? []));
      pageToken = r.next_page_token;
      if (!pageToken) break;
    }
    return out.sort(
      (a, b) => (a.step ?? 0) - (b.step ?? 0) || a.timestamp - b.timestamp,
    );
  }

  async deleteRun(runId: string): Promise<void> {
    await this.call('POST', 'runs/delete', { run_id: runId });
  }
}
