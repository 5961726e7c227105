/*
 * The finetuning API on the REAL dev stack (dev-cluster; parts kubernetes, gpu, rag, finetuning):
 * the real Kubeflow Training Operator v1.9.2 creates the pods of the PyTorchJobs the plugin creates
 * as the user, the real Kueue v0.17 holds and admits them, MLflow 3 stores the runs and MinIO the
 * datasets. The test never writes a status. Kueue-side everything is the test's own: cohort
 * `ftit-<rand>`, ClusterQueues `ftit-<rand>-*` with 1 GPU of the seed's A100 flavor, LocalQueue
 * `gpu` in namespaces `payments-ftit-<rand>` (alice's `payments-*` scope) and `risk-ftit-<rand>`
 * (bob's). The team's namespace Role (the finetuning.job.* Kubernetes rules bound to the team's
 * group) is created as the RBAC sync would. Training metrics are logged BY THE TEST to the job's
 * MLflow run as the training script would (kwok runs the pods, nothing trains); the dev stack's
 * demo trainer may add its own simulated points to the same run.
 */
import { randomBytes } from 'node:crypto';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { mockServices } from '@backstage/backend-test-utils';
import {
  CompareResponse,
  Dataset,
  DatasetPreview,
  FinetuningJob,
  FinetuningJobDetails,
  finetuningKubernetesRules,
  FinetuningOptions,
  JobLogs,
  ServedModel,
  RunMetrics,
  SweepDetails,
} from '@kubemate/plugin-finetuning-common';
import {
  DevStack,
  inNamespacesDecision,
  loadDemoEntities,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  userInfoFactory,
  waitFor,
  writeLoraAdapter,
} from '@kubemate/dev-stack';
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import { Client } from 'minio';
import request from 'supertest';
import { finetuningPlugin } from './plugin';

jest.setTimeout(15 * 60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const as = (u: string) => mockCredentials.user.header(u);

const s = randomBytes(3).toString('hex');
const CLUSTER = 'dev-cluster';
const PAY_NS = `payments-ftit-${s}`;
const RISK_NS = `risk-ftit-${s}`;
const COHORT = `ftit-${s}`;
const CQ = { pay: `ftit-${s}-pay`, risk: `ftit-${s}-risk` };
const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta2' };
const PYTORCHJOB = {
  group: 'kubeflow.org',
  version: 'v1',
  plural: 'pytorchjobs',
};
/** The seed's flavor of the kwok A100 nodes. */
const FLAVOR = 'nvidia-a100-sxm4-40gb';
const GPU = 'nvidia.com/gpu';
const EXPERIMENT_PREFIX = `kubemate-finetuning-it-${s}`;

const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-payments'],
  [BOB]: [BOB, 'group:default/team-risk'],
};

let stack: DevStack;
let backend: Awaited<ReturnType<typeof startTestBackend>>;
let mlflowUrl: string;
let minio: Client;
let bucket: string;
let ollamaUrl: string;
const MODEL = `ft-${PAY_NS}-fraud-lora`;

const admin = () => {
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    batch: kc.makeApiClient(BatchV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
};

const api = () => request(backend.server);
const get = async <T>(path: string, user = ALICE): Promise<T> => {
  const res = await api()
    .get(`/api/finetuning${path}`)
    .set('Authorization', as(user));
  if (res.status !== 200) {
    throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
};

const mlflow = async (path: string, body: object) => {
  const res = await fetch(`${mlflowUrl}/api/2.0/mlflow/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(`MLflow ${path}: ${res.status} ${await res.text()}`);
  return res.json();
};

const clusterQueue = (name: string) => ({
  apiVersion: `${KUEUE.group}/${KUEUE.version}`,
  kind: 'ClusterQueue',
  metadata: { name, labels: { 'kubemate.io/test': 'true' } },
  spec: {
    cohortName: COHORT,
    namespaceSelector: {},
    queueingStrategy: 'BestEffortFIFO',
    resourceGroups: [
      {
        coveredResources: ['cpu', 'memory', GPU],
        flavors: [
          {
            name: FLAVOR,
            resources: [
              { name: 'cpu', nominalQuota: '8' },
              { name: 'memory', nominalQuota: '8Gi' },
              // no borrowing: the test's 1 GPU is all the queue has
              { name: GPU, nominalQuota: '1', borrowingLimit: '0' },
            ],
          },
        ],
      },
    ],
  },
});

/** A 1-GPU Job that holds the test queue's quota (kwok keeps it running for an hour). */
async function submitBlocker(name: string) {
  await admin().batch.createNamespacedJob({
    namespace: PAY_NS,
    body: {
      metadata: { name, labels: { 'kueue.x-k8s.io/queue-name': 'gpu' } },
      spec: {
        suspend: true,
        backoffLimit: 0,
        template: {
          metadata: { annotations: { 'kwok.kubemate.io/run-duration': '1h' } },
          spec: {
            restartPolicy: 'Never',
            tolerations: [
              { key: GPU, operator: 'Exists', effect: 'NoSchedule' },
            ],
            containers: [
              {
                name: 'blocker',
                image: 'registry.kubemate.local/gpu-test:1.0.0',
                resources: {
                  requests: { cpu: '100m', memory: '64Mi', [GPU]: '1' },
                  limits: { [GPU]: '1' },
                },
              },
            ],
          },
        },
      },
    },
  });
}

const jsonl = (rows: object[]) =>
  Buffer.from(rows.map(r => JSON.stringify(r)).join('\n'));
const GOOD_ROWS = Array.from({ length: 12 }, (_, i) => ({
  instruction: `Classify transaction ${i} as fraud or not`,
  response: i % 3 === 0 ? 'fraud' : 'not fraud',
}));

async function uploadDataset(
  name: string,
  body: Buffer,
  fileName: string,
  user = ALICE,
) {
  return api()
    .post('/api/finetuning/datasets')
    .set('Authorization', as(user))
    .field('cluster', CLUSTER)
    .field('namespace', PAY_NS)
    .field('name', name)
    .attach('file', body, fileName);
}

const launchBody = (datasetId: string, extra: object = {}) => ({
  cluster: CLUSTER,
  namespace: PAY_NS,
  baseModel: 'smollm2-135m-instruct',
  datasetId,
  hyperparameters: {
    rank: 8,
    alpha: 16,
    learningRate: 0.0002,
    epochs: 1,
    batchSize: 4,
  },
  resources: { workers: 1, gpusPerWorker: 1, flavor: FLAVOR },
  queue: 'gpu',
  ...extra,
});

const jobState = async (id: string) =>
  (await get<FinetuningJobDetails>(`/jobs/${id}`)).job;

const podsOf = async (name: string) =>
  (
    await admin().core.listNamespacedPod({
      namespace: PAY_NS,
      labelSelector: `training.kubeflow.org/job-name=${name}`,
    })
  ).items;

beforeAll(async () => {
  stack = await requireStack({
    only: ['kubernetes', 'postgres', 'gpu', 'rag', 'finetuning'],
  });
  const ft = stack.finetuning;
  if (!ft?.mlflow || !ft.storage || !ft.trainingOperator) {
    throw new Error(
      'the dev stack part finetuning (training operator, MLflow, store) is not up',
    );
  }
  mlflowUrl = ft.mlflow.url;
  ollamaUrl = stack.rag?.ollama?.url ?? 'http://127.0.0.1:11434';
  bucket = ft.storage.bucket;
  minio = new Client({
    endPoint: ft.storage.endPoint,
    port: ft.storage.port,
    useSSL: false,
    accessKey: ft.storage.accessKey,
    secretKey: ft.storage.secretKey,
    region: 'us-east-1',
    pathStyle: true,
  });
  const { core, rbac, custom } = admin();
  for (const name of [PAY_NS, RISK_NS]) {
    await core.createNamespace({
      body: { metadata: { name, labels: { 'kubemate.io/test': 'true' } } },
    });
  }
  for (const [name, ns] of [
    [CQ.pay, PAY_NS],
    [CQ.risk, RISK_NS],
  ]) {
    await custom.createClusterCustomObject({
      ...KUEUE,
      plural: 'clusterqueues',
      body: clusterQueue(name),
    });
    await custom.createNamespacedCustomObject({
      ...KUEUE,
      namespace: ns,
      plural: 'localqueues',
      body: {
        apiVersion: `${KUEUE.group}/${KUEUE.version}`,
        kind: 'LocalQueue',
        metadata: { name: 'gpu', namespace: ns },
        spec: { clusterQueue: name },
      },
    });
  }
  // what the RBAC sync gives team-payments in its namespaces for finetuning.job.*
  const rules = [
    ...finetuningKubernetesRules['finetuning.job.read'],
    ...finetuningKubernetesRules['finetuning.job.create'],
    ...finetuningKubernetesRules['finetuning.job.cancel'],
  ];
  await rbac.createNamespacedRole({
    namespace: PAY_NS,
    body: { metadata: { name: 'ftit-finetuning' }, rules },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: PAY_NS,
    body: {
      metadata: { name: 'ftit-finetuning' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'ftit-finetuning',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: 'kubemate:group:team-payments',
        },
      ],
    },
  });
  await waitFor(
    'Kueue to mark the test ClusterQueues active',
    async () => {
      const list = (await custom.listClusterCustomObject({
        ...KUEUE,
        plural: 'clusterqueues',
        labelSelector: 'kubemate.io/test=true',
      })) as any;
      const ours = list.items.filter((q: any) =>
        Object.values(CQ).includes(q.metadata.name),
      );
      return (
        ours.length === 2 &&
        ours.every((q: any) =>
          q.status?.conditions?.some(
            (c: any) => c.type === 'Active' && c.status === 'True',
          ),
        )
      );
    },
    60_000,
  );

  backend = await startTestBackend({
    features: [
      finetuningPlugin,
      catalogServiceMock.factory({ entities: loadDemoEntities() as Entity[] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: stackClustersConfig(stack),
          kubemate: {
            finetuning: {
              mlflow: {
                url: mlflowUrl,
                experimentPrefix: EXPERIMENT_PREFIX,
                timeoutMs: 10_000,
              },
              storage: { ...ft.storage, useSSL: false },
              ollama: { baseUrl: ollamaUrl },
              baseModels: [
                {
                  name: 'smollm2-135m-instruct',
                  title: 'SmolLM2 135M Instruct',
                  hfModel: 'HuggingFaceTB/SmolLM2-135M-Instruct',
                  ollamaModel: 'smollm2-135m',
                  parameters: '135M',
                },
              ],
              trainer: {
                image: 'registry.kubemate.local/lora-trainer:test',
                cpu: '100m',
                memory: '64Mi',
                podAnnotations: { 'kwok.kubemate.io/run-duration': '1h' },
              },
              datasets: { maxBytes: 4096 },
            },
          },
        },
      }),
      userInfoFactory(OWNERSHIP),
      permissionsMockFactory(user => {
        if (user === ALICE) return inNamespacesDecision(['payments-*']);
        if (user === BOB) return inNamespacesDecision(['risk-*']);
        return { result: AuthorizeResult.DENY };
      }),
    ],
  });
}, 30 * 60_000);

afterAll(async () => {
  await backend?.stop();
  if (!stack) return;
  const { core, custom } = admin();
  const ignore = () => undefined;
  for (const name of [PAY_NS, RISK_NS]) {
    await core
      .deleteNamespace({ name, propagationPolicy: 'Foreground' })
      .catch(ignore);
  }
  for (const name of Object.values(CQ)) {
    await custom
      .deleteClusterCustomObject({ ...KUEUE, plural: 'clusterqueues', name })
      .catch(ignore);
  }
  await fetch(`${ollamaUrl}/api/delete`, {
    method: 'DELETE',
    body: JSON.stringify({ model: MODEL }),
  }).catch(ignore);
  if (minio) {
    for (const prefix of [
      `datasets/${CLUSTER}/${PAY_NS}/`,
      `adapters/${CLUSTER}/${PAY_NS}/`,
    ]) {
      const keys: string[] = [];
      for await (const o of minio.listObjectsV2(bucket, prefix, true))
        if (o.name) keys.push(o.name);
      if (keys.length) await minio.removeObjects(bucket, keys).catch(ignore);
    }
  }
  if (mlflowUrl) {
    const exp = await fetch(
      `${mlflowUrl}/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(
        `${EXPERIMENT_PREFIX}/${PAY_NS}`,
      )}`,
    )
      .then(r => (r.ok ? r.json() : undefined))
      .catch(ignore);
    if (exp?.experiment) {
      await mlflow('experiments/delete', {
        experiment_id: exp.experiment.experiment_id,
      }).catch(ignore);
    }
  }
}, 5 * 60_000);

describe('finetuning API on the real training operator, Kueue, MLflow and MinIO', () => {
  let dataset: Dataset;
  let job: FinetuningJob;

  it('validates a dataset upload: a malformed JSONL is a 400 naming the line; a good one lands in MinIO and previews', async () => {
    const bad = Buffer.from(
      [
        JSON.stringify(GOOD_ROWS[0]),
        JSON.stringify(GOOD_ROWS[1]),
        '{"instruction": "x", "response": ',
      ].join('\n'),
    );
    const refused = await uploadDataset('bad', bad, 'bad.jsonl');
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toMatch(/^line 3: not valid JSON/);

    const tooBig = await uploadDataset(
      'big',
      Buffer.alloc(5000, 'x'),
      'big.jsonl',
    );
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.error.message).toBe('file: larger than 4096 bytes');

    const res = await uploadDataset(
      'fraud-labels',
      jsonl(GOOD_ROWS),
      'fraud.jsonl',
    );
    expect(res.status).toBe(201);
    dataset = res.body;
    expect(dataset).toMatchObject({
      cluster: CLUSTER,
      namespace: PAY_NS,
      name: 'fraud-labels',
      format: 'jsonl',
      rows: 12,
      fields: ['instruction', 'response'],
      uri: `s3://${bucket}/datasets/${CLUSTER}/${PAY_NS}/fraud-labels/fraud.jsonl`,
      createdBy: ALICE,
    });
    const stat = await minio.statObject(
      bucket,
      `datasets/${CLUSTER}/${PAY_NS}/fraud-labels/fraud.jsonl`,
    );
    expect(stat.size).toBe(dataset.bytes);

    const preview = await get<DatasetPreview>(
      `/datasets/${dataset.id}/preview?limit=3`,
    );
    expect(preview.rows).toEqual(GOOD_ROWS.slice(0, 3));

    const again = await uploadDataset(
      'fraud-labels',
      jsonl(GOOD_ROWS),
      'fraud.jsonl',
    );
    expect(again.status).toBe(409);
    // another team's dataset does not exist for bob
    const hidden = await api()
      .get(`/api/finetuning/datasets/${dataset.id}`)
      .set('Authorization', as(BOB));
    expect(hidden.status).toBe(404);
  });

  it('offers the base model (servable: Ollama has smollm2-135m), the GPU flavors and the queues alice may launch in', async () => {
    const options = await get<FinetuningOptions>(`/options?cluster=${CLUSTER}`);
    expect(options.baseModels).toEqual([
      expect.objectContaining({
        name: 'smollm2-135m-instruct',
        ollamaModel: 'smollm2-135m',
        servable: true,
      }),
    ]);
    expect(options.flavors).toContainEqual({
      cluster: CLUSTER,
      name: FLAVOR,
      product: 'NVIDIA-A100-SXM4-40GB',
    });
    expect(options.queues).toContainEqual({
      cluster: CLUSTER,
      namespace: PAY_NS,
      name: 'gpu',
      clusterQueue: CQ.pay,
    });
    expect(options.queues.some(q => q.namespace === RISK_NS)).toBe(false);
    expect(options.limits.maxDatasetBytes).toBe(4096);
  });

  it('refuses bob a launch in team-payments (403) and names bad fields (400)', async () => {
    const denied = await api()
      .post('/api/finetuning/jobs')
      .set('Authorization', as(BOB))
      .send(launchBody(dataset.id));
    expect(denied.status).toBe(403);
    const noQueue = await api()
      .post('/api/finetuning/jobs')
      .set('Authorization', as(ALICE))
      .send(launchBody(dataset.id, { queue: 'nope' }));
    expect(noQueue.status).toBe(400);
    expect(noQueue.body.error.message).toBe(
      `queue: no LocalQueue 'nope' in ${CLUSTER}/${PAY_NS}`,
    );
  });

  it('launches a PyTorchJob that Kueue holds while the quota is used up and admits when freed; the controller makes its pods', async () => {
    await submitBlocker('blocker');
    await waitFor(
      'the blocker to be admitted',
      async () =>
        (
          await admin().batch.readNamespacedJob({
            namespace: PAY_NS,
            name: 'blocker',
          })
        ).spec?.suspend === false,
      90_000,
      500,
    );
    const res = await api()
      .post('/api/finetuning/jobs')
      .set('Authorization', as(ALICE))
      .send(launchBody(dataset.id, { name: 'fraud-lora' }));
    expect(res.status).toBe(201);
    job = res.body;
    expect(job).toMatchObject({
      name: 'fraud-lora',
      namespace: PAY_NS,
      createdBy: ALICE,
    });
    expect(job.mlflowRunId).toBeDefined();
    // created as alice (impersonated): the PyTorchJob exists with the portal's labels
    const live = (await admin().custom.getNamespacedCustomObject({
      ...PYTORCHJOB,
      namespace: PAY_NS,
      name: 'fraud-lora',
    })) as any;
    expect(live.metadata.labels).toMatchObject({
      'kubemate.io/finetuning-job': job.id,
      'kueue.x-k8s.io/queue-name': 'gpu',
    });

    const queued = await waitFor(
      'Kueue to hold the job for quota',
      async () => {
        const j = await jobState(job.id);
        return j.state === 'Queued' && j.queue?.workload && j.queue.message
          ? j
          : undefined;
      },
      90_000,
      500,
    );
    expect(queued.queue).toMatchObject({
      state: 'pending',
      clusterQueue: CQ.pay,
      position: 1,
    });
    expect(queued.queue!.message).toMatch(/quota/);
    expect(await podsOf('fraud-lora')).toEqual([]);

    await admin().batch.deleteNamespacedJob({
      namespace: PAY_NS,
      name: 'blocker',
      propagationPolicy: 'Background',
    });
    const running = await waitFor(
      'Kueue to admit the job and the controller to run its pods',
      async () => {
        const j = await jobState(job.id);
        return j.state === 'Running' ? j : undefined;
      },
      180_000,
      1000,
    );
    expect(running.queue).toMatchObject({ state: 'admitted', flavor: FLAVOR });
    const details = await get<FinetuningJobDetails>(`/jobs/${job.id}`);
    expect(details.pods).toEqual([
      expect.objectContaining({
        name: 'fraud-lora-master-0',
        replicaType: 'Master',
        index: 0,
        gpus: 1,
        phase: 'Running',
      }),
    ]);
    expect(
      details.events.some(
        e => e.object.startsWith('PyTorchJob/') || e.object.startsWith('Pod/'),
      ),
    ).toBe(true);
    const logs = await get<JobLogs>(`/jobs/${job.id}/logs?tailLines=50`);
    expect(logs).toMatchObject({
      pod: 'fraud-lora-master-0',
      container: 'pytorch',
    });
    expect(Array.isArray(logs.lines)).toBe(true);
    const foreign = await api()
      .get(`/api/finetuning/jobs/${job.id}/logs?pod=blocker-xyz`)
      .set('Authorization', as(ALICE));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.message).toBe(
      'pod: blocker-xyz is not a pod of job fraud-lora',
    );
  });

  it('reads the run’s params (logged at launch) and metrics (logged by the test as the training script would) back from MLflow', async () => {
    const now = Date.now();
    await mlflow('runs/log-batch', {
      run_id: job.mlflowRunId,
      metrics: [1, 2, 3].map(step => ({
        key: 'ftit_train_loss',
        value: 2 / step,
        timestamp: now + step,
        step,
      })),
    });
    const m = await get<RunMetrics>(`/jobs/${job.id}/metrics`);
    expect(m.runId).toBe(job.mlflowRunId);
    expect(m.params).toMatchObject({
      base_model: 'smollm2-135m-instruct',
      dataset: 'fraud-labels',
      dataset_sha256: dataset.sha256,
      dataset_rows: '12',
      lora_rank: '8',
      learning_rate: '0.0002',
      gpus_per_worker: '1',
    });
    expect(m.metrics.ftit_train_loss.map(p => [p.step, p.value])).toEqual([
      [1, 2],
      [2, 1],
      [3, 2 / 3],
    ]);
    expect(m.latest.ftit_train_loss).toBeCloseTo(2 / 3);
  });

  it('launches a sweep of 4 trials compared on one call', async () => {
    const res = await api()
      .post('/api/finetuning/sweeps')
      .set('Authorization', as(ALICE))
      .send({
        base: launchBody(dataset.id, {
          name: 'fraud-sweep',
          resources: { workers: 1, gpusPerWorker: 1, flavor: FLAVOR },
        }),
        strategy: 'grid',
        space: {
          rank: { values: [4, 8] },
          learningRate: { values: [0.0001, 0.0003] },
        },
        maxTrials: 4,
      });
    expect(res.status).toBe(201);
    const sweep: SweepDetails = res.body;
    expect(sweep.trials.map(t => t.job.name)).toEqual([
      'fraud-sweep-t1',
      'fraud-sweep-t2',
      'fraud-sweep-t3',
      'fraud-sweep-t4',
    ]);
    const live = (await admin().custom.listNamespacedCustomObject({
      ...PYTORCHJOB,
      namespace: PAY_NS,
      labelSelector: `kubemate.io/finetuning-sweep=${sweep.sweep.id}`,
    })) as any;
    expect(live.items).toHaveLength(4);
    const compare = await get<CompareResponse>(
      `/compare?ids=${sweep.sweep.trialIds.join(',')}`,
    );
    expect(compare.runs).toHaveLength(4);
    expect(compare.runs.every(r => r.metrics && !r.error)).toBe(true);
    expect(compare.differingParams).toEqual(
      expect.arrayContaining(['learning_rate', 'lora_rank']),
    );
    expect(compare.differingParams).not.toContain('dataset');
    expect(
      compare.runs.map(r => [
        r.metrics!.params.lora_rank,
        r.metrics!.params.learning_rate,
      ]),
    ).toEqual([
      ['4', '0.0001'],
      ['8', '0.0001'],
      ['4', '0.0003'],
      ['8', '0.0003'],
    ]);
    const again = await get<SweepDetails>(`/sweeps/${sweep.sweep.id}`);
    expect(again.trials).toHaveLength(4);
  });

  it('cancels the job: the PyTorchJob is deleted as the user, its pods go, the run is KILLED, the record stays Cancelled', async () => {
    const denied = await api()
      .post(`/api/finetuning/jobs/${job.id}/cancel`)
      .set('Authorization', as(BOB));
    expect(denied.status).toBe(404);
    const res = await api()
      .post(`/api/finetuning/jobs/${job.id}/cancel`)
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('Cancelled');
    await waitFor(
      'the job’s pods to be gone',
      async () => (await podsOf('fraud-lora')).length === 0,
      120_000,
      1000,
    );
    const run = await fetch(
      `${mlflowUrl}/api/2.0/mlflow/runs/get?run_id=${job.mlflowRunId}`,
    ).then(r => r.json());
    expect(run.run.info.status).toBe('KILLED');
    expect((await jobState(job.id)).state).toBe('Cancelled');
    const twice = await api()
      .post(`/api/finetuning/jobs/${job.id}/cancel`)
      .set('Authorization', as(ALICE));
    expect(twice.status).toBe(409);
  });

  it('serves the job’s adapter (an UNTRAINED zero-initialised LoRA adapter the test writes, labelled as such) through Ollama, and the model answers', async () => {
    const none = await api()
      .post(`/api/finetuning/jobs/${job.id}/serve`)
      .set('Authorization', as(ALICE))
      .send({});
    expect(none.status).toBe(409);
    expect(none.body.error.message).toBe(
      'the job has not written an adapter yet',
    );
    // what the training script writes at the job's output URI; lora_B = 0: untrained, marked so
    const prefix = job.adapter!.uri.replace(`s3://${bucket}/`, '');
    const files: Record<string, Buffer> = {
      ...writeLoraAdapter({
        rank: 8,
        alpha: 16,
        targetModules: ['q_proj', 'v_proj'],
      }),
      KUBEMATE_UNTRAINED: Buffer.from(
        'untrained zero-initialised adapter written by plugin.integration.test.ts\n',
      ),
    };
    for (const [name, body] of Object.entries(files)) {
      await minio.putObject(bucket, `${prefix}${name}`, body, body.length);
    }
    const res = await api()
      .post(`/api/finetuning/jobs/${job.id}/serve`)
      .set('Authorization', as(ALICE))
      .send({});
    expect(res.status).toBe(201);
    const served: ServedModel = res.body;
    expect(served).toMatchObject({
      name: MODEL,
      jobId: job.id,
      ollamaBase: 'smollm2-135m',
      adapterUri: job.adapter!.uri,
      untrained: true,
      createdBy: ALICE,
    });
    const models = await get<{ items: ServedModel[] }>('/models');
    expect(models.items.map(m => m.name)).toContain(MODEL);
    expect((await get<{ items: ServedModel[] }>('/models', BOB)).items).toEqual(
      [],
    );
    const answer = await fetch(`${ollamaUrl}/api/generate`, {
      method: 'POST',
      body: JSON.stringify({
        model: MODEL,
        prompt: 'Is a 5000 EUR card payment at 3am fraud? Answer briefly.',
        stream: false,
        options: { num_predict: 16, temperature: 0, seed: 7 },
      }),
      signal: AbortSignal.timeout(180_000),
    }).then(r => r.json());
    expect(String(answer.response).trim().length).toBeGreaterThan(0);
    const details = await get<FinetuningJobDetails>(`/jobs/${job.id}`);
    expect(details.job.adapter).toEqual({
      uri: job.adapter!.uri,
      available: true,
      untrained: true,
    });
    expect(details.job.servedModels).toEqual([MODEL]);
  });
});
