/*
 * The finetuning router with the real services on fakes (no stack): SQLite for the tables, a fake
 * cluster registry (Kueue and PyTorchJob objects in memory), a fake MLflow and object store, and
 * the permissions of the test kit (alice in payments-*, bob in risk-*). Checks what the HTTP
 * contract promises: 403 for bob launching in payments-dev, 404 for another team's dataset, 400s
 * naming the field, the first bad line of a dataset, the size limit, and a failed create recorded
 * as failed with its MLflow run FAILED.
 */
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { inNamespacesDecision, testPermissions } from '@kubemate/dev-stack';
import express from 'express';
import { Readable } from 'node:stream';
import request from 'supertest';
import { readFinetuningConfig } from './lib/config';
import { createRouter } from './router';
import { DefaultDatasetsService } from './services/Datasets';
import { DefaultJobsService } from './services/Jobs';
import { createFinetuningMetrics } from './services/Metrics';
import { DatabaseFinetuningStore } from './services/Store';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const LQ = {
  metadata: { name: 'gpu', namespace: 'payments-dev' },
  spec: { clusterQueue: 'team-payments' },
};

async function setUp(options: { createFails?: Error } = {}) {
  const knex = await databases.init('SQLITE_3');
  const store = new DatabaseFinetuningStore({
    getClient: async () => knex,
  } as any);
  const objects = new Map<string, Buffer>();
  const objectStore = {
    bucket: 'kubemate-finetuning',
    uri: (k: string) => `s3://kubemate-finetuning/${k}`,
    keyOf: (u: string) => u.replace('s3://kubemate-finetuning/', ''),
    put: jest.fn(async (k: string, b: Buffer) => {
      objects.set(k, b);
    }),
    stream: async (k: string) => {
      const b = objects.get(k);
      if (!b) throw new NotFoundError(k);
      return Readable.from([b]);
    },
    exists: async (k: string) => objects.has(k),
    delete: async (k: string) => {
      objects.delete(k);
    },
  };
  const mlflow = {
    ensureExperiment: jest.fn(async () => 'exp-1'),
    createRun: jest.fn(async () => ({
      run_id: 'run-1',
      experiment_id: 'exp-1',
      status: 'RUNNING',
    })),
    logBatch: jest.fn(async (_runId: string, _batch: any) => {}),
    updateRun: jest.fn(async () => {}),
    getRun: jest.fn(),
    metricHistory: jest.fn(async () => []),
  };
  const created: any[] = [];
  const create = jest.fn(async ({ body }: any) => {
    if (options.createFails) throw options.createFails;
    const obj = { ...body, metadata: { ...body.metadata, uid: 'uid-1' } };
    created.push(obj);
    return obj;
  });
  const custom = {
    listClusterCustomObject: async ({ plural }: any) => ({
      items:
        (
          { pytorchjobs: created, localqueues: [LQ] } as Record<
            string,
            unknown[]
          >
        )[plural] ?? [],
    }),
    getNamespacedCustomObject: async ({ plural, namespace, name }: any) => {
      if (
        plural === 'localqueues' &&
        namespace === 'payments-dev' &&
        name === 'gpu'
      )
        return LQ;
      throw new NotFoundError(`${plural} ${name}`);
    },
    getClusterCustomObject: async ({ name }: any) => {
      throw new NotFoundError(name);
    },
  };
  const core = {
    readNamespace: async () => ({
      metadata: { labels: { 'kubemate.io/team': 'payments' } },
    }),
  };
  const clusters = {
    listClusters: () => [{ name: 'dev-cluster' }],
    portalClients: () => ({ custom, core }),
    clientsAs: () => ({ custom: { createNamespacedCustomObject: create } }),
  };
  const audit = { record: jest.fn(async () => {}), query: jest.fn() };
  const permissions = testPermissions(user => {
    if (user === ALICE) return inNamespacesDecision(['payments-*']);
    if (user === BOB) return inNamespacesDecision(['risk-*']);
    return { result: AuthorizeResult.DENY };
  }) as any;
  const config = readFinetuningConfig(
    mockServices.rootConfig({
      data: {
        kubemate: {
          finetuning: {
            mlflow: { url: 'http://mlflow.test' },
            baseModels: [
              {
                name: 'smollm2-135m-instruct',
                hfModel: 'HuggingFaceTB/SmolLM2-135M-Instruct',
              },
            ],
            trainer: { image: 'trainer:1' },
            datasets: { maxBytes: 2048 },
          },
        },
      },
    }),
  );
  const metrics = createFinetuningMetrics({
    jobCounts: () => store.jobCounts(),
  });
  const logger = mockServices.logger.mock();
  const jobs = new DefaultJobsService({
    permissions,
    clusters: clusters as any,
    identity: {
      forCredentials: async () => ({ user: 'kubemate:user:alice', groups: [] }),
    } as any,
    audit,
    logger,
    store,
    config,
    mlflow: mlflow as any,
    objects: objectStore as any,
    metrics,
  });
  const datasets = new DefaultDatasetsService({
    permissions,
    clusters: clusters as any,
    audit,
    logger,
    store,
    objects: objectStore as any,
    metrics,
    limits: config.datasets,
    unfinishedJobsUsing: id => jobs.unfinishedJobsUsing(id),
  });
  const router = await createRouter({
    httpAuth: mockServices.httpAuth(),
    datasets,
    jobs,
    maxDatasetBytes: config.datasets.maxBytes,
    metrics: metrics.handler,
  });
  const status: Record<string, number> = {
    InputError: 400,
    NotAllowedError: 403,
    NotFoundError: 404,
    ConflictError: 409,
    ServiceUnavailableError: 503,
  };
  const errors: express.ErrorRequestHandler = (err, _req, res, _next) => {
    res
      .status(status[err.name] ?? 500)
      .json({ error: { name: err.name, message: err.message } });
  };
  const app = express().use(router).use(errors);
  return { app, store, mlflow, create, audit, objects };
}

const as = (u: string) => mockCredentials.user.header(u);
const ROWS = [
  {
    instruction: 'Is a 5000 EUR card payment at 3am fraud?',
    response: 'likely',
  },
  { instruction: 'Is a 12 EUR coffee fraud?', response: 'no' },
];
const jsonl = (lines: string[]) => Buffer.from(lines.join('\n'));

async function upload(
  app: express.Express,
  body: Buffer,
  fields: Record<string, string> = {},
  user = ALICE,
) {
  let r = request(app).post('/datasets').set('Authorization', as(user));
  for (const [k, v] of Object.entries({
    cluster: 'dev-cluster',
    namespace: 'payments-dev',
    name: 'fraud',
    ...fields,
  })) {
    r = r.field(k, v);
  }
  return r.attach('file', body, 'fraud.jsonl');
}

const launch = (datasetId: string, extra: object = {}) => ({
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  baseModel: 'smollm2-135m-instruct',
  datasetId,
  hyperparameters: {
    rank: 8,
    alpha: 16,
    learningRate: 0.0002,
    epochs: 1,
    batchSize: 4,
  },
  resources: { workers: 2, gpusPerWorker: 1 },
  ...extra,
});

describe('finetuning router', () => {
  it('POST /datasets: stores a valid JSONL in the object store and records it', async () => {
    const { app, objects } = await setUp();
    const r = await upload(app, jsonl(ROWS.map(x => JSON.stringify(x))));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'fraud',
      rows: 2,
      format: 'jsonl',
      createdBy: ALICE,
    });
    expect([...objects.keys()]).toEqual([
      'datasets/dev-cluster/payments-dev/fraud/fraud.jsonl',
    ]);
    const preview = await request(app)
      .get(`/datasets/${r.body.id}/preview?limit=1`)
      .set('Authorization', as(ALICE));
    expect(preview.body.rows).toEqual([ROWS[0]]);
  });

  it('POST /datasets: 400 naming the first bad line, the size limit, a bad name; nothing stored', async () => {
    const { app, objects, store } = await setUp();
    const bad = await upload(
      app,
      jsonl([JSON.stringify(ROWS[0]), '', '{"instruction": "x"}']),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('line 3: field "response" is missing');
    const big = await upload(app, Buffer.alloc(3000, 'a'));
    expect(big.status).toBe(400);
    expect(big.body.error.message).toBe('file: larger than 2048 bytes');
    const name = await upload(app, jsonl([JSON.stringify(ROWS[0])]), {
      name: 'Not_A_Label',
    });
    expect(name.status).toBe(400);
    expect(name.body.error.message).toMatch(/name/);
    expect(objects.size).toBe(0);
    expect(await store.listDatasets({})).toEqual([]);
  });

  // hand-picked case of the fuzz suite: path traversal through the namespace and the file name
  it('POST /datasets: 400 for a namespace that is not a DNS label (even for admin); a file name of dots stays in its folder', async () => {
    const { app, objects } = await setUp();
    const ADMIN = 'user:default/admin';
    const rows = jsonl(ROWS.map(x => JSON.stringify(x)));
    for (const namespace of [
      '../../models',
      'payments-dev/../risk-dev',
      'a\r\nb',
    ]) {
      const r = await upload(app, rows, { namespace }, ADMIN);
      expect(r.status).toBe(400);
      expect(r.body.error.message).toBe(
        `namespace: '${namespace}' is not a Kubernetes namespace (lowercase letters, digits and dashes, at most 63)`,
      );
    }
    expect(objects.size).toBe(0);
    const dots = await request(app)
      .post('/datasets')
      .set('Authorization', as(ALICE))
      .field('cluster', 'dev-cluster')
      .field('namespace', 'payments-dev')
      .field('name', 'dots')
      .attach('file', rows, '...jsonl');
    expect(dots.status).toBe(201);
    expect([...objects.keys()]).toEqual([
      'datasets/dev-cluster/payments-dev/dots/jsonl',
    ]);
  });

  it('a dataset of another team is a 404 for bob; bob may not upload into payments-dev (403)', async () => {
    const { app } = await setUp();
    const r = await upload(app, jsonl(ROWS.map(x => JSON.stringify(x))));
    const hidden = await request(app)
      .get(`/datasets/${r.body.id}`)
      .set('Authorization', as(BOB));
    expect(hidden.status).toBe(404);
    const gone = await request(app)
      .delete(`/datasets/${r.body.id}`)
      .set('Authorization', as(BOB));
    expect(gone.status).toBe(404);
    const list = await request(app)
      .get('/datasets')
      .set('Authorization', as(BOB));
    expect(list.body.items).toEqual([]);
    const denied = await upload(
      app,
      jsonl(ROWS.map(x => JSON.stringify(x))),
      { name: 'other' },
      BOB,
    );
    expect(denied.status).toBe(403);
  });

  it('POST /jobs: 403 for bob in payments-dev, before MLflow or Kubernetes, audited', async () => {
    const { app, mlflow, create, audit } = await setUp();
    const d = await upload(app, jsonl(ROWS.map(x => JSON.stringify(x))));
    const r = await request(app)
      .post('/jobs')
      .set('Authorization', as(BOB))
      .send(launch(d.body.id));
    expect(r.status).toBe(403);
    expect(mlflow.createRun).not.toHaveBeenCalled();
    expect(create).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenLastCalledWith(
      expect.objectContaining({
        actor: BOB,
        action: 'finetuning.job.create',
        result: 'failure',
      }),
    );
  });

  it('POST /jobs: 400 naming the field (schema, base model, dataset of another namespace, queue, limits)', async () => {
    const { app, create } = await setUp();
    const d = await upload(app, jsonl(ROWS.map(x => JSON.stringify(x))));
    const cases: Array<[object, RegExp]> = [
      [
        {
          hyperparameters: {
            rank: 0,
            alpha: 16,
            learningRate: 0.1,
            epochs: 1,
            batchSize: 4,
          },
        },
        /rank/,
      ],
      [
        {
          hyperparameters: {
            rank: 8,
            alpha: 16,
            learningRate: 0,
            epochs: 1,
            batchSize: 4,
          },
        },
        /learningRate/,
      ],
      [
        {
          hyperparameters: {
            rank: 8,
            alpha: 16,
            learningRate: 0.1,
            epochs: 50,
            batchSize: 4,
          },
        },
        /epochs: 50 is out of range/,
      ],
      [
        { resources: { workers: 9, gpusPerWorker: 1 } },
        /resources.workers: 9 is out of range/,
      ],
      [{ baseModel: 'gpt-9' }, /^baseModel: unknown base model 'gpt-9'/],
      [
        { datasetId: 'nope' },
        /^datasetId: no dataset nope in dev-cluster\/payments-dev/,
      ],
      [
        { queue: 'fast' },
        /^queue: no LocalQueue 'fast' in dev-cluster\/payments-dev/,
      ],
      [{ cluster: 'moon' }, /^cluster: unknown cluster 'moon'/],
      [{ name: 'Bad Name' }, /name/],
    ];
    for (const [extra, message] of cases) {
      const r = await request(app)
        .post('/jobs')
        .set('Authorization', as(ALICE))
        .send(launch(d.body.id, extra));
      expect({ extra, status: r.status }).toEqual({ extra, status: 400 });
      expect(r.body.error.message).toMatch(message);
    }
    expect(create).not.toHaveBeenCalled();
  });

  it('POST /jobs: MLflow run first, then the PyTorchJob as the user; 201 Queued', async () => {
    const { app, mlflow, create } = await setUp();
    const d = await upload(app, jsonl(ROWS.map(x => JSON.stringify(x))));
    const r = await request(app)
      .post('/jobs')
      .set('Authorization', as(ALICE))
      .send(launch(d.body.id, { name: 'fraud-lora' }));
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'fraud-lora',
      state: 'Queued',
      team: 'payments',
      mlflowRunId: 'run-1',
    });
    expect(mlflow.createRun.mock.invocationCallOrder[0]).toBeLessThan(
      create.mock.invocationCallOrder[0],
    );
    expect(mlflow.logBatch.mock.calls[0][1].params).toMatchObject({
      lora_rank: '8',
      dataset: 'fraud',
      dataset_rows: '2',
    });
    const body = create.mock.calls[0][0].body;
    expect(body.metadata.labels['kubemate.io/finetuning-job']).toBe(r.body.id);
    expect(body.spec.pytorchReplicaSpecs.Worker.replicas).toBe(1);
    const list = await request(app)
      .get('/jobs')
      .set('Authorization', as(ALICE));
    expect(list.body.items.map((j: any) => j.id)).toEqual([r.body.id]);
    const hidden = await request(app)
      .get(`/jobs/${r.body.id}/metrics`)
      .set('Authorization', as(BOB));
    expect(hidden.status).toBe(404);
  });

  it('POST /jobs: a refused create keeps the request as a failed record and sets the MLflow run FAILED', async () => {
    const { app, mlflow, store } = await setUp({
      createFails: new NotAllowedError(
        'pytorchjobs.kubeflow.org is forbidden: User "kubemate:user:alice" cannot create',
      ),
    });
    const d = await upload(app, jsonl(ROWS.map(x => JSON.stringify(x))));
    const r = await request(app)
      .post('/jobs')
      .set('Authorization', as(ALICE))
      .send(launch(d.body.id));
    expect(r.status).toBe(403);
    expect(mlflow.updateRun).toHaveBeenCalledWith('run-1', 'FAILED');
    const [record] = await store.listJobs({});
    expect(record).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/forbidden/),
    });
    const list = await request(app)
      .get('/jobs')
      .set('Authorization', as(ALICE));
    expect(list.body.items[0]).toMatchObject({
      state: 'Failed',
      stateMessage: expect.stringMatching(/^the launch failed/),
    });
  });

  it('GET /compare: 400 for fewer than 2 ids; a,b and a%2Cb both read as two ids', async () => {
    const { app } = await setUp();
    const r = await request(app)
      .get('/compare?ids=a')
      .set('Authorization', as(ALICE));
    expect(r.status).toBe(400);
    // the ids as the browser's URLSearchParams sends them (%2C) and as typed (,): parsed, then 404
    for (const ids of ['a%2Cb', 'a,b']) {
      const two = await request(app)
        .get(`/compare?ids=${ids}`)
        .set('Authorization', as(ALICE));
      expect({
        ids,
        status: two.status,
        message: two.body.error.message,
      }).toEqual({
        ids,
        status: 404,
        message: 'job a not found',
      });
    }
  });

  it('DELETE /datasets/:id: 409 while an unfinished job uses it, 204 once the job is deleted', async () => {
    const { app, objects } = await setUp();
    const d = await upload(app, jsonl(ROWS.map(x => JSON.stringify(x))));
    const j = await request(app)
      .post('/jobs')
      .set('Authorization', as(ALICE))
      .send(launch(d.body.id, { name: 'fraud-lora' }));
    expect(j.body.state).toBe('Queued');
    const busy = await request(app)
      .delete(`/datasets/${d.body.id}`)
      .set('Authorization', as(ALICE));
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe(
      'dataset fraud is used by unfinished job(s): payments-dev/fraud-lora',
    );
    expect(objects.size).toBe(1);
  });
});
