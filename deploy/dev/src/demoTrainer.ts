/*
 * Demo trainer (DEMO DATA, not training): plays the training script of a fine-tuning job, which
 * cannot run on kwok (no container, no GPU). The Training Operator, Kueue, the pods' lifecycle and
 * MLflow are real; what this process makes up is what the script would have produced.
 *
 * Every few seconds it lists, in each cluster, the PyTorchJobs labelled `kubemate.io/finetuning-job`
 * and the pods the Training Operator made for them (label training.kubeflow.org/job-name). For a job
 * whose Master pod is Running it:
 *   - logs to the MLflow run of its annotation `kubemate.io/mlflow-run-id` (REST runs/log-batch) a
 *     deterministic, plausible curve derived from its spec (annotation `kubemate.io/finetuning-spec`:
 *     learning rate, rank, epochs, batch size, workers; seeded by the job's uid — src/demoTrainerCurve.ts):
 *     train_loss, eval_loss (per epoch), learning_rate (warmup + cosine), epoch, tokens_per_second, the
 *     steps spread over the pods' kwok run duration (pod annotation `kwok.kubemate.io/run-duration`,
 *     default 5 s); the parameters Transformers/PEFT would log; tag `kubemate.demo=true`;
 *   - writes per-pod log lines (the Trainer's `{'loss': ...}` lines on the Master, rank lines on the
 *     Workers) in CRI format to <state-dir>/<cluster>/<namespace>/<pod>.log and gives the pod a kwok
 *     `Logs` object (kwok.x-k8s.io/v1alpha1, owned by the pod) pointing at that file, so the kubelet
 *     API (`kubectl logs`, the portal) serves them.
 * When the job's Succeeded condition is true it logs the last step, writes an UNTRAINED
 * (zero-initialised lora_B) PEFT LoRA adapter (src/loraAdapter.ts) + the marker file
 * KUBEMATE_UNTRAINED to the output URI (annotation `kubemate.io/finetuning-output`, s3:// in MinIO),
 * tags the run `kubemate.adapter.untrained=true` and `kubemate.adapter.uri=<uri>` and sets it
 * FINISHED; Failed → FAILED; a job deleted while this process followed it → KILLED.
 * Idempotent across restarts: the state is MLflow's (last logged step of train_loss, run status).
 *
 * GET /healthz is 200 once every cluster has been read; GET /status lists the followed jobs (JSON).
 *
 * Run by deploy/dev/servers/99-mlflow.sh (part `finetuning`) with Node 22 (type stripping):
 *   node deploy/dev/src/demoTrainer.ts --port <DEMO_TRAINER_PORT> --mlflow <url> --s3-endpoint <url> \
 *     --state-dir <dir> --cluster <name>=<kubeconfig> ...
 * (environment: S3_ACCESS_KEY, S3_SECRET_KEY; the kubeconfigs are the ServiceAccount
 * kubeflow/kubemate-demo-trainer's, seed/finetuning/rbac.yaml).
 */
import { createHash, createHmac } from 'node:crypto';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import {
  simulation,
  stepMetrics,
  trainerLogLine,
  trainerParams,
  workerLogLine,
  type Simulation,
  type SimulationSpec,
  type StepMetrics,
} from './demoTrainerCurve.ts';
import {
  UNTRAINED_MARKER_FILE,
  untrainedMarker,
  writeLoraAdapter,
  type LlamaLoraTarget,
} from './loraAdapter.ts';

const POLL_MS = 3000;
const TIMEOUT_MS = 8000;
const JOB_LABEL = 'kubemate.io/finetuning-job';
const RUN_ANNOTATION = 'kubemate.io/mlflow-run-id';
const SPEC_ANNOTATION = 'kubemate.io/finetuning-spec';
const OUTPUT_ANNOTATION = 'kubemate.io/finetuning-output';
const DURATION_ANNOTATION = 'kwok.kubemate.io/run-duration';
const JOB_NAME_LABEL = 'training.kubeflow.org/job-name';
const REPLICA_TYPE_LABEL = 'training.kubeflow.org/replica-type';
const REPLICA_INDEX_LABEL = 'training.kubeflow.org/replica-index';
const PYTORCHJOB = {
  group: 'kubeflow.org',
  version: 'v1',
  plural: 'pytorchjobs',
};
const KWOK_LOGS = {
  group: 'kwok.x-k8s.io',
  version: 'v1alpha1',
  plural: 'logs',
};
const METRIC_KEYS = [
  'train_loss',
  'learning_rate',
  'epoch',
  'tokens_per_second',
  'eval_loss',
] as const;
const HF_MODELS: Record<string, string> = {
  'smollm2-135m-instruct': 'HuggingFaceTB/SmolLM2-135M-Instruct',
};

const { values: cli } = parseArgs({
  options: {
    port: { type: 'string' },
    mlflow: { type: 'string' },
    's3-endpoint': { type: 'string' },
    's3-region': { type: 'string', default: 'us-east-1' },
    'state-dir': { type: 'string' },
    cluster: { type: 'string', multiple: true },
  },
});
const port = Number(cli.port);
if (!Number.isInteger(port) || port <= 0) throw new Error('--port is required');
if (!cli.mlflow || !cli['s3-endpoint'] || !cli['state-dir'])
  throw new Error('--mlflow, --s3-endpoint and --state-dir are required');
const MLFLOW = cli.mlflow.replace(/\/+$/, '');
const S3 = new URL(cli['s3-endpoint']);
const S3_REGION = cli['s3-region']!;
const STATE_DIR = cli['state-dir'];
const S3_ACCESS_KEY = process.env.S3_ACCESS_KEY ?? '';
const S3_SECRET_KEY = process.env.S3_SECRET_KEY ?? '';
if (!S3_ACCESS_KEY || !S3_SECRET_KEY)
  throw new Error('S3_ACCESS_KEY and S3_SECRET_KEY must be set');

interface Cluster {
  name: string;
  core: CoreV1Api;
  custom: CustomObjectsApi;
}
const clusters: Cluster[] = (cli.cluster ?? []).map(spec => {
  const i = spec.indexOf('=');
  if (i <= 0)
    throw new Error(`--cluster takes <name>=<kubeconfig> (got ${spec})`);
  const kc = new KubeConfig();
  kc.loadFromFile(spec.slice(i + 1));
  return {
    name: spec.slice(0, i),
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
});
if (!clusters.length)
  throw new Error('at least one --cluster <name>=<kubeconfig>');

function log(msg: string): void {
  process.stdout.write(`${new Date().toISOString()} ${msg}\n`);
}

function withTimeout<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what}: no answer in ${TIMEOUT_MS} ms`)),
      TIMEOUT_MS,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------- MLflow (REST API 2.0)

class MlflowError extends Error {
  readonly status: number;
  readonly code?: string;
  constructor(message: string, status: number, code?: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function mlflow(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<any> {
  const res = await fetch(`${MLFLOW}/api/2.0/mlflow/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : {};
  if (!res.ok)
    throw new MlflowError(
      `MLflow ${path}: ${res.status} ${json.error_code ?? ''} ${
        json.message ?? text
      }`.trim(),
      res.status,
      json.error_code,
    );
  return json;
}

async function lastLoggedStep(runId: string): Promise<number> {
  let max = 0;
  let pageToken: string | undefined;
  do {
    const q = new URLSearchParams({
      run_id: runId,
      metric_key: 'train_loss',
      max_results: '25000',
    });
    if (pageToken) q.set('page_token', pageToken);
    const r = await mlflow('GET', `metrics/get-history?${q}`);
    for (const m of r.metrics ?? []) max = Math.max(max, Number(m.step ?? 0));
    pageToken = r.next_page_token || undefined;
  } while (pageToken);
  return max;
}

async function logBatch(
  runId: string,
  metrics: { key: string; value: number; timestamp: number; step: number }[],
  params: { key: string; value: string }[] = [],
  tags: { key: string; value: string }[] = [],
): Promise<void> {
  for (let i = 0; i < Math.max(1, metrics.length); i += 900) {
    await mlflow('POST', 'runs/log-batch', {
      run_id: runId,
      metrics: metrics.slice(i, i + 900),
      params: i === 0 ? params : [],
      tags: i === 0 ? tags : [],
    });
  }
}

// ---------------------------------------------------------------- S3 (MinIO): PutObject, SigV4

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}
function encodeSegment(s: string): string {
  return encodeURIComponent(s).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

async function s3Put(
  bucket: string,
  key: string,
  body: Buffer,
  contentType: string,
): Promise<void> {
  const path = `/${encodeSegment(bucket)}/${key
    .split('/')
    .map(encodeSegment)
    .join('/')}`;
  const amzDate = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
  const day = amzDate.slice(0, 8);
  const payloadHash = sha256Hex(body);
  const host = S3.host;
  const signedHeaders = 'content-type;host;x-amz-content-sha256;x-amz-date';
  const canonical = [
    'PUT',
    path,
    '',
    `content-type:${contentType}\nhost:${host}\nx-amz-content-sha256:${payloadHash}\nx-amz-date:${amzDate}\n`,
    signedHeaders,
    payloadHash,
  ].join('\n');
  const scope = `${day}/${S3_REGION}/s3/aws4_request`;
  const toSign = [
    'AWS4-HMAC-SHA256',
    amzDate,
    scope,
    sha256Hex(canonical),
  ].join('\n');
  const key4 = hmac(
    hmac(hmac(hmac(`AWS4${S3_SECRET_KEY}`, day), S3_REGION), 's3'),
    'aws4_request',
  );
  const signature = createHmac('sha256', key4).update(toSign).digest('hex');
  const res = await fetch(`${S3.origin}${path}`, {
    method: 'PUT',
    headers: {
      'content-type': contentType,
      'x-amz-content-sha256': payloadHash,
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${S3_ACCESS_KEY}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    },
    body: new Uint8Array(body),
    signal: AbortSignal.timeout(TIMEOUT_MS * 2),
  });
  if (!res.ok)
    throw new Error(
      `MinIO PUT ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`,
    );
}

function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!m) throw new Error(`output URI ${uri} is not s3://<bucket>/<prefix>`);
  const prefix = m[2] && !m[2].endsWith('/') ? `${m[2]}/` : m[2];
  return { bucket: m[1], prefix };
}

// ---------------------------------------------------------------- the jobs

interface Followed {
  key: string;
  cluster: Cluster;
  namespace: string;
  name: string;
  uid: string;
  runId?: string;
  spec: SimulationSpec;
  sim: Simulation;
  /** ms since epoch when the Master started running */
  startedAt?: number;
  durationMs: number;
  lastStep: number;
  /** the run was terminal when found, or this process finished it */
  done: boolean;
  outcome?: 'FINISHED' | 'FAILED' | 'KILLED';
  paramsLogged: boolean;
  /** pods whose Logs object exists, -> their log file */
  podLogs: Map<string, string>;
  error?: string;
}

const followed = new Map<string, Followed>();
const readOnce = new Set<string>();
const lastError = new Map<string, string>();

/** Go duration (as kwok's stage reads it: "90s", "1m30s", "500ms") in ms */
export function goDurationMs(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    total +=
      Number(m[1]) *
      { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[
        m[2] as 'ms' | 's' | 'm' | 'h'
      ];
    consumed += m[0].length;
  }
  return consumed === s.length && consumed > 0 ? total : undefined;
}

function condition(job: any, type: string): boolean {
  return (job.status?.conditions ?? []).some(
    (c: any) => c.type === type && c.status === 'True',
  );
}

function podStartedAt(pod: V1Pod): number | undefined {
  const started = pod.status?.containerStatuses?.find(s => s.state?.running)
    ?.state?.running?.startedAt;
  const t = started ?? pod.status?.startTime;
  return t ? new Date(t).getTime() : undefined;
}

function criLine(t: number, line: string): string {
  return `${new Date(t)
    .toISOString()
    .replace('Z', '000000Z')} stdout F ${line}\n`;
}

function stepTime(f: Followed, step: number): number {
  return (
    (f.startedAt ?? Date.now()) +
    Math.round((f.durationMs * step) / (f.sim.totalSteps + 1))
  );
}

async function ensurePodLogs(f: Followed, pod: V1Pod): Promise<string> {
  const podName = pod.metadata!.name!;
  const existing = f.podLogs.get(podName);
  if (existing) return existing;
  const dir = join(STATE_DIR, f.cluster.name, f.namespace);
  const file = join(dir, `${podName}.log`);
  await mkdir(dir, { recursive: true });
  const type = (
    pod.metadata?.labels?.[REPLICA_TYPE_LABEL] ?? 'master'
  ).toLowerCase();
  const index = Number(pod.metadata?.labels?.[REPLICA_INDEX_LABEL] ?? 0);
  const rank = type === 'master' ? 0 : index + 1;
  const t0 = podStartedAt(pod) ?? Date.now();
  const spec = f.spec;
  const intro = [
    `[kubemate demo trainer] DEMO DATA: simulated training on a kwok node, nothing executes (job ${f.namespace}/${f.name}, rank ${rank})`,
    `Initializing torch.distributed: backend=nccl world_size=${f.sim.worldSize} rank=${rank}`,
    ...(rank === 0
      ? [
          `Loading base model ${
            HF_MODELS[spec.baseModel ?? ''] ?? spec.baseModel ?? 'unknown'
          }`,
          `Dataset ${
            spec.datasetName ?? 'unknown'
          }: tokenized, max_length=1024`,
          `trainable params: LoRA r=${f.sim.rank} alpha=${f.sim.alpha} target_modules=['q_proj', 'v_proj']`,
          `***** Running training *****  Num Epochs = ${f.sim.epochs}  Total optimization steps = ${f.sim.totalSteps}  Instantaneous batch size per device = ${f.sim.batchSize}`,
        ]
      : [
          `[rank${rank}] joined the process group, waiting for the master's broadcast`,
        ]),
  ];
  // a file written before a restart of this process is kept as it is (its lines stay, no second intro)
  await writeFile(file, intro.map(l => criLine(t0, l)).join(''), {
    flag: 'wx',
  }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  try {
    await withTimeout(
      f.cluster.custom.createNamespacedCustomObject({
        ...KWOK_LOGS,
        namespace: f.namespace,
        body: {
          apiVersion: `${KWOK_LOGS.group}/${KWOK_LOGS.version}`,
          kind: 'Logs',
          metadata: {
            name: podName,
            namespace: f.namespace,
            labels: {
              'kubemate.io/demo-data': 'true',
              [JOB_NAME_LABEL]: f.name,
            },
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'Pod',
                name: podName,
                uid: pod.metadata!.uid!,
                blockOwnerDeletion: false,
              },
            ],
          },
          spec: { logs: [{ logsFile: file }] },
        },
      }),
      `${f.cluster.name}: create Logs ${f.namespace}/${podName}`,
    );
  } catch (e: any) {
    if (e?.code !== 409) throw e;
  }
  f.podLogs.set(podName, file);
  return file;
}

async function writeStepLines(
  f: Followed,
  pods: V1Pod[],
  steps: StepMetrics[],
): Promise<void> {
  for (const pod of pods) {
    if (pod.status?.phase !== 'Running' && pod.status?.phase !== 'Succeeded')
      continue;
    const file = await ensurePodLogs(f, pod);
    const type = (
      pod.metadata?.labels?.[REPLICA_TYPE_LABEL] ?? 'master'
    ).toLowerCase();
    const rank =
      type === 'master'
        ? 0
        : Number(pod.metadata?.labels?.[REPLICA_INDEX_LABEL] ?? 0) + 1;
    const lines = steps.flatMap(m => {
      if (rank === 0)
        return trainerLogLine(m).map(l => criLine(stepTime(f, m.step), l));
      // a worker rank prints every 5th step
      if (m.step % 5 !== 0 && m.step !== f.sim.totalSteps) return [];
      return [criLine(stepTime(f, m.step), workerLogLine(rank, f.sim, m))];
    });
    if (lines.length) await appendFile(file, lines.join(''));
  }
}

async function appendToPods(
  f: Followed,
  pods: V1Pod[],
  line: string,
): Promise<void> {
  for (const pod of pods) {
    const file = f.podLogs.get(pod.metadata!.name!);
    if (file) await appendFile(file, criLine(Date.now(), line));
  }
}

function metricsOf(f: Followed, m: StepMetrics) {
  const timestamp = stepTime(f, m.step);
  return METRIC_KEYS.filter(k => m[k] !== undefined).map(k => ({
    key: k,
    value: m[k] as number,
    timestamp,
    step: m.step,
  }));
}

/** first sight of a job with a Running Master: the run's state from MLflow */
async function attach(f: Followed): Promise<void> {
  if (!f.runId) return;
  const run = (
    await mlflow('GET', `runs/get?run_id=${encodeURIComponent(f.runId)}`)
  ).run;
  const status = run?.info?.status;
  if (status === 'FINISHED' || status === 'FAILED' || status === 'KILLED') {
    f.done = true;
    f.outcome = status;
    return;
  }
  f.lastStep = Math.min(await lastLoggedStep(f.runId), f.sim.totalSteps);
  const existing = new Set<string>(
    (run?.data?.params ?? []).map((p: any) => p.key),
  );
  const params = Object.entries(trainerParams(f.sim, f.spec))
    .filter(([k]) => !existing.has(k))
    .map(([key, value]) => ({ key, value }));
  await logBatch(f.runId, [], params, [
    { key: 'kubemate.demo', value: 'true' },
    {
      key: 'kubemate.demo.note',
      value:
        'DEMO DATA: simulated by the dev stack demo trainer; nothing was trained',
    },
  ]);
  f.paramsLogged = true;
}

async function advance(
  f: Followed,
  pods: V1Pod[],
  upTo: number,
): Promise<void> {
  const steps: StepMetrics[] = [];
  for (let s = f.lastStep + 1; s <= Math.min(upTo, f.sim.totalSteps); s++)
    steps.push(stepMetrics(f.sim, s));
  if (!steps.length) return;
  if (f.runId)
    await logBatch(
      f.runId,
      steps.flatMap(m => metricsOf(f, m)),
    );
  await writeStepLines(f, pods, steps);
  f.lastStep = steps[steps.length - 1].step;
}

async function finish(
  f: Followed,
  job: any,
  pods: V1Pod[],
  outcome: 'FINISHED' | 'FAILED',
): Promise<void> {
  if (outcome === 'FINISHED') {
    await advance(f, pods, f.sim.totalSteps);
    const uri = job.metadata?.annotations?.[OUTPUT_ANNOTATION];
    const tags = [{ key: 'kubemate.demo', value: 'true' }];
    if (uri) {
      const { bucket, prefix } = parseS3Uri(uri);
      const files = writeLoraAdapter({
        baseModel:
          HF_MODELS[f.spec.baseModel ?? ''] ??
          HF_MODELS['smollm2-135m-instruct'],
        rank: f.sim.rank,
        alpha: f.sim.alpha,
        dropout: f.spec.hyperparameters?.dropout ?? 0.05,
        targetModules: ['q_proj', 'v_proj'] as LlamaLoraTarget[],
        seed: f.sim.seed,
      });
      await s3Put(
        bucket,
        `${prefix}adapter_config.json`,
        files['adapter_config.json'],
        'application/json',
      );
      await s3Put(
        bucket,
        `${prefix}adapter_model.safetensors`,
        files['adapter_model.safetensors'],
        'application/octet-stream',
      );
      await s3Put(
        bucket,
        `${prefix}${UNTRAINED_MARKER_FILE}`,
        untrainedMarker('the dev stack demo trainer: simulated training'),
        'text/plain',
      );
      tags.push(
        { key: 'kubemate.adapter.untrained', value: 'true' },
        { key: 'kubemate.adapter.uri', value: uri },
      );
      await appendToPods(
        f,
        pods.filter(
          p =>
            (p.metadata?.labels?.[REPLICA_TYPE_LABEL] ?? '').toLowerCase() ===
            'master',
        ),
        `Saving adapter to ${uri} (DEMO DATA: an UNTRAINED zero-initialised LoRA adapter, marker ${UNTRAINED_MARKER_FILE})`,
      );
    }
    if (f.runId) await logBatch(f.runId, [], [], tags);
  } else {
    await appendToPods(f, pods, 'training failed (the PyTorchJob is Failed)');
  }
  if (f.runId)
    await mlflow('POST', 'runs/update', {
      run_id: f.runId,
      status: outcome,
      end_time: Date.now(),
    });
  f.done = true;
  f.outcome = outcome;
  log(`${f.key}: run ${f.runId ?? '-'} ${outcome}`);
}

async function readCluster(c: Cluster): Promise<void> {
  const jobs: any[] = (
    (await withTimeout(
      c.custom.listClusterCustomObject({
        ...PYTORCHJOB,
        labelSelector: JOB_LABEL,
      }),
      `${c.name}: list PyTorchJobs`,
    )) as any
  ).items;
  const pods = (
    await withTimeout(
      c.core.listPodForAllNamespaces({ labelSelector: JOB_NAME_LABEL }),
      `${c.name}: list pods`,
    )
  ).items;
  const seen = new Set<string>();
  for (const job of jobs) {
    const key = `${c.name}/${job.metadata.namespace}/${job.metadata.name}/${job.metadata.uid}`;
    seen.add(key);
    const jobPods = pods.filter(
      p =>
        p.metadata?.namespace === job.metadata.namespace &&
        p.metadata?.ownerReferences?.some(o => o.uid === job.metadata.uid),
    );
    let f = followed.get(key);
    if (f?.done) continue;
    const master = jobPods.find(
      p =>
        (p.metadata?.labels?.[REPLICA_TYPE_LABEL] ?? '').toLowerCase() ===
        'master',
    );
    const succeeded = condition(job, 'Succeeded');
    const failed = condition(job, 'Failed');
    if (!f) {
      if (
        !master ||
        (master.status?.phase !== 'Running' && !succeeded && !failed)
      )
        continue;
      let spec: SimulationSpec = {};
      try {
        spec = JSON.parse(job.metadata.annotations?.[SPEC_ANNOTATION] ?? '{}');
      } catch {
        spec = {};
      }
      f = {
        key,
        cluster: c,
        namespace: job.metadata.namespace,
        name: job.metadata.name,
        uid: job.metadata.uid,
        runId: job.metadata.annotations?.[RUN_ANNOTATION] || undefined,
        spec,
        sim: simulation(spec, job.metadata.uid),
        durationMs:
          goDurationMs(master.metadata?.annotations?.[DURATION_ANNOTATION]) ??
          5000,
        lastStep: 0,
        done: false,
        paramsLogged: false,
        podLogs: new Map(),
      };
      followed.set(key, f);
      await attach(f);
      log(
        `${key}: following (run ${f.runId ?? 'none'}, ${
          f.sim.totalSteps
        } steps over ${f.durationMs} ms${
          f.done ? `, run already ${f.outcome}` : ''
        })`,
      );
      if (f.done) continue;
    }
    try {
      if (!f.startedAt && master) f.startedAt = podStartedAt(master);
      if (!f.paramsLogged) await attach(f);
      if (succeeded) await finish(f, job, jobPods, 'FINISHED');
      else if (failed) await finish(f, job, jobPods, 'FAILED');
      else if (master?.status?.phase === 'Running' && f.startedAt) {
        const due = Math.floor(
          ((Date.now() - f.startedAt) / f.durationMs) * (f.sim.totalSteps + 1),
        );
        await advance(f, jobPods, Math.min(due, f.sim.totalSteps - 1));
      }
      f.error = undefined;
    } catch (e: any) {
      f.error = String(e?.message ?? e);
      log(`${key}: ${f.error}`);
    }
  }
  // jobs deleted while followed: the run is KILLED
  for (const f of followed.values()) {
    if (f.cluster !== c || seen.has(f.key)) continue;
    if (!f.done && f.runId) {
      try {
        await mlflow('POST', 'runs/update', {
          run_id: f.runId,
          status: 'KILLED',
          end_time: Date.now(),
        });
        log(`${f.key}: deleted while running: run ${f.runId} KILLED`);
      } catch (e: any) {
        if (!(e instanceof MlflowError && e.status === 404)) {
          f.error = String(e?.message ?? e);
          continue; // retried at the next poll
        }
      }
    }
    followed.delete(f.key);
  }
}

// ---------------------------------------------------------------- server

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/healthz') {
    const missing = clusters.filter(c => !readOnce.has(c.name));
    res.writeHead(missing.length ? 503 : 200, { 'content-type': 'text/plain' });
    res.end(
      missing.length
        ? `not read yet: ${missing.map(c => c.name).join(', ')}\n`
        : 'ok\n',
    );
  } else if (url.pathname === '/status') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        {
          demoData: true,
          errors: Object.fromEntries(lastError),
          jobs: [...followed.values()].map(f => ({
            cluster: f.cluster.name,
            namespace: f.namespace,
            name: f.name,
            uid: f.uid,
            runId: f.runId,
            totalSteps: f.sim.totalSteps,
            lastStep: f.lastStep,
            durationMs: f.durationMs,
            done: f.done,
            outcome: f.outcome,
            pods: [...f.podLogs.keys()],
            error: f.error,
          })),
        },
        null,
        2,
      ),
    );
  } else {
    res.writeHead(404).end();
  }
});

let polling = false;
async function poll(): Promise<void> {
  if (polling) return;
  polling = true;
  try {
    await Promise.all(
      clusters.map(async c => {
        try {
          await readCluster(c);
          readOnce.add(c.name);
          if (lastError.has(c.name)) log(`${c.name}: reading again`);
          lastError.delete(c.name);
        } catch (e: any) {
          const msg = String(e?.message ?? e);
          if (lastError.get(c.name) !== msg) log(`${c.name}: ${msg}`);
          lastError.set(c.name, msg);
        }
      }),
    );
  } finally {
    polling = false;
  }
}

void mkdir(STATE_DIR, { recursive: true }).then(() =>
  writeFile(
    join(STATE_DIR, 'README'),
    'Pod logs written by the dev stack demo trainer (DEMO DATA), served by kwok Logs objects.\n',
  ),
);
server.listen(port, '127.0.0.1', () => {
  log(
    `demo trainer (DEMO DATA) on http://127.0.0.1:${port}/status for ${clusters
      .map(c => c.name)
      .join(', ')}; MLflow ${MLFLOW}`,
  );
});
void poll();
setInterval(() => void poll(), POLL_MS);
for (const sig of ['SIGTERM', 'SIGINT'] as const) {
  process.on(sig, () => {
    server.close();
    process.exit(0);
  });
}
