/*
 * Serving an adapter on the REAL MinIO and Ollama of the dev stack (part `rag`): the test writes an
 * UNTRAINED, zero-initialised PEFT LoRA adapter (writeLoraAdapter: lora_B = 0, so the served model
 * answers as its base does — labelled untrained in its files and here) to MinIO where a job writes
 * its output, serves it `FROM smollm2-135m`, and the created model answers a prompt through Ollama's
 * /api/generate. Then: a missing adapter is a 409, a corrupt adapter is refused by Ollama (400),
 * MinIO or Ollama down is a 503 naming it within seconds. Everything it creates is deleted.
 */
import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { mockServices } from '@backstage/backend-test-utils';
import {
  readStack,
  requireStack,
  stackStateFile,
  UNTRAINED_MARKER_FILE,
  untrainedMarker,
  writeLoraAdapter,
} from '@kubemate/dev-stack';
import { Client } from 'minio';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { AddressInfo, createServer, Socket } from 'node:net';
import { DefaultServingService } from './DefaultServingService';

jest.setTimeout(240_000);

interface Servers {
  minio: {
    endPoint: string;
    port: number;
    accessKey: string;
    secretKey: string;
    bucket?: string;
  };
  ollama: { baseUrl: string; generationModel?: string };
}

/** kubemate.finetuning's storage/ollama when the stack describes them, else the rag part's servers. */
async function stackServers(): Promise<Servers> {
  const of = (appConfig: any): Servers | undefined => {
    const ft = appConfig?.kubemate?.finetuning;
    const rag = appConfig?.kubemate?.rag;
    const minio = ft?.storage ?? rag?.minio;
    const ollama = ft?.ollama ?? rag?.ollama;
    return minio && ollama?.baseUrl ? { minio, ollama } : undefined;
  };
  const file = stackStateFile();
  const described = existsSync(file)
    ? of(readStack(file).appConfig)
    : undefined;
  if (described) return described;
  const servers = of((await requireStack({ only: ['rag'] })).appConfig);
  if (!servers)
    throw new Error(
      'the dev stack describes no MinIO/Ollama (stack.sh up --only rag)',
    );
  return servers;
}

const BUCKET = 'kubemate-finetuning';
const BASE = 'smollm2-135m';
const run = randomBytes(4).toString('hex');
const prefix = `adapters/test-serving/${run}/`;
const modelName = `ft-test-serving-untrained-${run}`;

let servers: Servers;
let minio: Client;
let minioUrl: string;
const createdModels: string[] = [];

const service = (
  overrides: Partial<
    ConstructorParameters<typeof DefaultServingService>[0]
  > = {},
) =>
  new DefaultServingService({
    minio,
    minioUrl,
    bucket: BUCKET,
    ollamaBaseUrl: servers.ollama.baseUrl,
    ollamaTimeoutMs: 120_000,
    ...overrides,
  });

async function putAdapter(at: string, files: Record<string, Buffer>) {
  for (const [name, body] of Object.entries(files)) {
    await minio.putObject(BUCKET, `${at}${name}`, body, body.length);
  }
}

const request = (adapterPrefix: string, name = modelName) => ({
  modelName: name,
  ollamaBase: BASE,
  adapterUri: `s3://${BUCKET}/${adapterPrefix}`,
  job: {
    id: `00000000-0000-4000-8000-${run.padStart(12, '0')}`,
    cluster: 'dev-cluster',
    namespace: 'payments-dev',
    baseModel: 'smollm2-135m-instruct',
  },
  createdBy: 'user:default/alice',
});

async function generate(model: string, prompt: string) {
  const res = await fetch(`${servers.ollama.baseUrl}/api/generate`, {
    method: 'POST',
    body: JSON.stringify({
      model,
      prompt,
      stream: false,
      options: { num_predict: 24, temperature: 0, seed: 7 },
    }),
    signal: AbortSignal.timeout(180_000),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { response: string }).response;
}

beforeAll(async () => {
  servers = await stackServers();
  const { endPoint, port, accessKey, secretKey } = servers.minio;
  minioUrl = `http://${endPoint}:${port}`;
  minio = new Client({
    endPoint,
    port,
    useSSL: false,
    accessKey,
    secretKey,
    region: 'us-east-1',
    pathStyle: true,
  });
  if (!(await minio.bucketExists(BUCKET))) {
    try {
      await minio.makeBucket(BUCKET, 'us-east-1');
    } catch (e) {
      if (!/BucketAlready/.test((e as { code?: string }).code ?? '')) throw e;
    }
  }
});

afterAll(async () => {
  if (!minio) return;
  // objects first: a model that cannot be deleted (Ollama down) must not leave them behind
  const keys: string[] = [];
  for await (const item of minio.listObjectsV2(BUCKET, prefix, true)) {
    if (item.name) keys.push(item.name);
  }
  if (keys.length) await minio.removeObjects(BUCKET, keys);
  await Promise.allSettled(createdModels.map(name => service().delete(name)));
});

describe('DefaultServingService on the real MinIO and Ollama', () => {
  it('serves an UNTRAINED zero-initialised LoRA adapter FROM smollm2-135m and the model answers', async () => {
    const at = `${prefix}untrained/`;
    // untrained: lora_B is zero (PEFT's initialisation), labelled in the files and by the marker
    await putAdapter(at, {
      ...writeLoraAdapter({
        rank: 8,
        alpha: 16,
        targetModules: ['q_proj', 'v_proj'],
      }),
      [UNTRAINED_MARKER_FILE]: untrainedMarker('Serving.integration.test.ts'),
    });
    const serving = service();
    expect(await serving.adapterStatus(`s3://${BUCKET}/${at}`)).toEqual({
      uri: `s3://${BUCKET}/${at}`,
      available: true,
      untrained: true,
      missing: [],
    });

    const started = Date.now();
    createdModels.push(modelName);
    const served = await serving.serve(request(at));
    const createMs = Date.now() - started;
    expect(served).toEqual({
      name: modelName,
      jobId: request(at).job.id,
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      baseModel: 'smollm2-135m-instruct',
      ollamaBase: BASE,
      adapterUri: `s3://${BUCKET}/${at}`,
      untrained: true,
      createdBy: 'user:default/alice',
      createdAt: expect.any(String),
    });
    // eslint-disable-next-line no-console
    console.log(
      `served ${modelName} (MinIO → Ollama blobs → create) in ${createMs} ms`,
    );

    // Ollama has it, built from the base plus the converted adapter
    const listed = await serving.list({ prefix: 'ft-test-serving-' });
    expect(listed.map(m => m.shortName)).toContain(modelName);
    const show = await fetch(`${servers.ollama.baseUrl}/api/show`, {
      method: 'POST',
      body: JSON.stringify({ model: modelName }),
    }).then(r => r.json());
    expect(show.details).toMatchObject({
      parent_model: `${BASE}:latest`,
      family: 'llama',
    });
    expect(show.modelfile).toMatch(/^ADAPTER /m);

    // the model answers; lora_B = 0 so it answers exactly as its base does (greedy decoding)
    const prompt = 'What is Kubernetes? Answer in one sentence.';
    const answerStarted = Date.now();
    const answer = await generate(modelName, prompt);
    // eslint-disable-next-line no-console
    console.log(
      `first answer of ${modelName} in ${
        Date.now() - answerStarted
      } ms: ${answer}`,
    );
    expect(answer.trim().length).toBeGreaterThan(0);
    expect(answer).toBe(await generate(BASE, prompt));

    // serving again is idempotent (blobs already there, model replaced)
    await expect(serving.serve(request(at))).resolves.toMatchObject({
      name: modelName,
    });

    await serving.delete(modelName);
    expect(
      (await serving.list({ prefix: 'ft-test-serving-' })).map(
        m => m.shortName,
      ),
    ).not.toContain(modelName);
    // deleting what Ollama does not have is not an error
    await expect(serving.delete(modelName)).resolves.toBeUndefined();
  });

  it('is 409 while the job has not written its adapter', async () => {
    const at = `${prefix}partial/`;
    await putAdapter(at, {
      'adapter_config.json': writeLoraAdapter({ rank: 2 })[
        'adapter_config.json'
      ],
    });
    const serving = service();
    await expect(
      serving.adapterStatus(`s3://${BUCKET}/${at}`),
    ).resolves.toMatchObject({
      available: false,
      untrained: false,
      missing: ['adapter_model.safetensors'],
    });
    const nothing = serving.serve(request(`${prefix}nothing-here/`));
    await expect(nothing).rejects.toBeInstanceOf(ConflictError);
    await expect(nothing).rejects.toThrow(
      /the job has not written an adapter yet \(adapter_config.json and adapter_model.safetensors missing/,
    );
    await expect(serving.serve(request(at))).rejects.toThrow(
      /not written an adapter yet \(adapter_model.safetensors missing at s3:\/\/kubemate-finetuning\//,
    );
  });

  it('is 400 for a file that is no adapter (before Ollama sees it: its converter would crash), one for other dimensions, a bad name or URI', async () => {
    const serving = service();
    const corrupt = `${prefix}corrupt/`;
    await putAdapter(corrupt, {
      'adapter_config.json': writeLoraAdapter({ rank: 2 })[
        'adapter_config.json'
      ],
      'adapter_model.safetensors': Buffer.from('not a safetensors file'),
    });
    const name = `ft-test-serving-refused-${run}`;
    createdModels.push(name);
    const refused = serving.serve(request(corrupt, name));
    await expect(refused).rejects.toBeInstanceOf(InputError);
    await expect(refused).rejects.toThrow(
      /adapter_model.safetensors is not a valid safetensors LoRA adapter: header length \d+ does not fit a 22-byte file/,
    );

    // an untrained adapter for a llama with other dimensions: converts, but would fail every answer
    const other = `${prefix}other-dims/`;
    await putAdapter(other, {
      ...writeLoraAdapter({
        architecture: {
          numHiddenLayers: 2,
          hiddenSize: 64,
          numAttentionHeads: 4,
          numKeyValueHeads: 2,
          intermediateSize: 128,
        },
      }),
    });
    await expect(serving.serve(request(other, name))).rejects.toThrow(
      /the adapter does not fit the base model smollm2-135m: tensor base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight has shape \[8,64\], the base model's q_proj is 576 → 576/,
    );
    expect((await serving.list({ prefix: name })).length).toBe(0);

    await expect(serving.serve(request(corrupt, 'Bad Name!'))).rejects.toThrow(
      /modelName "Bad Name!" is not an Ollama model name/,
    );
    await expect(
      serving.serve({
        ...request(corrupt),
        adapterUri: 's3://other-bucket/x/',
      }),
    ).rejects.toThrow(/not in the fine-tuning bucket kubemate-finetuning/);
    await expect(
      serving.serve({ ...request(corrupt), adapterUri: 'http://x/y' }),
    ).rejects.toBeInstanceOf(InputError);
    // a base Ollama does not have: 503 naming Ollama and the model
    await expect(
      serving.serve({
        ...request(other, name),
        ollamaBase: 'no-such-base',
      }),
    ).rejects.toThrow(/Ollama at .* has no model "no-such-base"/);
  });

  it('is 503 naming Ollama or MinIO when they are down, within seconds', async () => {
    const probe = createServer();
    await new Promise<void>(r => probe.listen(0, '127.0.0.1', r));
    const closed = (probe.address() as AddressInfo).port;
    await new Promise(r => probe.close(r));

    const at = `${prefix}down/`;
    await putAdapter(at, writeLoraAdapter({ rank: 2 }));
    let started = Date.now();
    const noOllama = service({ ollamaBaseUrl: `http://127.0.0.1:${closed}` });
    const e1 = noOllama.serve(request(at, `ft-test-serving-down-${run}`));
    await expect(e1).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(e1).rejects.toThrow(
      `Ollama at http://127.0.0.1:${closed} is unavailable`,
    );
    await expect(noOllama.list()).rejects.toThrow(
      /^Ollama at .* is unavailable/,
    );
    expect(Date.now() - started).toBeLessThan(5000);

    // an Ollama that accepts connections and never answers: 503 within its deadline
    const sockets: Socket[] = [];
    const silent = createServer(socket => sockets.push(socket));
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
    const silentUrl = `http://127.0.0.1:${
      (silent.address() as AddressInfo).port
    }`;
    try {
      started = Date.now();
      const hanging = service({
        ollamaBaseUrl: silentUrl,
        ollamaTimeoutMs: 1500,
        ollamaCallTimeoutMs: 1500,
      });
      await expect(
        hanging.serve(request(at, `ft-test-serving-hang-${run}`)),
      ).rejects.toThrow(
        new RegExp(
          `^Ollama at ${silentUrl} is unavailable: .*no answer in time`,
        ),
      );
      await expect(hanging.list()).rejects.toBeInstanceOf(
        ServiceUnavailableError,
      );
      expect(Date.now() - started).toBeLessThan(6000);
    } finally {
      sockets.forEach(socket => socket.destroy());
      await new Promise(r => silent.close(r));
    }

    started = Date.now();
    const deadMinio = new Client({
      endPoint: '127.0.0.1',
      port: closed,
      useSSL: false,
      accessKey: 'x',
      secretKey: 'xxxxxxxx',
      region: 'us-east-1',
      pathStyle: true,
      retryOptions: { disableRetry: true },
    } as ConstructorParameters<typeof Client>[0]);
    const noMinio = service({
      minio: deadMinio,
      minioUrl: `http://127.0.0.1:${closed}`,
      storageTimeoutMs: 2000,
    });
    const e2 = noMinio.serve(request(at));
    await expect(e2).rejects.toBeInstanceOf(ServiceUnavailableError);
    await expect(e2).rejects.toThrow(
      `MinIO at http://127.0.0.1:${closed} is unavailable`,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('reads its options from kubemate.finetuning', async () => {
    const serving = DefaultServingService.fromConfig(
      mockServices.rootConfig({
        data: {
          kubemate: {
            finetuning: {
              storage: {
                endPoint: servers.minio.endPoint,
                port: servers.minio.port,
                accessKey: servers.minio.accessKey,
                secretKey: servers.minio.secretKey,
              },
              ollama: { baseUrl: servers.ollama.baseUrl, timeoutMs: 60_000 },
            },
          },
        },
      }),
    );
    const at = `${prefix}config/`;
    await putAdapter(at, writeLoraAdapter({ rank: 2 }));
    await expect(
      serving.adapterStatus(`s3://${BUCKET}/${at}`),
    ).resolves.toMatchObject({ available: true, untrained: false });
  });
});
