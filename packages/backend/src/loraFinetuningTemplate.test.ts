/*
 * The "LoRA fine-tuning job" template (templates/lora-finetuning) through the REAL scaffolder
 * backend's dry run (`POST /api/scaffolder/v2/dry-run`): the scaffolder validates the answers
 * against the template's parameter pages (as it does before a real run), renders the step inputs
 * and runs the real `fetch:template` on the skeleton. The two Kubemate actions the template calls
 * after it (kubemate:git:publish, kubemate:catalog:register) are stand-ins that record their
 * input here — they have their own tests in plugins/scaffolder-backend-module-kubemate and run
 * for real in scaffolder.integration.test.ts. The rendered repository is then checked: every
 * YAML/JSON file parses, the Component passes the catalog's validation and is what the
 * Fine-tuning tab picks up, the PyTorchJob is what the portal launches (Kueue label, replicas,
 * GPUs, environment), the sample rows satisfy the dataset schema, and train.py compiles.
 */
import { execFileSync } from 'node:child_process';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  FieldFormatEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  type Entity,
} from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import {
  createTemplateAction,
  scaffolderActionsExtensionPoint,
} from '@backstage/plugin-scaffolder-node';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';

jest.setTimeout(60_000);

const TEMPLATE_DIR = resolve(__dirname, '../../../templates/lora-finetuning');
const GIT = 'http://git.example.test';

/** What the stand-in actions were called with, by action id. */
const calls: Record<string, unknown[]> = {};

const standIns = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'lora-template-test-stand-ins',
  register(reg) {
    reg.registerInit({
      deps: { scaffolder: scaffolderActionsExtensionPoint },
      async init({ scaffolder }) {
        scaffolder.addActions(
          createTemplateAction({
            id: 'kubemate:git:publish',
            supportsDryRun: true,
            schema: {
              input: {
                repoName: z => z.string(),
                message: z => z.string().optional(),
              },
            },
            async handler(ctx) {
              (calls['kubemate:git:publish'] ??= []).push(ctx.input);
              const base = `${GIT}/git/${ctx.input.repoName}`;
              ctx.output('remoteUrl', `${base}.git`);
              ctx.output(
                'catalogInfoUrl',
                `${GIT}/raw/${ctx.input.repoName}/main/catalog-info.yaml`,
              );
            },
          }),
          createTemplateAction({
            id: 'kubemate:catalog:register',
            supportsDryRun: true,
            schema: { input: { catalogInfoUrl: z => z.string().url() } },
            async handler(ctx) {
              (calls['kubemate:catalog:register'] ??= []).push(ctx.input);
              ctx.output('entityRef', 'component:default/stand-in');
            },
          }),
        );
      },
    });
  },
});

function directoryContents(dir: string, prefix = ''): any[] {
  return readdirSync(dir).flatMap(name => {
    const full = join(dir, name);
    const path = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory()
      ? directoryContents(full, path)
      : [{ path, base64Content: readFileSync(full).toString('base64') }];
  });
}

const template = parse(
  readFileSync(join(TEMPLATE_DIR, 'template.yaml'), 'utf8'),
);
const skeleton = directoryContents(TEMPLATE_DIR);

const answers = (overrides: Record<string, unknown> = {}) => ({
  name: 'fraud-model-lora',
  description: 'Fraud explanations for payments analysts',
  owner: 'group:default/team-payments',
  cluster: 'dev-cluster',
  namespace: 'payments-dev',
  queue: 'gpu',
  priorityClass: 'gpu-normal',
  baseModel: 'smollm2-135m-instruct',
  datasetName: 'fraud-cases',
  instructionField: 'question',
  responseField: 'answer',
  inputField: 'context',
  rank: 8,
  alpha: 16,
  learningRate: 0.0003,
  epochs: 2,
  batchSize: 4,
  workers: 2,
  gpusPerWorker: 2,
  flavor: 'nvidia-a10g',
  ...overrides,
});

let server: any;

beforeAll(async () => {
  ({ server } = await startTestBackend({
    features: [
      scaffolderPlugin,
      standIns,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'alice', namespace: 'default' },
            spec: { memberOf: ['team-payments'] },
          },
        ],
      }),
      mockServices.rootConfig.factory({
        data: { backend: { baseUrl: 'http://localhost:7007' } },
      }),
    ],
  }));
});

async function dryRun(values: Record<string, unknown>) {
  return request(server)
    .post('/api/scaffolder/v2/dry-run')
    .set('Authorization', mockCredentials.user.header('user:default/alice'))
    .send({ template, values, directoryContents: skeleton });
}

/** The rendered files of a successful dry run, by path. */
async function render(values: Record<string, unknown>) {
  const res = await dryRun(values);
  expect([res.status, res.body.error]).toEqual([200, undefined]);
  const steps = res.body.steps.map((s: any) => s.id);
  expect(steps).toEqual(['fetch', 'publish', 'register']);
  const files: Record<string, string> = {};
  for (const f of res.body.directoryContents) {
    files[f.path] = Buffer.from(f.base64Content, 'base64').toString('utf8');
  }
  return { files, output: res.body.output };
}

describe('the LoRA fine-tuning job template', () => {
  it('is a valid Template and refuses bad answers before any step runs', async () => {
    expect(template.kind).toBe('Template');
    for (const [bad, field] of [
      [{ name: 'Fraud_Model' }, 'name'],
      [{ rank: 0 }, 'rank'],
      [{ alpha: 1000 }, 'alpha'],
      [{ learningRate: 0 }, 'learningRate'],
      [{ epochs: 21 }, 'epochs'],
      [{ gpusPerWorker: 9 }, 'gpusPerWorker'],
      [{ baseModel: 'gpt-9' }, 'baseModel'],
      [{ namespace: 'Payments Dev' }, 'namespace'],
      [{ datasetFile: 'cases.parquet' }, 'datasetFile'],
    ] as const) {
      const before = calls['kubemate:git:publish']?.length ?? 0;
      const res = await dryRun(answers(bad));
      expect([field, res.status]).toEqual([field, 400]);
      expect(JSON.stringify(res.body.errors)).toContain(field);
      expect(calls['kubemate:git:publish']?.length ?? 0).toBe(before);
    }
  });

  it('renders the repository: entity, job, dataset schema, training script', async () => {
    const { files, output } = await render(answers());
    expect(Object.keys(files).sort()).toEqual([
      'Dockerfile',
      'README.md',
      'catalog-info.yaml',
      'data/sample.jsonl',
      'dataset.schema.json',
      'pytorchjob.yaml',
      'requirements.txt',
      'train.py',
    ]);
    // publish gets the repository name, register the catalog-info.yaml it published
    expect(calls['kubemate:git:publish']?.at(-1)).toMatchObject({
      repoName: 'fraud-model-lora',
    });
    expect(calls['kubemate:catalog:register']?.at(-1)).toEqual({
      catalogInfoUrl: `${GIT}/raw/fraud-model-lora/main/catalog-info.yaml`,
    });
    expect(output.links).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ url: `${GIT}/git/fraud-model-lora.git` }),
        expect.objectContaining({ url: '/finetuning' }),
      ]),
    );

    // the Component: valid for the catalog, an ML component the Fine-tuning tab shows
    const entity = parse(files['catalog-info.yaml']) as Entity;
    await new SchemaValidEntityPolicy().enforce(entity);
    await new FieldFormatEntityPolicy().enforce(entity);
    expect(await componentEntityV1alpha1Validator.check(entity)).toBe(true);
    expect(entity.spec).toMatchObject({
      type: 'ml-model',
      owner: 'group:default/team-payments',
    });
    expect(entity.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-id': 'fraud-model-lora',
      'kubemate.io/finetuning': 'payments-dev',
    });

    // the PyTorchJob as the portal launches it
    const docs = parseAllDocuments(files['pytorchjob.yaml']);
    expect(docs.map(d => d.errors)).toEqual([[]]);
    const job = docs[0].toJS();
    expect(job).toMatchObject({
      apiVersion: 'kubeflow.org/v1',
      kind: 'PyTorchJob',
      metadata: {
        name: 'fraud-model-lora',
        namespace: 'payments-dev',
        labels: {
          'kueue.x-k8s.io/queue-name': 'gpu',
          'kueue.x-k8s.io/priority-class': 'gpu-normal',
          'kubemate.io/team': 'team-payments',
          'backstage.io/kubernetes-id': 'fraud-model-lora',
          'kubemate.io/finetuning-job': 'fraud-model-lora-manual',
        },
      },
    });
    // the launch spec annotation parses as the portal's FinetuningJobSpec
    expect(
      JSON.parse(job.metadata.annotations['kubemate.io/finetuning-spec']),
    ).toEqual({
      baseModel: 'smollm2-135m-instruct',
      datasetId: '<dataset id>',
      datasetName: 'fraud-cases',
      hyperparameters: {
        rank: 8,
        alpha: 16,
        learningRate: 0.0003,
        epochs: 2,
        batchSize: 4,
        dropout: 0.05,
      },
      resources: { workers: 2, gpusPerWorker: 2, flavor: 'nvidia-a10g' },
      queue: 'gpu',
      priorityClass: 'gpu-normal',
      entityRef: 'component:default/fraud-model-lora',
    });
    const replicas = job.spec.pytorchReplicaSpecs;
    expect(Object.keys(replicas)).toEqual(['Master', 'Worker']);
    expect([replicas.Master.replicas, replicas.Worker.replicas]).toEqual([
      1, 1,
    ]);
    for (const r of Object.values<any>(replicas)) {
      const pod = r.template.spec;
      const c = pod.containers[0];
      expect(c.name).toBe('pytorch'); // the container the Training Operator looks for
      expect(c.resources).toEqual({
        requests: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '2' },
        limits: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '2' },
      });
      expect(pod.nodeSelector).toEqual({
        'nvidia.com/gpu.product': 'NVIDIA-A10G',
      });
      expect(pod.tolerations).toEqual([
        { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      ]);
      expect(c.env.map((e: any) => e.name)).toEqual(
        expect.arrayContaining([
          'MLFLOW_TRACKING_URI',
          'MLFLOW_RUN_ID',
          'DATASET_URI',
          'OUTPUT_URI',
          'BASE_MODEL',
          'AWS_ACCESS_KEY_ID',
          'AWS_SECRET_ACCESS_KEY',
        ]),
      );
      expect(c.env.find((e: any) => e.name === 'DATASET_URI').value).toBe(
        's3://kubemate-finetuning/datasets/dev-cluster/payments-dev/fraud-cases/fraud-cases.jsonl',
      );
      // the arguments the portal's buildPyTorchJob passes, which train.py accepts
      const args = c.args.join(' ');
      expect(args).toContain(
        '--base-model HuggingFaceTB/SmolLM2-135M-Instruct',
      );
      expect(args).toContain('--instruction-field question');
      expect(args).toContain('--input-field context');
      expect(args).toContain('--lora-rank 8 --lora-alpha 16');
      expect(args).toContain('--learning-rate 0.0003');
      expect(args).toContain(
        '--output-uri s3://kubemate-finetuning/adapters/dev-cluster/payments-dev/fraud-model-lora/',
      );
    }

    // the dataset schema names the mapped fields; the sample rows satisfy it
    const schema = JSON.parse(files['dataset.schema.json']);
    expect(schema.required).toEqual(['question', 'answer']);
    expect(Object.keys(schema.properties)).toEqual([
      'question',
      'context',
      'answer',
    ]);
    const rows = files['data/sample.jsonl']
      .split('\n')
      .filter(l => l.trim())
      .map(l => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      for (const f of schema.required) {
        expect(typeof row[f]).toBe('string');
        expect(row[f]).toMatch(new RegExp(schema.properties[f].pattern));
      }
    }

    // the training script: the answers are its defaults, and it compiles
    expect(files['train.py']).toContain('int(_env("LORA_RANK", 8))');
    expect(files['train.py']).toContain('float(_env("LEARNING_RATE", 0.0003))');
    expect(files['train.py']).not.toContain('${{');
    const dir = mkdtempSync(join(tmpdir(), 'lora-template-'));
    try {
      writeFileSync(join(dir, 'train.py'), files['train.py']);
      execFileSync('python3', ['-m', 'py_compile', join(dir, 'train.py')], {
        stdio: 'pipe',
      });
      // its options parse the arguments the job passes (only the standard library is loaded
      // at import time: torch, transformers, peft and mlflow are imported where they are used)
      const parsed = JSON.parse(
        execFileSync(
          'python3',
          [
            '-c',
            'import json, sys, train; print(json.dumps(vars(train.parse_args(sys.argv[1:]))))',
            ...job.spec.pytorchReplicaSpecs.Master.template.spec.containers[0]
              .args,
          ],
          { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } },
        ).toString(),
      );
      expect(parsed).toMatchObject({
        base_model: 'HuggingFaceTB/SmolLM2-135M-Instruct',
        dataset_uri:
          's3://kubemate-finetuning/datasets/dev-cluster/payments-dev/fraud-cases/fraud-cases.jsonl',
        instruction_field: 'question',
        response_field: 'answer',
        input_field: 'context',
        rank: 8,
        alpha: 16,
        dropout: 0.05,
        learning_rate: 0.0003,
        epochs: 2,
        batch_size: 4,
        target_modules: ['q_proj', 'v_proj'],
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // every requirement pinned
    const reqs = files['requirements.txt']
      .split('\n')
      .map(l => l.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(reqs.length).toBeGreaterThan(5);
    for (const r of reqs) expect(r).toMatch(/^[a-z0-9-]+==\d+(\.\d+)+$/);
  });

  it('one replica without GPUs: no Worker, no GPU limits, toleration or node selector', async () => {
    const { files } = await render(
      answers({
        workers: 1,
        gpusPerWorker: 0,
        flavor: '',
        priorityClass: '',
        inputField: '',
        datasetFile: 'cases.csv',
      }),
    );
    const job = parse(files['pytorchjob.yaml']);
    expect(Object.keys(job.spec.pytorchReplicaSpecs)).toEqual(['Master']);
    expect(
      job.metadata.labels['kueue.x-k8s.io/priority-class'],
    ).toBeUndefined();
    const pod = job.spec.pytorchReplicaSpecs.Master.template.spec;
    expect(pod.containers[0].resources).toEqual({
      requests: { cpu: '1', memory: '2Gi' },
      limits: { cpu: '1', memory: '2Gi' },
    });
    expect(pod.tolerations).toBeUndefined();
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.containers[0].args.join(' ')).not.toContain('--input-field');
    expect(
      pod.containers[0].env.find((e: any) => e.name === 'DATASET_URI').value,
    ).toMatch(/\/fraud-cases\/cases\.csv$/);
    expect(
      Object.keys(JSON.parse(files['dataset.schema.json']).properties),
    ).toEqual(['question', 'answer']);
  });
});
