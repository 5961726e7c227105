/*
 * @kubemate/dev-stack — test helper for the local real infrastructure in deploy/dev.
 *
 * `requireStack()` runs `deploy/dev/stack.sh up` (idempotent: fast when the stack is
 * already running) and returns the parsed connection details written by the script
 * (`<state>/dev/stack.json`), with helpers to build `@kubernetes/client-node` KubeConfigs.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from './appConfig';

export { waitFor } from './waitFor';
export {
  DEMO_DECISIONS,
  inNamespacesDecision,
  permissionsMockFactory,
  stackClustersConfig,
  testPermissions,
  userInfoFactory,
} from './testKit';
export type { TestDecider } from './testKit';
export {
  mergeJson,
  renderStackAppConfig,
  stackAppConfig,
  writeStackAppConfig,
} from './appConfig';
export type { JsonObject, JsonValue } from './appConfig';
export {
  bfloat16Bits,
  float16Bits,
  readSafetensorsHeader,
  SMOLLM2_135M,
  UNTRAINED_MARKER_FILE,
  untrainedMarker,
  writeLoraAdapter,
  writeSafetensors,
} from './loraAdapter';
export type {
  LlamaDims,
  LlamaLoraTarget,
  LoraAdapterFiles,
  LoraAdapterOptions,
  SafetensorsDtype,
  SafetensorsTensor,
} from './loraAdapter';

/** The identities provisioned in every dev cluster's token file. */
export type StackIdentity = 'admin' | 'portal' | 'norbac';

/** Names of the servers groups that `stack.sh up --only` understands. */
export type StackPart =
  | 'kubernetes'
  | 'postgres'
  | 'metrics'
  | 'telemetry'
  | 'git'
  | 'tekton'
  | 'triggers'
  | 'canary'
  | 'inspections'
  | 'rag'
  | 'gpu'
  | 'finetuning'
  | 'helm';

export interface DevStackCluster {
  name: string;
  url: string;
  caFile: string;
  caData: string;
  /** Tokens per identity, plus the RBAC sync's own (rbacSync). */
  tokens: Record<StackIdentity, string> & { rbacSync: string };
  kubeconfigs: Record<StackIdentity, string>;
  ports: { apiserver: number; etcd: number; kwok: number };
}

export interface DevStackPostgres {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** The read-only role of the database inspections (pg_monitor, pg_read_all_data, read-only transactions). */
  inspector?: { user: string; password: string };
}

/** The metrics servers (`stack.sh up --only metrics`). */
export interface DevStackMetrics {
  /** Thanos Query HTTP API (deduplicates on `replicaLabel`). */
  thanosQuery: string;
  /** The two Prometheus replicas (external label replica="0" and "1"). */
  prometheus: string[];
  /** The Thanos sidecars' HTTP endpoints, one per replica. */
  sidecars: string[];
  /** The Thanos sidecars' gRPC addresses (`host:port`, Query's store endpoints), one per replica. */
  sidecarsGrpc: string[];
  /** Thanos Store gateway (HTTP) over the object storage bucket the sidecars upload to. */
  store: string;
  /** Thanos Store gateway's gRPC address (`host:port`, a store endpoint of Query). */
  storeGrpc: string;
  /** Thanos Compactor (HTTP): compacts and downsamples the bucket (5m and 1h resolutions). */
  compactor: string;
  /** The FILESYSTEM bucket (a local directory) standing in for object storage. */
  bucketDir: string;
  alertmanager: string;
  /** The demo traffic generator's /metrics (synthetic demo data). */
  demoTraffic: string;
  replicaLabel: string;
  /** This host's node exporter (servers/34-node-exporter.sh), scraped as `job`, `instance`. */
  nodeExporter?: {
    url: string;
    /** The textfile collector's directory (`*.prom` files other servers write). */
    textfileDir: string;
    job: string;
    instance: string;
  };
}

/** The logs and traces servers (`stack.sh up --only telemetry`). */
export interface DevStackTelemetry {
  /** Loki HTTP API (push, query, tail). */
  loki: string;
  /** Jaeger query HTTP API (and UI). */
  jaeger: string;
  /** Jaeger's OTLP/HTTP receiver (POST /v1/traces). */
  otlpHttp: string;
  /** The demo telemetry generator's GET /status (synthetic demo data). */
  demoTelemetry: string;
}

/** The local Git host (`stack.sh up --only git`, src/gitServer.ts). */
export interface DevStackGit {
  /** Base URL: `/git/<name>.git` (smart HTTP), `/raw/<name>/<ref>/<path>`, `/api/repos`. */
  url: string;
  reposDir: string;
}

/** The Tekton Pipelines controllers (`stack.sh up --only tekton`), one per dev cluster. */
export interface DevStackTektonPipelines {
  version: string;
  /** SYSTEM_NAMESPACE: the controller's config maps. */
  namespace: string;
  controllers: Array<{
    cluster: string;
    /** The controller's own identity (ServiceAccount tekton-pipelines/tekton-pipelines-controller). */
    kubeconfig: string;
    probes: string;
    metrics: string;
    log: string;
  }>;
}

/** Tekton Triggers (`stack.sh up --only triggers`, servers/*-tekton-triggers.sh). */
export interface DevStackTektonTriggers {
  version: string;
  /** Where upstream installs it (its config maps, ServiceAccounts, interceptor certificate). */
  namespace: string;
  /** The controller of each cluster (its own ServiceAccount's kubeconfig). */
  controllers: Array<{
    cluster: string;
    kubeconfig: string;
    probes: string;
    metrics: string;
    log: string;
  }>;
  /** The core interceptors of each cluster (HTTPS, local CA), which the ClusterInterceptors point at. */
  interceptors: Array<{
    cluster: string;
    url: string;
    caFile: string;
    log: string;
  }>;
  /** The EventListener gateway (src/listenerGateway.ts): one eventlistenersink process per listener. */
  gateway: {
    url: string;
    /** `<url>/{cluster}/{namespace}/{name}`: where the Git host's push webhooks go. */
    listenerUrl: string;
    /** Per listener: its sink's kubeconfig, token and `sink.log`. */
    stateDir: string;
    log: string;
  };
}

/** Canary releases (`stack.sh up --only canary`, servers/80-flagger.sh). */
export interface DevStackCanary {
  /** Flagger's version (github.com/fluxcd/flagger). */
  version: string;
  /** Flagger's namespace (its ServiceAccount `flagger`). */
  namespace: string;
  /** One Flagger per cluster (host process, mesh provider gatewayapi:v1). */
  flagger: Array<{
    cluster: string;
    /** Flagger's port: `/healthz`, `/metrics`. */
    port: number;
    url: string;
    /** The Prometheus API Flagger queries (-metrics-server; the stack's Thanos Query). */
    metricsServer: string;
    /** Flagger's own identity (ServiceAccount flagger-system/flagger). */
    kubeconfig: string;
    log: string;
  }>;
  /** The demo mesh exporter (src/demoMesh.ts): simulated Linkerd-proxy series, `/metrics`, `/status`. */
  mesh: { url: string; log: string };
}

/** GPU quotas (`stack.sh up --only gpu`, servers/85-kueue.sh). */
export interface DevStackGpu {
  /** Kueue's version (sigs.k8s.io/kueue). */
  kueueVersion: string;
  /** Kueue's namespace (its ServiceAccount `kueue-controller-manager`). */
  namespace: string;
  /** The local CA of Kueue's webhook and metrics certificates. */
  caFile: string;
  /** One Kueue per cluster (host process). */
  kueue: Array<{
    cluster: string;
    ports: { webhook: number; health: number; metrics: number };
    /** `/healthz`, `/readyz` */
    healthUrl: string;
    /** https, the local CA; a bearer token allowed `get` on the non-resource URL /metrics. */
    metricsUrl: string;
    /** Kueue's own identity (ServiceAccount kueue-system/kueue-controller-manager). */
    kubeconfig: string;
    /** Its Configuration (config.kueue.x-k8s.io/v1beta2). */
    config: string;
    log: string;
  }>;
  /** The demo DCGM exporter (src/demoDcgm.ts): simulated per-GPU series, `/metrics`, `/status`. */
  dcgm: { url: string; log: string };
}

/**
 * Fine-tuning (`stack.sh up --only finetuning`, servers/86-training-operator.sh, 99-mlflow.sh): the
 * Kubeflow Training Operator per cluster, MLflow, the demo trainer. Each key is absent until its
 * server has state.
 */
export interface DevStackFinetuning {
  trainingOperator?: {
    /** github.com/kubeflow/training-operator */
    version: string;
    /** its namespace (ServiceAccount `training-operator`, Secret `training-operator-webhook-cert`) */
    namespace: string;
    /** the local CA of its webhook's serving certificate */
    caFile: string;
    clusters: Array<{
      cluster: string;
      ports: { webhook: number; health: number; metrics: number };
      /** `/healthz`, `/readyz` */
      healthUrl: string;
      metricsUrl: string;
      /** its own identity (ServiceAccount kubeflow/training-operator) */
      kubeconfig: string;
      log: string;
    }>;
  };
  /** The MLflow tracking server (REST API 2.0 under `<url>/api/2.0/mlflow/`). */
  mlflow?: {
    url: string;
    version: string;
    /** the database of the stack's PostgreSQL holding its backend store */
    database: string;
    /** `s3://kubemate-finetuning/mlflow` in MinIO (proxied: `--serve-artifacts`) */
    artifacts: string;
    venv: string;
    log: string;
  };
  /** MinIO (part rag) as the portal's fine-tuning store (bucket kubemate-finetuning). */
  storage?: {
    endPoint: string;
    port: number;
    accessKey: string;
    secretKey: string;
    bucket: string;
  };
  /** The demo trainer (src/demoTrainer.ts, DEMO DATA): `GET <url>/status`. */
  demoTrainer?: { url: string; log: string; podLogsDir: string };
}

/** What the inspections need (`stack.sh up --only inspections`, servers/90-etcd-backup.sh, 91-demo-tls.sh). */
export interface DevStackInspections {
  /** The host cron runner (src/etcdBackup.ts): etcd snapshots and demo cron jobs, `GET <url>/status`. */
  etcdBackup?: {
    url: string;
    /** The node exporter textfile it writes. */
    textfile: string;
    /** Per cluster with a snapshot schedule: its backup directory. */
    backupDirs: Record<string, string>;
    intervalSeconds: number;
    keep: number;
    /** The seeded failing host cron job. */
    failingJob: string;
    log: string;
  };
  /** The demo TLS endpoint and the Secret with certificates that expire within 30 days. */
  demoTls?: {
    name: string;
    url: string;
    port: number;
    /** The local CA that issued both certificates. */
    caFile: string;
    certFile: string;
    secret: {
      cluster: string;
      namespace: string;
      name: string;
      certFile: string;
    };
  };
}

/** The knowledge assistant's servers (`stack.sh up --only rag`, servers/95-98). */
export interface DevStackRag {
  /** Redis (Debian redis-server): a cache only (no persistence, LRU). */
  redis?: { url: string; port: number; version: string; log: string };
  /** MinIO (S3 API, built from its Go module); the root credentials, a password generated once. */
  minio?: {
    url: string;
    endPoint: string;
    port: number;
    accessKey: string;
    secretKey: string;
    /** The file holding secretKey. */
    secretKeyFile: string;
    /** The portal's bucket (created by the portal when missing). */
    bucket: string;
    version: string;
    dataDir: string;
    log: string;
  };
  /** milvus-lite in server mode (Milvus gRPC API; no users, RBAC or TLS). */
  milvus?: {
    /** host:port of the gRPC endpoint. */
    address: string;
    port: number;
    version: string;
    dataDir: string;
    /** The virtualenv with milvus-lite and pymilvus. */
    venv: string;
    log: string;
  };
  /** Ollama (built from its Go module, CPU) with the imported models. */
  ollama?: {
    url: string;
    port: number;
    version: string;
    embeddingModel: string;
    generationModel: string;
    /** Importable on demand: KUBEMATE_RAG_EXTRA_MODELS=<name>,... stack.sh up --only rag. */
    onDemandModels: string[];
    modelsDir: string;
    log: string;
  };
}

/** An EventListener as the gateway runs it (`GET <gateway>/api/listeners`). */
export interface DevStackListener {
  cluster: string;
  namespace: string;
  name: string;
  serviceAccount: string;
  url: string;
  port: number;
  pid: number | null;
  ready: boolean;
  restarts: number;
  /** The sink's JSON log (debug level: stopped events are logged with their event id). */
  log: string;
}

/** Raw content of stack.json. */
export interface DevStackFile {
  version: number;
  stateDir: string;
  clusters: DevStackCluster[];
  postgres: DevStackPostgres | null;
  /** Absent or null unless the metrics part was started. */
  metrics?: DevStackMetrics | null;
  /** Absent or null unless the telemetry part was started. */
  telemetry?: DevStackTelemetry | null;
  /** Absent or null unless the git part was started. */
  git?: DevStackGit | null;
  /** Each key is absent unless its part (tekton, triggers) was started. */
  tekton?: {
    pipelines?: DevStackTektonPipelines;
    triggers?: DevStackTektonTriggers;
  };
  /** Absent unless the canary part was started. */
  canary?: DevStackCanary;
  /** Absent unless the inspections part was started. */
  inspections?: DevStackInspections;
  /** Absent unless the rag part was started. */
  rag?: DevStackRag;
  /** Absent unless the gpu part was started. */
  gpu?: DevStackGpu;
  /** Absent unless the finetuning part was started. */
  finetuning?: DevStackFinetuning;
  /** The Helm CLI (part `helm`, servers/87-helm.sh): absent until it is built. */
  helm?: { bin: string; version: string };
  kubeconfig: string;
  /** Path of the Backstage config overlay app-config.stack.yaml, derived from this file's `appConfig`. */
  appConfigFile: string;
  /**
   * The Backstage config fragments of the server files, merged; the overlay is this plus
   * `kubemate.devStack.stateFile` (see `stackAppConfig`).
   */
  appConfig: JsonObject;
}

export interface DevStack extends DevStackFile {
  /** Path of the stack.json this object was read from. */
  stateFile: string;
  /** Looks up a cluster by name; throws if it is not part of the running stack. */
  cluster(name: string): DevStackCluster;
  /** A KubeConfig for one cluster acting as one of the provisioned identities. */
  kubeConfigFor(cluster: string, identity: StackIdentity): KubeConfig;
  /** PostgreSQL connection URL (throws if postgres is not part of the stack). */
  postgresUrl(): string;
}

/** Root of the repository (deploy/dev/src -> repo). */
// This package is only ever used from the source tree (tests, dev tooling), never bundled.
// eslint-disable-next-line no-restricted-syntax
export const repoRoot = resolve(__dirname, '..', '..', '..');
/** The stack manager script. */
export const stackScript = resolve(repoRoot, 'deploy', 'dev', 'stack.sh');

/** Location of stack.json, honouring KUBEMATE_STATE like stack.sh does. */
export function stackStateFile(): string {
  const stateRoot =
    process.env.KUBEMATE_STATE ?? resolve(repoRoot, '.kubemate');
  return resolve(stateRoot, 'dev', 'stack.json');
}

function runStackScript(args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      'bash',
      [stackScript, ...args],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: process.env },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `deploy/dev/stack.sh ${args.join(' ')} failed: ${
                error.message
              }\n${stderr}`,
            ),
          );
          return;
        }
        resolvePromise(`${stdout}${stderr}`);
      },
    );
  });
}

/** Reads stack.json without starting anything. */
export function readStack(stateFile: string = stackStateFile()): DevStack {
  const file = JSON.parse(readFileSync(stateFile, 'utf8')) as DevStackFile;
  const stack: DevStack = {
    ...file,
    stateFile,
    cluster(name: string) {
      const found = file.clusters.find(c => c.name === name);
      if (!found) {
        throw new Error(
          `cluster ${name} is not part of the dev stack (have: ${file.clusters
            .map(c => c.name)
            .join(', ')}); run deploy/dev/stack.sh up --clusters ${name}`,
        );
      }
      return found;
    },
    kubeConfigFor(cluster: string, identity: StackIdentity) {
      const c = stack.cluster(cluster);
      const user = `kubemate-${identity}@${c.name}`;
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [
          {
            name: c.name,
            server: c.url,
            caData: c.caData,
            skipTLSVerify: false,
          },
        ],
        users: [{ name: user, token: c.tokens[identity] }],
        contexts: [{ name: c.name, cluster: c.name, user }],
        currentContext: c.name,
      });
      return kc;
    },
    postgresUrl() {
      const pg = file.postgres;
      if (!pg) {
        throw new Error(
          'postgres is not part of the dev stack; run stack.sh up --only postgres',
        );
      }
      return `postgresql://${encodeURIComponent(pg.user)}:${encodeURIComponent(
        pg.password,
      )}@${pg.host}:${pg.port}/${pg.database}`;
    },
  };
  return stack;
}

const pending = new Map<string, Promise<DevStack>>();

/**
 * Brings the dev stack up (idempotent) and returns its connection details.
 * The first run on a fresh machine builds the binaries (can take a long time);
 * afterwards `up` only checks/starts what is missing.
 */
export async function requireStack(opts?: {
  only?: StackPart[];
  clusters?: string[];
  timeoutMs?: number;
}): Promise<DevStack> {
  const only = [...new Set(opts?.only ?? ['kubernetes', 'postgres'])].sort();
  const args = ['up', '--only', only.join(',')];
  if (opts?.clusters?.length) {
    args.push('--clusters', opts.clusters.join(','));
  }
  const key = args.join(' ');
  let promise = pending.get(key);
  if (!promise) {
    promise = runStackScript(args, opts?.timeoutMs ?? 45 * 60_000).then(() =>
      readStack(),
    );
    pending.set(key, promise);
    promise.catch(() => pending.delete(key));
  }
  return promise;
}

/** Stops the stack processes (keeps data). */
export async function stopStack(opts?: { purge?: boolean }): Promise<void> {
  await runStackScript(
    opts?.purge ? ['down', '--purge'] : ['down'],
    5 * 60_000,
  );
  pending.clear();
}

/** A catalog entity as written in catalog/*.yaml (structurally a Backstage `Entity`). */
export interface DemoEntity {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  spec?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The demo entities of catalog/org.yaml and catalog/system.yaml, in namespace `default`. */
export function loadDemoEntities(): DemoEntity[] {
  const entities: DemoEntity[] = [];
  for (const file of ['catalog/org.yaml', 'catalog/system.yaml']) {
    for (const doc of parseAllDocuments(
      readFileSync(resolve(repoRoot, file), 'utf8'),
    )) {
      const e = doc.toJS() as DemoEntity | null;
      if (e) {
        entities.push({
          ...e,
          metadata: { namespace: 'default', ...e.metadata },
        });
      }
    }
  }
  return entities;
}
