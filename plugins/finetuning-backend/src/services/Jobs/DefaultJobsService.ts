import {
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  BaseModel,
  CompareResponse,
  Dataset,
  FINETUNING_DEMO_TAG,
  FINETUNING_JOB_LABEL,
  FINETUNING_MLFLOW_RUN_ANNOTATION,
  FINETUNING_OUTPUT_ANNOTATION,
  FINETUNING_SPEC_ANNOTATION,
  FINETUNING_UNTRAINED_TAG,
  FinetuningJob,
  FinetuningJobDetails,
  FinetuningJobSpec,
  finetuningJobCancelPermission,
  finetuningJobCreatePermission,
  finetuningJobReadPermission,
  finetuningModelServePermission,
  FinetuningOptions,
  FinetuningSourceError,
  Hyperparameters,
  JobAdapter,
  JobEvent,
  JobLogs,
  JobPod,
  LaunchJobRequest,
  ListResponse,
  PYTORCHJOB_API,
  RunMetrics,
  ServedModel,
  ServeRequest,
  Sweep,
  SweepDetails,
  SweepRequest,
} from '@kubemate/plugin-finetuning-common';
import {
  GPU_PRODUCT_LABEL,
  GPU_RESOURCE,
  GPU_TEAM_LABEL,
  KUEUE,
  KubeList,
  LocalQueueObject,
  parseQuantity,
  queuePositions,
  ResourceFlavorObject,
  WorkloadObject,
  workloadState,
} from '@kubemate/plugin-gpu-common';
import { clustersObjectRef } from '@kubemate/plugin-kubemate-common';
import {
  ClusterAuditService,
  ClusterRegistryService,
  fetchUpstream,
  KubernetesIdentityService,
  NamespaceScope,
  requireNamespaceScope,
  requirePermission,
  notConfigured,
} from '@kubemate/plugin-kubemate-node';
import type { V1Pod } from '@kubernetes/client-node';
import { randomBytes, randomUUID } from 'node:crypto';
import { actorOf, audited, inScope, requireOn } from '../../lib/access';
import { BaseModelConfig, FinetuningConfig } from '../../lib/config';
import { MlflowClient, MlflowRun } from '../../lib/mlflow';
import { FinetuningObjectStore } from '../../lib/objectStore';
import {
  buildPyTorchJob,
  gpuHours,
  jobState,
  JOB_NAME_POD_LABEL,
  KUBERNETES_ID_LABEL,
  PYTORCH_CONTAINER,
  PyTorchJobObject,
  replicaStatuses,
  REPLICA_INDEX_POD_LABEL,
  REPLICA_TYPE_POD_LABEL,
  workloadOfJob,
} from '../../lib/pytorchjob';
import { seedOf, SWEEP_PARAMETERS, sweepTrials } from '../../lib/sweep';
import {
  clustersOf,
  errorMessage,
  isNamed,
  kubeCall,
  perCluster,
} from '../../lib/upstream';
import { FinetuningMetrics } from '../Metrics';
import type { ServingService } from '../Serving/types';
import { DatabaseFinetuningStore, JobRecord } from '../Store';
import { JobsQuery, JobsService } from './types';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** Pods are named `<job>-worker-<n>`: keep the job name short enough for every pod name. */
const MAX_JOB_NAME = 40;
const FINISHED = new Set(['Succeeded', 'Failed', 'Cancelled']);
const ADAPTER_FILES = ['adapter_config.json', 'adapter_model.safetensors'];
const UNTRAINED_MARKER = 'KUBEMATE_UNTRAINED';
const MODEL_NAME = /^ft-[a-z0-9][a-z0-9._-]{0,99}$/;

export interface DefaultJobsServiceOptions {
  permissions: PermissionsService;
  clusters: ClusterRegistryService;
  identity: KubernetesIdentityService;
  audit: ClusterAuditService;
  logger: LoggerService;
  catalog?: CatalogService;
  store: DatabaseFinetuningStore;
  config: FinetuningConfig;
  mlflow?: MlflowClient;
  objects?: FinetuningObjectStore;
  serving?: ServingService;
  metrics: FinetuningMetrics;
  /** Deadline of one Kubernetes call (default 10 s). */
  timeoutMs?: number;
}

/** The live objects of one cluster a job's state is computed from. */
interface ClusterView {
  jobs: PyTorchJobObject[];
  workloads: WorkloadObject[];
  localQueues: LocalQueueObject[];
  positions: Map<string, number>;
}

const kueueList = <T>(list: unknown) => (list as KubeList<T>).items ?? [];

export class DefaultJobsService implements JobsService {
  constructor(private readonly deps: DefaultJobsServiceOptions) {}

  private get config() {
    return this.deps.config;
  }

  private kube<T>(cluster: string, promise: Promise<T>): Promise<T> {
    return this.deps.metrics.time(
      'kubernetes',
      kubeCall(cluster, promise, this.deps.timeoutMs),
    );
  }

  private mlflow(): MlflowClient {
    if (!this.deps.mlflow) {
      throw notConfigured(
        'MLflow',
        'MLflow is not configured (kubemate.finetuning.mlflow.url)',
      );
    }
    return this.deps.mlflow;
  }

  private custom(cluster: string) {
    return this.deps.clusters.portalClients(cluster).custom;
  }

  // --------------------------------------------------------------------- cluster reads

  private async listCustom<T>(
    cluster: string,
    api: { group: string; version: string; plural: string },
    what: string,
    options: { namespace?: string; labelSelector?: string } = {},
  ): Promise<T[]> {
    const custom = this.custom(cluster);
    try {
      const list = await this.kube(
        cluster,
        options.namespace
          ? custom.listNamespacedCustomObject({
              ...api,
              namespace: options.namespace,
              labelSelector: options.labelSelector,
            })
          : custom.listClusterCustomObject({
              ...api,
              labelSelector: options.labelSelector,
            }),
      );
      return kueueList<T>(list);
    } catch (e) {
      if (isNamed(e, 'NotFoundError')) {
        throw new ServiceUnavailableError(
          `${what} (${api.group}/${api.version} ${api.plural}) is not installed in ${cluster}`,
        );
      }
      throw e;
    }
  }

  private async view(cluster: string): Promise<ClusterView> {
    const [jobs, workloads, localQueues] = await Promise.all([
      this.listCustom<PyTorchJobObject>(
        cluster,
        PYTORCHJOB_API,
        'The Kubeflow training operator',
        { labelSelector: FINETUNING_JOB_LABEL },
      ),
      this.listCustom<WorkloadObject>(
        cluster,
        { ...KUEUE, plural: 'workloads' },
        'Kueue',
      ),
      this.listCustom<LocalQueueObject>(
        cluster,
        { ...KUEUE, plural: 'localqueues' },
        'Kueue',
      ),
    ]);
    const cqOf = (ns: string, lq: string) =>
      localQueues.find(
        q => q.metadata.namespace === ns && q.metadata.name === lq,
      )?.spec.clusterQueue;
    const positions = queuePositions(
      workloads.map(w => ({
        object: w,
        state: workloadState(w).state,
        clusterQueue:
          w.status?.admission?.clusterQueue ??
          cqOf(w.metadata.namespace, w.spec.queueName ?? ''),
      })),
    );
    return { jobs, workloads, localQueues, positions };
  }

  private async views(clusters: string[]): Promise<{
    views: Map<string, ClusterView>;
    errors: FinetuningSourceError[];
  }> {
    const { results, errors } = await perCluster(clusters, c => this.view(c));
    return {
      views: new Map(results.map(r => [r.cluster, r.value])),
      errors,
    };
  }

  // ------------------------------------------------------------------ the job as shown

  private mlflowUrl(record: {
    mlflowRunId?: string;
    mlflowExperimentId?: string;
  }) {
    const m = this.config.mlflow;
    if (!m || !record.mlflowRunId) return undefined;
    return record.mlflowExperimentId
      ? `${m.uiUrl}/#/experiments/${record.mlflowExperimentId}/runs/${record.mlflowRunId}`
      : `${m.uiUrl}/#/runs/${record.mlflowRunId}`;
  }

  /** A record for a live PyTorchJob created outside the portal (self-described by its annotations). */
  private recordOfLive(cluster: string, job: PyTorchJobObject): JobRecord {
    const a = job.metadata.annotations ?? {};
    let spec: FinetuningJobSpec;
    try {
      spec = JSON.parse(a[FINETUNING_SPEC_ANNOTATION] ?? '');
    } catch {
      const replicas = Object.values(job.spec.pytorchReplicaSpecs ?? {});
      spec = {
        baseModel: 'unknown',
        datasetId: '',
        datasetName: '',
        hyperparameters: {
          rank: 0,
          alpha: 0,
          learningRate: 0,
          epochs: 0,
          batchSize: 0,
        },
        resources: {
          workers: replicas.reduce((n, r) => n + (r.replicas ?? 1), 0),
          gpusPerWorker: parseQuantity(
            replicas[0]?.template.spec?.containers?.[0]?.resources?.limits?.[
              GPU_RESOURCE
            ] ?? 0,
          ),
        },
        queue: job.metadata.labels?.['kueue.x-k8s.io/queue-name'] ?? '',
      };
    }
    return {
      id: job.metadata.labels?.[FINETUNING_JOB_LABEL] ?? job.metadata.uid ?? '',
      cluster,
      namespace: job.metadata.namespace,
      name: job.metadata.name,
      team: job.metadata.labels?.[GPU_TEAM_LABEL],
      spec,
      status: 'launched',
      mlflowRunId: a[FINETUNING_MLFLOW_RUN_ANNOTATION],
      outputUri: a[FINETUNING_OUTPUT_ANNOTATION] ?? '',
      createdBy: 'unknown (created outside the portal)',
      createdAt: new Date(job.metadata.creationTimestamp ?? 0).toISOString(),
    };
  }

  private toJob(record: JobRecord, view?: ClusterView): FinetuningJob {
    const base: FinetuningJob = {
      id: record.id,
      cluster: record.cluster,
      namespace: record.namespace,
      name: record.name,
      ...(record.team ? { team: record.team } : {}),
      spec: record.spec,
      state: 'Unknown',
      conditions: [],
      replicas: [],
      createdBy: record.createdBy,
      createdAt: record.createdAt,
      ...(record.mlflowRunId ? { mlflowRunId: record.mlflowRunId } : {}),
    };
    const url = this.mlflowUrl(record);
    if (url) base.mlflowUrl = url;
    if (record.outputUri)
      base.adapter = { uri: record.outputUri, available: false };
    if (record.status === 'failed') {
      return {
        ...base,
        state: 'Failed',
        stateMessage: `the launch failed: ${record.message ?? 'unknown error'}`,
      };
    }
    const live = view?.jobs.find(
      j =>
        j.metadata.namespace === record.namespace &&
        j.metadata.name === record.name &&
        (j.metadata.labels?.[FINETUNING_JOB_LABEL] === record.id ||
          !j.metadata.labels?.[FINETUNING_JOB_LABEL]),
    );
    if (!view && record.status !== 'cancelled' && !record.finalState) {
      return {
        ...base,
        state: 'Unknown',
        stateMessage: `the cluster ${record.cluster} did not answer`,
      };
    }
    if (!live && record.status !== 'cancelled' && record.finalState) {
      const out: FinetuningJob = {
        ...base,
        state: record.finalState,
        stateMessage: 'the PyTorchJob is gone; its last state',
      };
      if (record.startedAt) out.startedAt = record.startedAt;
      if (record.finishedAt) out.finishedAt = record.finishedAt;
      const h = gpuHours(record.spec, record.startedAt, record.finishedAt);
      if (h !== undefined) out.gpuHours = h;
      return out;
    }
    const workload =
      live && view ? workloadOfJob(live, view.workloads) : undefined;
    const clusterQueue =
      workload?.status?.admission?.clusterQueue ??
      view?.localQueues.find(
        q =>
          q.metadata.namespace === record.namespace &&
          q.metadata.name === (workload?.spec.queueName ?? record.spec.queue),
      )?.spec.clusterQueue;
    const s = jobState({
      cancelled:
        record.status === 'cancelled'
          ? { at: record.cancelledAt, message: record.message }
          : undefined,
      job: live,
      workload,
      clusterQueue,
      position: workload
        ? view?.positions.get(
            `${workload.metadata.namespace}/${workload.metadata.name}`,
          )
        : undefined,
      localQueue: record.spec.queue,
    });
    const out: FinetuningJob = { ...base, state: s.state };
    if (s.stateMessage) out.stateMessage = s.stateMessage;
    if (s.queue) out.queue = s.queue;
    if (live) {
      out.conditions = (live.status?.conditions ?? []).map(c => ({
        type: c.type,
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
        ...(c.lastTransitionTime
          ? { lastTransitionTime: new Date(c.lastTransitionTime).toISOString() }
          : {}),
      }));
      out.replicas = replicaStatuses(live);
    }
    const startedAt = s.startedAt ?? record.startedAt;
    const finishedAt =
      s.finishedAt ??
      (record.status === 'cancelled' ? record.cancelledAt : undefined);
    if (startedAt) out.startedAt = startedAt;
    if (finishedAt) out.finishedAt = finishedAt;
    const h = gpuHours(record.spec, startedAt, finishedAt);
    if (h !== undefined) out.gpuHours = h;
    return out;
  }

  /** Keeps the terminal state and times on the record (shown after the PyTorchJob is gone). */
  private remember(record: JobRecord | undefined, job: FinetuningJob) {
    if (
      !record ||
      record.status !== 'launched' ||
      record.finalState ||
      (job.state !== 'Succeeded' && job.state !== 'Failed')
    ) {
      return;
    }
    this.deps.store
      .updateJob({
        ...record,
        finalState: job.state,
        startedAt: job.startedAt,
        finishedAt: job.finishedAt,
      })
      .catch(e =>
        this.deps.logger.warn(`finetuning: record ${record.id}: ${e}`),
      );
  }

  /** Adapter files at the output URI (MinIO statObject) and the untrained marker. */
  private async adapter(
    uri: string,
    tags?: Record<string, string>,
  ): Promise<JobAdapter> {
    const objects = this.deps.objects;
    const prefix = objects?.keyOf(uri);
    if (!objects || prefix === undefined) return { uri, available: false };
    const p = prefix.endsWith('/') ? prefix : `${prefix}/`;
    const [files, marker] = await Promise.all([
      Promise.all(ADAPTER_FILES.map(f => objects.exists(`${p}${f}`))),
      objects.exists(`${p}${UNTRAINED_MARKER}`),
    ]);
    const available = files.every(Boolean);
    const out: JobAdapter = { uri, available };
    if (available) {
      out.untrained = marker || tags?.[FINETUNING_UNTRAINED_TAG] === 'true';
    }
    return out;
  }

  // ------------------------------------------------------------------------ visibility

  private async visibleRecord(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<{ record: JobRecord; live: boolean }> {
    const record = await this.deps.store.getJob(id);
    if (record) {
      await requireOn(this.deps.permissions, credentials, {
        read: finetuningJobReadPermission,
        cluster: record.cluster,
        namespace: record.namespace,
        what: `job ${id}`,
      });
      return { record, live: false };
    }
    // a PyTorchJob created outside the portal, found by its label
    for (const cluster of this.deps.clusters.listClusters().map(c => c.name)) {
      const jobs = await this.listCustom<PyTorchJobObject>(
        cluster,
        PYTORCHJOB_API,
        'The Kubeflow training operator',
        { labelSelector: `${FINETUNING_JOB_LABEL}=${id}` },
      ).catch(() => []);
      if (jobs[0]) {
        const r = this.recordOfLive(cluster, jobs[0]);
        await requireOn(this.deps.permissions, credentials, {
          read: finetuningJobReadPermission,
          cluster,
          namespace: r.namespace,
          what: `job ${id}`,
        });
        return { record: r, live: true };
      }
    }
    throw new NotFoundError(`job ${id} not found`);
  }

  private async resolve(record: JobRecord): Promise<FinetuningJob> {
    let view: ClusterView | undefined;
    try {
      view = await this.view(record.cluster);
    } catch (e) {
      if (record.status === 'launched' && !record.finalState) throw e;
    }
    const job = this.toJob(record, view);
    this.remember(record, job);
    return job;
  }

  // ------------------------------------------------------------------------------ reads

  async list(
    credentials: BackstageCredentials,
    query: JobsQuery,
  ): Promise<ListResponse<FinetuningJob>> {
    const names = clustersOf(this.deps.clusters, query.cluster);
    const scope = await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: finetuningJobReadPermission,
    });
    return this.listIn(names, scope, query);
  }

  private async listIn(
    names: string[],
    scope: NamespaceScope,
    query: JobsQuery,
  ): Promise<ListResponse<FinetuningJob>> {
    const [records, { views, errors }] = await Promise.all([
      this.deps.store.listJobs({
        cluster: names.length === 1 ? names[0] : undefined,
        namespace: query.namespace,
        sweepId: query.sweepId,
      }),
      this.views(names),
    ]);
    const seen = new Set<string>();
    const items: FinetuningJob[] = [];
    for (const record of records) {
      if (
        !names.includes(record.cluster) ||
        !inScope(scope, record.namespace)
      ) {
        continue;
      }
      seen.add(record.id);
      const job = this.toJob(record, views.get(record.cluster));
      this.remember(record, job);
      items.push(job);
    }
    for (const [cluster, view] of views) {
      for (const live of view.jobs) {
        const id = live.metadata.labels?.[FINETUNING_JOB_LABEL];
        if (!id || seen.has(id)) continue;
        if (!inScope(scope, live.metadata.namespace)) continue;
        if (query.namespace && live.metadata.namespace !== query.namespace)
          continue;
        const record = this.recordOfLive(cluster, live);
        if (query.sweepId && record.spec.sweepId !== query.sweepId) continue;
        items.push(this.toJob(record, view));
      }
    }
    const filtered = items.filter(
      j =>
        (!query.state || j.state === query.state) &&
        (!query.entityRef || j.spec.entityRef === query.entityRef),
    );
    filtered.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { items: filtered, ...(errors.length ? { errors } : {}) };
  }

  async entityJobs(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<ListResponse<FinetuningJob>> {
    const scope = await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: finetuningJobReadPermission,
    });
    let kubernetesId: string | undefined;
    if (this.deps.catalog) {
      const entity = await this.deps.catalog.getEntityByRef(entityRef, {
        credentials,
      });
      if (!entity) throw new NotFoundError(`entity ${entityRef} not found`);
      kubernetesId =
        entity.metadata.annotations?.['backstage.io/kubernetes-id'];
    }
    const names = this.deps.clusters.listClusters().map(c => c.name);
    const all = await this.listIn(names, scope, {});
    const ids = new Set<string>();
    if (kubernetesId) {
      const { views } = await this.views(names);
      for (const view of views.values()) {
        for (const j of view.jobs) {
          if (j.metadata.labels?.[KUBERNETES_ID_LABEL] === kubernetesId) {
            ids.add(j.metadata.labels?.[FINETUNING_JOB_LABEL] ?? '');
          }
        }
      }
    }
    return {
      items: all.items.filter(
        j => j.spec.entityRef === entityRef || ids.has(j.id),
      ),
      ...(all.errors ? { errors: all.errors } : {}),
    };
  }

  async details(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<FinetuningJobDetails> {
    const { record } = await this.visibleRecord(credentials, id);
    const job = await this.resolve(record);
    const core = this.deps.clusters.portalClients(record.cluster).core;
    const [pods, events, run, served] = await Promise.all([
      this.pods(record).catch(() => [] as V1Pod[]),
      this.kube(
        record.cluster,
        core.listNamespacedEvent({ namespace: record.namespace }),
      ).catch(() => ({ items: [] as any[] })),
      record.mlflowRunId && this.deps.mlflow
        ? this.deps.mlflow.getRun(record.mlflowRunId).catch(() => undefined)
        : Promise.resolve(undefined),
      this.deps.store.listServedModels({ jobId: record.id }),
    ]);
    const tags = tagsOf(run);
    if (tags[FINETUNING_DEMO_TAG] === 'true') job.demo = true;
    if (record.outputUri) {
      job.adapter = await this.adapter(record.outputUri, tags).catch(() => ({
        uri: record.outputUri,
        available: false,
      }));
    }
    if (served.length) job.servedModels = served.map(m => m.name);
    const podNames = new Set(pods.map(p => p.metadata?.name));
    const workload = job.queue?.workload;
    const jobEvents: JobEvent[] = events.items
      .filter(e => {
        const o = e.involvedObject ?? {};
        return (
          (o.kind === 'PyTorchJob' && o.name === record.name) ||
          (o.kind === 'Pod' && podNames.has(o.name)) ||
          (o.kind === 'Workload' && workload && o.name === workload)
        );
      })
      .map(e => {
        const last =
          e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp;
        return {
          type: e.type ?? 'Normal',
          reason: e.reason ?? '',
          message: e.message ?? '',
          object: `${e.involvedObject.kind}/${e.involvedObject.name}`,
          count: e.count ?? 1,
          ...(last ? { lastTimestamp: new Date(last).toISOString() } : {}),
        };
      })
      .sort((a, b) =>
        (b.lastTimestamp ?? '').localeCompare(a.lastTimestamp ?? ''),
      );
    return { job, pods: pods.map(toJobPod), events: jobEvents };
  }

  private async pods(record: JobRecord): Promise<V1Pod[]> {
    const core = this.deps.clusters.portalClients(record.cluster).core;
    const list = await this.kube(
      record.cluster,
      core.listNamespacedPod({
        namespace: record.namespace,
        labelSelector: `${JOB_NAME_POD_LABEL}=${record.name}`,
      }),
    );
    return list.items.sort((a, b) =>
      (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''),
    );
  }

  async logs(
    credentials: BackstageCredentials,
    id: string,
    query: { pod?: string; tailLines?: number },
  ): Promise<JobLogs> {
    const { record } = await this.visibleRecord(credentials, id);
    const tailLines = query.tailLines ?? 500;
    if (!(tailLines >= 1 && tailLines <= 5000)) {
      throw new InputError('tailLines: between 1 and 5000');
    }
    const pods = await this.pods(record);
    let pod: V1Pod | undefined;
    if (query.pod) {
      pod = pods.find(p => p.metadata?.name === query.pod);
      if (!pod) {
        throw new InputError(
          `pod: ${query.pod} is not a pod of job ${record.name}`,
        );
      }
    } else {
      pod =
        pods.find(
          p => p.metadata?.labels?.[REPLICA_TYPE_POD_LABEL] === 'master',
        ) ?? pods[0];
      if (!pod) {
        throw new NotFoundError(`job ${record.name} has no pods (yet)`);
      }
    }
    const core = this.deps.clusters.portalClients(record.cluster).core;
    const text = await this.kube(
      record.cluster,
      core.readNamespacedPodLog({
        name: pod.metadata!.name!,
        namespace: record.namespace,
        container: PYTORCH_CONTAINER,
        tailLines,
      }),
    );
    const lines = String(text ?? '').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return {
      pod: pod.metadata!.name!,
      container: PYTORCH_CONTAINER,
      lines,
      truncated: lines.length >= tailLines,
    };
  }

  async metrics(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<RunMetrics> {
    const { record } = await this.visibleRecord(credentials, id);
    return this.runMetrics(record);
  }

  private async runMetrics(record: JobRecord): Promise<RunMetrics> {
    if (!record.mlflowRunId) {
      throw new NotFoundError(`job ${record.name} has no MLflow run`);
    }
    const mlflow = this.mlflow();
    const run = await this.deps.metrics.time(
      'mlflow',
      mlflow.getRun(record.mlflowRunId),
    );
    const latest: Record<string, number> = {};
    for (const m of run.data.metrics ?? []) latest[m.key] = m.value;
    const keys = Object.keys(latest).sort();
    const histories = await Promise.all(
      keys.map(k => mlflow.metricHistory(record.mlflowRunId!, k)),
    );
    const tags = tagsOf(run);
    return {
      runId: run.info.run_id,
      status: run.info.status,
      params: Object.fromEntries(
        (run.data.params ?? []).map(p => [p.key, p.value]),
      ),
      metrics: Object.fromEntries(
        keys.map((k, i) => [
          k,
          histories[i].map(p => ({
            step: p.step ?? 0,
            value: p.value,
            timestamp: p.timestamp,
          })),
        ]),
      ),
      latest,
      tags,
      ...(run.info.artifact_uri ? { artifactUri: run.info.artifact_uri } : {}),
      demo: tags[FINETUNING_DEMO_TAG] === 'true',
    };
  }

  async compare(
    credentials: BackstageCredentials,
    ids: string[],
  ): Promise<CompareResponse> {
    const unique = [...new Set(ids)];
    if (unique.length < 2 || unique.length > 10) {
      throw new InputError('ids: give 2 to 10 distinct job ids');
    }
    const records = await Promise.all(
      unique.map(id => this.visibleRecord(credentials, id)),
    );
    const clusters = [...new Set(records.map(r => r.record.cluster))];
    const { views } = await this.views(clusters);
    const runs = await Promise.all(
      records.map(async ({ record }) => {
        const job = this.toJob(record, views.get(record.cluster));
        try {
          return { job, metrics: await this.runMetrics(record) };
        } catch (e) {
          return { job, error: errorMessage(e) };
        }
      }),
    );
    const paramKeys = [
      ...new Set(runs.flatMap(r => Object.keys(r.metrics?.params ?? {}))),
    ].sort();
    const differingParams = paramKeys.filter(
      k => new Set(runs.map(r => r.metrics?.params[k])).size > 1,
    );
    const metricKeys = [
      ...new Set(runs.flatMap(r => Object.keys(r.metrics?.metrics ?? {}))),
    ].sort();
    return { runs, paramKeys, differingParams, metricKeys };
  }

  async unfinishedJobsUsing(datasetId: string): Promise<string[]> {
    const records = (await this.deps.store.listJobs({ datasetId })).filter(
      r => r.status === 'launched' && !r.finalState,
    );
    if (!records.length) return [];
    const clusters = [...new Set(records.map(r => r.cluster))];
    const { views } = await this.views(clusters);
    return records
      .filter(r => {
        const view = views.get(r.cluster);
        // a cluster that does not answer: assume the job may still run
        if (!view) return true;
        const { state } = this.toJob(r, view);
        return !FINISHED.has(state) && state !== 'Unknown';
      })
      .map(r => `${r.namespace}/${r.name}`);
  }

  // ----------------------------------------------------------------------------- options

  async options(
    credentials: BackstageCredentials,
    query: { cluster?: string },
  ): Promise<FinetuningOptions> {
    const names = clustersOf(this.deps.clusters, query.cluster);
    await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: finetuningJobReadPermission,
    });
    const createScope = await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: finetuningJobCreatePermission,
    }).catch(() => undefined);
    const errors: FinetuningSourceError[] = [];
    const [ollamaModels, perCl] = await Promise.all([
      this.ollamaModels().catch(e => {
        errors.push({ source: 'ollama', message: errorMessage(e) });
        return undefined;
      }),
      perCluster(names, async cluster => {
        const [flavors, queues, priorities] = await Promise.all([
          this.listCustom<ResourceFlavorObject>(
            cluster,
            { ...KUEUE, plural: 'resourceflavors' },
            'Kueue',
          ),
          createScope
            ? this.listCustom<LocalQueueObject>(
                cluster,
                { ...KUEUE, plural: 'localqueues' },
                'Kueue',
              )
            : Promise.resolve([]),
          this.listCustom<{ metadata: { name: string } }>(
            cluster,
            { ...KUEUE, plural: 'workloadpriorityclasses' },
            'Kueue',
          ).catch(() => []),
        ]);
        return { flavors, queues, priorities };
      }),
    ]);
    errors.push(...perCl.errors);
    const baseModels: BaseModel[] = this.config.baseModels.map(b => ({
      name: b.name,
      title: b.title,
      hfModel: b.hfModel,
      ...(b.ollamaModel ? { ollamaModel: b.ollamaModel } : {}),
      ...(b.parameters ? { parameters: b.parameters } : {}),
      servable: !!(b.ollamaModel && ollamaModels?.has(b.ollamaModel)),
    }));
    const out: FinetuningOptions = {
      baseModels,
      flavors: perCl.results.flatMap(r =>
        r.value.flavors
          .filter(f => f.spec?.nodeLabels?.[GPU_PRODUCT_LABEL])
          .map(f => ({
            cluster: r.cluster,
            name: f.metadata.name,
            product: f.spec!.nodeLabels![GPU_PRODUCT_LABEL],
          })),
      ),
      queues: perCl.results.flatMap(r =>
        r.value.queues
          .filter(
            q => createScope && inScope(createScope, q.metadata.namespace),
          )
          .map(q => ({
            cluster: r.cluster,
            namespace: q.metadata.namespace,
            name: q.metadata.name,
            clusterQueue: q.spec.clusterQueue,
          })),
      ),
      priorityClasses: [
        ...new Set(
          perCl.results.flatMap(r =>
            r.value.priorities.map(p => p.metadata.name),
          ),
        ),
      ].sort(),
      limits: {
        maxDatasetBytes: this.config.datasets.maxBytes,
        ...this.config.limits,
      },
      pricing: this.config.pricing,
    };
    if (errors.length) out.errors = errors;
    return out;
  }

  /** Ollama's model names (with and without `:latest`), with a short deadline. */
  private async ollamaModels(): Promise<Set<string>> {
    const o = this.config.ollama;
    if (!o)
      throw new Error(
        'Ollama is not configured (kubemate.finetuning.ollama.baseUrl)',
      );
    const res = await this.deps.metrics.time(
      'ollama',
      fetchUpstream(
        { name: 'Ollama', url: o.baseUrl, timeoutMs: 3000 },
        '/api/tags',
      ),
    );
    const names = new Set<string>();
    for (const m of res.json<{ models?: Array<{ name: string }> }>()?.models ??
      []) {
      names.add(m.name);
      names.add(m.name.replace(/:latest$/, ''));
    }
    return names;
  }

  // ------------------------------------------------------------------------------ launch

  async launch(
    credentials: BackstageCredentials,
    request: LaunchJobRequest,
  ): Promise<FinetuningJob> {
    return this.launchOne(credentials, request);
  }

  private checkHyperparameters(
    hp: Hyperparameters,
    prefix = 'hyperparameters',
  ) {
    const { maxEpochs } = this.config.limits;
    const range = (
      name: keyof Hyperparameters,
      min: number,
      max: number,
      integer: boolean,
      exclusiveMin = false,
    ) => {
      const v = hp[name];
      if (v === undefined && name === 'dropout') return;
      if (
        typeof v !== 'number' ||
        !Number.isFinite(v) ||
        (integer && !Number.isInteger(v)) ||
        (exclusiveMin ? v <= min : v < min) ||
        v > max
      ) {
        throw new InputError(
          `${prefix}.${name}: ${v} is out of range (${
            exclusiveMin ? `> ${min}` : `${min}`
          }–${max}${integer ? ', whole number' : ''})`,
        );
      }
    };
    range('rank', 1, 256, true);
    range('alpha', 1, 512, true);
    range('learningRate', 0, 1, false, true);
    range('epochs', 1, maxEpochs, true);
    range('batchSize', 1, 1024, true);
    range('dropout', 0, 0.9, false);
  }

  /** The checks of a launch that need no upstream besides the permission (also run before a sweep). */
  private async prepare(
    credentials: BackstageCredentials,
    request: LaunchJobRequest,
  ): Promise<{ baseModel: BaseModelConfig; dataset: Dataset }> {
    clustersOf(this.deps.clusters, request.cluster);
    await requirePermission(this.deps.permissions, {
      credentials,
      permission: finetuningJobCreatePermission,
      resourceRef: clustersObjectRef({
        cluster: request.cluster,
        namespace: request.namespace,
      }),
    });
    const baseModel = this.config.baseModels.find(
      b => b.name === request.baseModel,
    );
    if (!baseModel) {
      throw new InputError(
        `baseModel: unknown base model '${
          request.baseModel
        }' (known: ${this.config.baseModels.map(b => b.name).join(', ')})`,
      );
    }
    const dataset = await this.deps.store.getDataset(request.datasetId);
    if (
      !dataset ||
      dataset.cluster !== request.cluster ||
      dataset.namespace !== request.namespace
    ) {
      throw new InputError(
        `datasetId: no dataset ${request.datasetId} in ${request.cluster}/${request.namespace}`,
      );
    }
    this.checkHyperparameters(request.hyperparameters);
    const { workers, gpusPerWorker } = request.resources;
    const { maxWorkers, maxGpusPerWorker } = this.config.limits;
    if (!Number.isInteger(workers) || workers < 1 || workers > maxWorkers) {
      throw new InputError(
        `resources.workers: ${workers} is out of range (1–${maxWorkers})`,
      );
    }
    if (
      !Number.isInteger(gpusPerWorker) ||
      gpusPerWorker < 0 ||
      gpusPerWorker > maxGpusPerWorker
    ) {
      throw new InputError(
        `resources.gpusPerWorker: ${gpusPerWorker} is out of range (0–${maxGpusPerWorker})`,
      );
    }
    if (
      request.name !== undefined &&
      (!DNS_LABEL.test(request.name) || request.name.length > MAX_JOB_NAME)
    ) {
      throw new InputError(
        `name: '${request.name}' is not a DNS label of at most ${MAX_JOB_NAME} characters (lowercase letters, digits, dashes)`,
      );
    }
    return { baseModel, dataset };
  }

  /** The Kubernetes-side checks: LocalQueue, flavor, priority class; the namespace's team. */
  private async checkCluster(request: LaunchJobRequest) {
    const { cluster, namespace } = request;
    const queue = request.queue ?? 'gpu';
    const custom = this.custom(cluster);
    const get = (plural: string, name: string, ns?: string) =>
      this.kube(
        cluster,
        ns
          ? custom.getNamespacedCustomObject({
              ...KUEUE,
              plural,
              namespace: ns,
              name,
            })
          : custom.getClusterCustomObject({ ...KUEUE, plural, name }),
      ).catch(e => {
        if (isNamed(e, 'NotFoundError')) return undefined;
        throw e;
      });
    const core = this.deps.clusters.portalClients(cluster).core;
    const [lq, flavor, priority, ns] = await Promise.all([
      get('localqueues', queue, namespace),
      request.resources.flavor
        ? get('resourceflavors', request.resources.flavor)
        : Promise.resolve(null),
      request.priorityClass
        ? get('workloadpriorityclasses', request.priorityClass)
        : Promise.resolve(null),
      this.kube(cluster, core.readNamespace({ name: namespace })).catch(
        () => undefined,
      ),
    ]);
    if (!lq) {
      throw new InputError(
        `queue: no LocalQueue '${queue}' in ${cluster}/${namespace}`,
      );
    }
    if (flavor === undefined) {
      throw new InputError(
        `resources.flavor: no ResourceFlavor '${request.resources.flavor}' in ${cluster}`,
      );
    }
    if (priority === undefined) {
      throw new InputError(
        `priorityClass: no WorkloadPriorityClass '${request.priorityClass}' in ${cluster}`,
      );
    }
    const product = (flavor as ResourceFlavorObject | null)?.spec?.nodeLabels?.[
      GPU_PRODUCT_LABEL
    ];
    return { queue, product, team: ns?.metadata?.labels?.[GPU_TEAM_LABEL] };
  }

  private async kubernetesIdOf(
    credentials: BackstageCredentials,
    entityRef?: string,
  ): Promise<string | undefined> {
    if (!entityRef || !this.deps.catalog) return undefined;
    const entity = await this.deps.catalog
      .getEntityByRef(entityRef, { credentials })
      .catch(() => undefined);
    if (!entity)
      throw new InputError(`entityRef: no entity ${entityRef} in the catalog`);
    return entity.metadata.annotations?.['backstage.io/kubernetes-id'];
  }

  private async launchOne(
    credentials: BackstageCredentials,
    request: LaunchJobRequest,
    sweepId?: string,
  ): Promise<FinetuningJob> {
    const { metrics, store } = this.deps;
    return audited(
      this.deps.audit,
      this.deps.logger,
      {
        credentials,
        action: 'finetuning.job.create',
        cluster: request.cluster,
        namespace: request.namespace,
        kind: 'PyTorchJob',
        name: request.name,
      },
      async () => {
        const { baseModel, dataset } = await this.prepare(credentials, request);
        const { queue, product, team } = await this.checkCluster(request);
        const kubernetesId = await this.kubernetesIdOf(
          credentials,
          request.entityRef,
        );
        const id = randomUUID();
        const generated = `${baseModel.name.slice(0, 18)}-${dataset.name.slice(
          0,
          12,
        )}`
          .replace(/[^a-z0-9-]/g, '-')
          .replace(/-+/g, '-')
          .replace(/^-|-$/g, '');
        const name =
          request.name ?? `${generated}-${randomBytes(3).toString('hex')}`;
        const spec: FinetuningJobSpec = {
          baseModel: baseModel.name,
          datasetId: dataset.id,
          datasetName: dataset.name,
          hyperparameters: {
            dropout: 0.05,
            ...request.hyperparameters,
          },
          resources: request.resources,
          queue,
          ...(request.priorityClass
            ? { priorityClass: request.priorityClass }
            : {}),
          ...(request.entityRef ? { entityRef: request.entityRef } : {}),
          ...(sweepId ? { sweepId } : {}),
        };
        const bucket =
          this.deps.objects?.bucket ??
          this.config.storage?.bucket ??
          'kubemate-finetuning';
        const outputUri = `s3://${bucket}/adapters/${request.cluster}/${
          request.namespace
        }/${name}-${id.slice(0, 8)}/`;
        // MLflow first: down → 503 naming MLflow and nothing created
        const mlflow = this.mlflow();
        const experimentName = `${this.config.mlflow!.experimentPrefix}/${
          request.namespace
        }`;
        const experimentId = await metrics.time(
          'mlflow',
          mlflow.ensureExperiment(experimentName),
        );
        const run = await metrics.time(
          'mlflow',
          mlflow.createRun({
            experimentId,
            runName: name,
            tags: {
              'kubemate.job-id': id,
              'kubemate.namespace': request.namespace,
              'kubemate.cluster': request.cluster,
              ...(request.entityRef
                ? { 'kubemate.entity': request.entityRef }
                : {}),
              ...(sweepId ? { 'kubemate.sweep-id': sweepId } : {}),
              'kubemate.created-by': actorOf(credentials),
            },
          }),
        );
        const hp = spec.hyperparameters;
        await metrics.time(
          'mlflow',
          mlflow.logBatch(run.run_id, {
            params: {
              base_model: baseModel.name,
              hf_model: baseModel.hfModel,
              dataset: dataset.name,
              dataset_sha256: dataset.sha256,
              dataset_rows: String(dataset.rows),
              lora_rank: String(hp.rank),
              lora_alpha: String(hp.alpha),
              lora_dropout: String(hp.dropout ?? 0.05),
              learning_rate: String(hp.learningRate),
              epochs: String(hp.epochs),
              batch_size: String(hp.batchSize),
              workers: String(spec.resources.workers),
              gpus_per_worker: String(spec.resources.gpusPerWorker),
              ...(spec.resources.flavor
                ? { flavor: spec.resources.flavor }
                : {}),
              queue,
            },
          }),
        );
        const record: JobRecord = {
          id,
          cluster: request.cluster,
          namespace: request.namespace,
          name,
          ...(team ? { team } : {}),
          spec,
          status: 'launched',
          mlflowRunId: run.run_id,
          mlflowExperimentId: experimentId,
          outputUri,
          createdBy: actorOf(credentials),
          createdAt: new Date().toISOString(),
        };
        // recorded before the create: the launch request is never lost
        await store.insertJob(record);
        const body = buildPyTorchJob(
          {
            id,
            name,
            namespace: request.namespace,
            spec,
            hfModel: baseModel.hfModel,
            datasetUri: dataset.uri,
            mapping: dataset.mapping,
            outputUri,
            mlflowRunId: run.run_id,
            mlflowTrackingUri: this.config.mlflow!.jobTrackingUri,
            gpuProduct: product,
            team,
            kubernetesId,
          },
          this.config.trainer,
        );
        let created: PyTorchJobObject;
        try {
          const who = await this.deps.identity.forCredentials(
            credentials as BackstageCredentials<BackstageUserPrincipal>,
          );
          const clients = this.deps.clusters.clientsAs(request.cluster, who);
          created = (await this.kube(
            request.cluster,
            clients.custom.createNamespacedCustomObject({
              ...PYTORCHJOB_API,
              namespace: request.namespace,
              body,
            }),
          )) as PyTorchJobObject;
        } catch (e) {
          metrics.jobsLaunched.inc({ result: 'failed' });
          await store
            .updateJob({
              ...record,
              status: 'failed',
              message: errorMessage(e),
            })
            .catch(err =>
              this.deps.logger.error(`finetuning: record ${id}: ${err}`),
            );
          await mlflow
            .updateRun(run.run_id, 'FAILED')
            .catch(err =>
              this.deps.logger.warn(
                `finetuning: MLflow run ${run.run_id}: ${err}`,
              ),
            );
          throw e;
        }
        metrics.jobsLaunched.inc({ result: 'created' });
        const view: ClusterView = {
          jobs: [created],
          workloads: [],
          localQueues: [],
          positions: new Map(),
        };
        return {
          result: this.toJob(record, view),
          name,
          message: `PyTorchJob ${request.namespace}/${name} (${spec.resources.workers}×${spec.resources.gpusPerWorker} GPU) in queue ${queue}, MLflow run ${run.run_id}`,
        };
      },
    );
  }

  // ------------------------------------------------------------------------ cancel/delete

  private async stopLive(
    credentials: BackstageCredentials,
    record: JobRecord,
  ): Promise<boolean> {
    const who = await this.deps.identity.forCredentials(
      credentials as BackstageCredentials<BackstageUserPrincipal>,
    );
    const clients = this.deps.clusters.clientsAs(record.cluster, who);
    try {
      await this.kube(
        record.cluster,
        clients.custom.deleteNamespacedCustomObject({
          ...PYTORCHJOB_API,
          namespace: record.namespace,
          name: record.name,
          propagationPolicy: 'Background',
        }),
      );
      return true;
    } catch (e) {
      if (isNamed(e, 'NotFoundError')) return false;
      throw e;
    }
  }

  async cancel(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<FinetuningJob> {
    const { record, live } = await this.visibleRecord(credentials, id);
    return audited(
      this.deps.audit,
      this.deps.logger,
      {
        credentials,
        action: 'finetuning.job.cancel',
        cluster: record.cluster,
        namespace: record.namespace,
        kind: 'PyTorchJob',
        name: record.name,
      },
      async () => {
        await requireOn(this.deps.permissions, credentials, {
          read: finetuningJobReadPermission,
          permission: finetuningJobCancelPermission,
          cluster: record.cluster,
          namespace: record.namespace,
          what: `job ${id}`,
        });
        const current = await this.resolve(record);
        if (FINISHED.has(current.state)) {
          throw new ConflictError(
            `job ${record.name} has already finished (${current.state})`,
          );
        }
        await this.stopLive(credentials, record);
        const cancelled: JobRecord = {
          ...record,
          status: 'cancelled',
          cancelledAt: new Date().toISOString(),
          message: `cancelled by ${actorOf(credentials)}`,
          ...(current.startedAt ? { startedAt: current.startedAt } : {}),
        };
        if (live) await this.deps.store.insertJob(cancelled);
        else await this.deps.store.updateJob(cancelled);
        if (record.mlflowRunId && this.deps.mlflow) {
          await this.deps.mlflow
            .updateRun(record.mlflowRunId, 'KILLED')
            .catch(e =>
              this.deps.logger.warn(
                `finetuning: MLflow run ${record.mlflowRunId}: ${e}`,
              ),
            );
        }
        return {
          result: this.toJob(cancelled),
          message: `PyTorchJob deleted (was ${current.state}), MLflow run KILLED`,
        };
      },
    );
  }

  async delete(credentials: BackstageCredentials, id: string): Promise<void> {
    const { record, live } = await this.visibleRecord(credentials, id);
    await audited(
      this.deps.audit,
      this.deps.logger,
      {
        credentials,
        action: 'finetuning.job.delete',
        cluster: record.cluster,
        namespace: record.namespace,
        kind: 'PyTorchJob',
        name: record.name,
      },
      async () => {
        await requireOn(this.deps.permissions, credentials, {
          read: finetuningJobReadPermission,
          permission: finetuningJobCancelPermission,
          cluster: record.cluster,
          namespace: record.namespace,
          what: `job ${id}`,
        });
        let existed = false;
        if (record.status !== 'failed') {
          existed = await this.stopLive(credentials, record);
          if (
            existed &&
            record.mlflowRunId &&
            this.deps.mlflow &&
            !record.finalState &&
            record.status === 'launched'
          ) {
            await this.deps.mlflow
              .getRun(record.mlflowRunId)
              .then(run =>
                run.info.status === 'RUNNING' || run.info.status === 'SCHEDULED'
                  ? this.deps.mlflow!.updateRun(record.mlflowRunId!, 'KILLED')
                  : undefined,
              )
              .catch(e =>
                this.deps.logger.warn(
                  `finetuning: MLflow run ${record.mlflowRunId}: ${e}`,
                ),
              );
          }
        }
        if (!live) await this.deps.store.deleteJob(id);
        return {
          result: undefined,
          message: `record removed${
            existed ? ', PyTorchJob deleted' : ''
          } (MLflow run kept)`,
        };
      },
    );
  }

  // ------------------------------------------------------------------------------ sweeps

  async launchSweep(
    credentials: BackstageCredentials,
    request: SweepRequest,
  ): Promise<SweepDetails> {
    const { base } = request;
    const { maxSweepTrials } = this.config.limits;
    if (
      !Number.isInteger(request.maxTrials) ||
      request.maxTrials < 1 ||
      request.maxTrials > maxSweepTrials
    ) {
      throw new InputError(
        `maxTrials: ${request.maxTrials} is out of range (1–${maxSweepTrials})`,
      );
    }
    const id = randomUUID();
    const sweepName = base.name ?? `sweep-${id.slice(0, 8)}`;
    if (!DNS_LABEL.test(sweepName) || sweepName.length > MAX_JOB_NAME - 4) {
      throw new InputError(
        `base.name: '${sweepName}' is not a DNS label of at most ${
          MAX_JOB_NAME - 4
        } characters (trials are named <name>-t<n>)`,
      );
    }
    // permission, model, dataset, limits: before anything is created
    await this.prepare(credentials, { ...base, name: undefined });
    const trials = sweepTrials({
      base: base.hyperparameters,
      strategy: request.strategy,
      space: request.space,
      maxTrials: request.maxTrials,
      seed: seedOf(id),
    });
    trials.forEach((hp, i) => this.checkHyperparameters(hp, `trial ${i + 1}`));
    const objective = request.objective ?? {
      metric: 'eval_loss',
      goal: 'minimize' as const,
    };
    const trialIds: string[] = [];
    const errors: FinetuningSourceError[] = [];
    for (let i = 0; i < trials.length; i++) {
      try {
        const job = await this.launchOne(
          credentials,
          {
            ...base,
            hyperparameters: trials[i],
            name: `${sweepName}-t${i + 1}`,
          },
          id,
        );
        trialIds.push(job.id);
      } catch (e) {
        if (!trialIds.length) throw e;
        errors.push({ source: `trial ${i + 1}`, message: errorMessage(e) });
      }
    }
    const sweep: Sweep = {
      id,
      cluster: base.cluster,
      namespace: base.namespace,
      name: sweepName,
      strategy: request.strategy,
      space: request.space,
      objective,
      trialIds,
      createdBy: actorOf(credentials),
      createdAt: new Date().toISOString(),
    };
    await this.deps.store.insertSweep(sweep);
    const details = await this.sweepDetails(sweep);
    if (errors.length) details.errors = [...(details.errors ?? []), ...errors];
    return details;
  }

  async listSweeps(
    credentials: BackstageCredentials,
    query: { cluster?: string; namespace?: string },
  ): Promise<ListResponse<Sweep>> {
    if (query.cluster) clustersOf(this.deps.clusters, query.cluster);
    const scope = await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: finetuningJobReadPermission,
    });
    const items = await this.deps.store.listSweeps(query);
    return { items: items.filter(s => inScope(scope, s.namespace)) };
  }

  async sweep(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<SweepDetails> {
    const sweep = await this.deps.store.getSweep(id);
    if (!sweep) throw new NotFoundError(`sweep ${id} not found`);
    await requireOn(this.deps.permissions, credentials, {
      read: finetuningJobReadPermission,
      cluster: sweep.cluster,
      namespace: sweep.namespace,
      what: `sweep ${id}`,
    });
    return this.sweepDetails(sweep);
  }

  private async sweepDetails(sweep: Sweep): Promise<SweepDetails> {
    const records = (
      await Promise.all(sweep.trialIds.map(t => this.deps.store.getJob(t)))
    ).filter((r): r is JobRecord => !!r);
    const errors: FinetuningSourceError[] = [];
    let view: ClusterView | undefined;
    try {
      view = await this.view(sweep.cluster);
    } catch (e) {
      errors.push({ source: sweep.cluster, message: errorMessage(e) });
    }
    const swept = SWEEP_PARAMETERS.filter(p => sweep.space[p] !== undefined);
    let mlflowFailed = false;
    const trials = await Promise.all(
      records.map(async record => {
        const job = this.toJob(record, view);
        const params = Object.fromEntries(
          swept.map(p => [p, record.spec.hyperparameters[p]]),
        ) as Partial<Hyperparameters>;
        let objective: number | undefined;
        if (record.mlflowRunId && this.deps.mlflow) {
          try {
            const run = await this.deps.mlflow.getRun(record.mlflowRunId);
            const m = run.data.metrics?.find(
              x => x.key === sweep.objective.metric,
            );
            if (m) objective = m.value;
          } catch (e) {
            if (!mlflowFailed)
              errors.push({ source: 'mlflow', message: errorMessage(e) });
            mlflowFailed = true;
          }
        }
        return {
          job,
          params,
          ...(objective !== undefined ? { objective } : {}),
        };
      }),
    );
    const scored = trials.filter(t => t.objective !== undefined);
    const sign = sweep.objective.goal === 'minimize' ? 1 : -1;
    const best = scored.sort((a, b) => sign * (a.objective! - b.objective!))[0];
    return {
      sweep,
      trials: trials.sort((a, b) =>
        a.job.name.localeCompare(b.job.name, undefined, { numeric: true }),
      ),
      ...(best ? { bestTrialId: best.job.id } : {}),
      ...(errors.length ? { errors } : {}),
    };
  }

  // ----------------------------------------------------------------------------- serving

  async serve(
    credentials: BackstageCredentials,
    id: string,
    request: ServeRequest,
  ): Promise<ServedModel> {
    const { record } = await this.visibleRecord(credentials, id);
    const modelName =
      request.modelName ?? `ft-${record.namespace}-${record.name}`;
    return audited(
      this.deps.audit,
      this.deps.logger,
      {
        credentials,
        action: 'finetuning.model.serve',
        cluster: record.cluster,
        namespace: record.namespace,
        kind: 'OllamaModel',
        name: modelName,
      },
      async () => {
        await requireOn(this.deps.permissions, credentials, {
          read: finetuningJobReadPermission,
          permission: finetuningModelServePermission,
          cluster: record.cluster,
          namespace: record.namespace,
          what: `job ${id}`,
        });
        if (!MODEL_NAME.test(modelName)) {
          throw new InputError(
            `modelName: '${modelName}' must start with ft- and hold lowercase letters, digits, '.', '_' or '-' (at most 103 characters)`,
          );
        }
        const base = this.config.baseModels.find(
          b => b.name === record.spec.baseModel,
        );
        if (!base?.ollamaModel) {
          throw new InputError(
            `the base model ${record.spec.baseModel} has no ollamaModel: it cannot be served`,
          );
        }
        if (!this.deps.serving) {
          throw new ServiceUnavailableError(
            'Serving needs Ollama and the store: kubemate.finetuning.ollama and kubemate.finetuning.storage are not both configured',
          );
        }
        const tags =
          record.mlflowRunId && this.deps.mlflow
            ? tagsOf(
                await this.deps.mlflow
                  .getRun(record.mlflowRunId)
                  .catch(() => undefined),
              )
            : {};
        const adapter = await this.adapter(record.outputUri, tags);
        if (!adapter.available) {
          throw new ConflictError('the job has not written an adapter yet');
        }
        let served: ServedModel;
        try {
          served = await this.deps.metrics.time(
            'ollama',
            this.deps.serving.serve({
              modelName,
              ollamaBase: base.ollamaModel,
              adapterUri: record.outputUri,
              job: {
                id: record.id,
                cluster: record.cluster,
                namespace: record.namespace,
                baseModel: record.spec.baseModel,
              },
              createdBy: actorOf(credentials),
              untrained: adapter.untrained,
            }),
          );
        } catch (e) {
          this.deps.metrics.served.inc({ result: 'failed' });
          throw e;
        }
        this.deps.metrics.served.inc({ result: 'created' });
        await this.deps.store.upsertServedModel(served);
        return {
          result: served,
          message: `Ollama model ${served.name} FROM ${
            served.ollamaBase
          } + adapter ${served.adapterUri}${
            served.untrained ? ' (untrained adapter)' : ''
          }`,
        };
      },
    );
  }

  async models(
    credentials: BackstageCredentials,
  ): Promise<ListResponse<ServedModel>> {
    const scope = await requireNamespaceScope(this.deps.permissions, {
      credentials,
      permission: finetuningJobReadPermission,
    });
    const items = await this.deps.store.listServedModels();
    return { items: items.filter(m => inScope(scope, m.namespace)) };
  }
}

function tagsOf(run: MlflowRun | undefined): Record<string, string> {
  return Object.fromEntries((run?.data.tags ?? []).map(t => [t.key, t.value]));
}

function toJobPod(p: V1Pod): JobPod {
  const labels = p.metadata?.labels ?? {};
  const gpus = (p.spec?.containers ?? []).reduce(
    (n, c) =>
      n +
      parseQuantity(
        (c.resources?.limits?.[GPU_RESOURCE] as string | undefined) ??
          (c.resources?.requests?.[GPU_RESOURCE] as string | undefined) ??
          0,
      ),
    0,
  );
  const started = p.status?.startTime;
  return {
    name: p.metadata?.name ?? '',
    replicaType:
      labels[REPLICA_TYPE_POD_LABEL] === 'worker' ? 'Worker' : 'Master',
    index: Number(labels[REPLICA_INDEX_POD_LABEL] ?? 0),
    phase: p.status?.phase ?? 'Unknown',
    ...(p.spec?.nodeName ? { nodeName: p.spec.nodeName } : {}),
    gpus,
    ...(started ? { startedAt: new Date(started).toISOString() } : {}),
  };
}
