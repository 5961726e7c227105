/*
 * The model service on the REAL Ollama of the dev stack (kubemate.rag.ollama of the stack's app
 * config, or RAG_OLLAMA_URL): embeddings in order and normalised, a streamed answer, health; and
 * the failures a user sees as 503 naming Ollama: refused, hanging, missing model, aborted.
 */
import { createServer, Server, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { writeLoraAdapter } from '@kubemate/dev-stack';
import {
  DefaultModelService,
  GenerationAbortedError,
  OllamaGenerationModels,
} from '.';
import { ragStackConfig } from '../../__testUtils__/stack';

jest.setTimeout(120_000);

let ollamaUrl: string;
beforeAll(async () => {
  ollamaUrl = (await ragStackConfig()).ollama.baseUrl;
});

const dot = (a: number[], b: number[]) =>
  a.reduce((s, v, i) => s + v * b[i], 0);

describe('DefaultModelService on the real Ollama', () => {
  it('embeds in batches, in order, L2-normalised', async () => {
    const models = new DefaultModelService({
      baseUrl: ollamaUrl,
      embedBatchSize: 2,
    });
    const texts = [
      'How do I roll back the payments API?',
      'Roll back a deployment of payments-api with kubectl rollout undo.',
      'The weather in Paris is sunny today.',
    ];
    const vectors = await models.embed(texts);
    expect(vectors).toHaveLength(3);
    for (const v of vectors) {
      expect(v).toHaveLength(384);
      expect(Math.abs(dot(v, v) - 1)).toBeLessThan(1e-6);
    }
    // order kept: the question is closer to the matching passage than to the unrelated one
    expect(dot(vectors[0], vectors[1])).toBeGreaterThan(
      dot(vectors[0], vectors[2]) + 0.2,
    );
    // a batch boundary changes nothing
    const [alone] = await models.embed([texts[2]]);
    expect(dot(alone, vectors[2])).toBeGreaterThan(0.999);
    expect(await models.dimensions()).toBe(384);
  });

  it('streams an answer token by token', async () => {
    const models = new DefaultModelService({ baseUrl: ollamaUrl });
    const tokens: string[] = [];
    const g = await models.generate(
      { system: 'You answer briefly.', user: 'Name three colours.' },
      { maxTokens: 24, onToken: t => tokens.push(t) },
    );
    expect(tokens.length).toBeGreaterThan(1);
    expect(tokens.join('')).toBe(g.text);
    expect(g.completionTokens).toBeGreaterThan(1);
    expect(g.firstTokenMs).toBeLessThanOrEqual(g.durationMs);
  });

  it('stops generating when the signal aborts', async () => {
    const models = new DefaultModelService({ baseUrl: ollamaUrl });
    const controller = new AbortController();
    let tokens = 0;
    await expect(
      models.generate(
        { system: 'You write long stories.', user: 'Tell a long story.' },
        {
          maxTokens: 400,
          signal: controller.signal,
          onToken: () => {
            if (++tokens === 3) controller.abort();
          },
        },
      ),
    ).rejects.toBeInstanceOf(GenerationAbortedError);
    expect(tokens).toBeLessThan(10);
  });

  it('reports health with both models present', async () => {
    const health = await new DefaultModelService({
      baseUrl: ollamaUrl,
    }).health();
    expect(health).toMatchObject({
      name: 'ollama',
      ok: true,
      embeddingReady: true,
      generationReady: true,
    });
    expect(health.detail).toMatch(/^Ollama /);
  });

  it('names a missing model and how to get it (503)', async () => {
    const models = new DefaultModelService({
      baseUrl: ollamaUrl,
      embeddingModel: 'no-such-embedder',
      generationModel: 'no-such-writer',
    });
    await expect(models.embed(['x'])).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /Ollama at .* has no model "no-such-embedder".*ollama pull no-such-embedder/,
      ),
    });
    await expect(
      models.generate({ system: '', user: 'hi' }, { maxTokens: 4 }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/has no model "no-such-writer"/),
    });
    const health = await models.health();
    expect(health).toMatchObject({
      ok: false,
      embeddingReady: false,
      generationReady: false,
    });
    expect(health.detail).toMatch(/no-such-embedder/);
  });
});

describe('the model picker on the real Ollama', () => {
  const served = `ft-test-rag-picker-${randomBytes(4).toString('hex')}`;

  afterAll(async () => {
    await fetch(`${ollamaUrl}/api/delete`, {
      method: 'DELETE',
      body: JSON.stringify({ model: served }),
    });
  });

  it('lists a served fine-tuned model (an UNTRAINED zero-initialised LoRA adapter on the base) and answers with it', async () => {
    // served as the fine-tuning plugin serves a job's adapter: blobs, then FROM the base + adapter
    const adapters: Record<string, string> = {};
    for (const [name, body] of Object.entries(writeLoraAdapter())) {
      const digest = `sha256:${createHash('sha256')
        .update(body)
        .digest('hex')}`;
      const res = await fetch(`${ollamaUrl}/api/blobs/${digest}`, {
        method: 'POST',
        body,
      });
      expect(res.ok).toBe(true);
      adapters[name] = digest;
    }
    const created = await fetch(`${ollamaUrl}/api/create`, {
      method: 'POST',
      body: JSON.stringify({
        model: served,
        from: 'smollm2-135m',
        adapters,
        stream: false,
      }),
    });
    expect(created.status).toBe(200);

    const list = await new OllamaGenerationModels({
      baseUrl: ollamaUrl,
      generationModel: 'smollm2-135m',
    }).list();
    expect(list.default).toBe('smollm2-135m');
    expect(list.unavailable).toBeUndefined();
    expect(list.items[0]).toEqual({
      name: 'smollm2-135m',
      default: true,
      fineTuned: false,
    });
    expect(list.items).toContainEqual({
      name: served,
      default: false,
      fineTuned: true,
    });
    // the embedding model and other models are not offered
    expect(list.items.every(m => m.default || m.name.startsWith('ft-'))).toBe(
      true,
    );

    const g = await new DefaultModelService({ baseUrl: ollamaUrl }).generate(
      { system: 'You answer briefly.', user: 'Name a colour.' },
      { maxTokens: 12, model: served },
    );
    expect(g.text.trim().length).toBeGreaterThan(0);
  });
});

describe('DefaultModelService when Ollama is down or hangs', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let hangingUrl: string;
  let closedUrl: string;

  beforeAll(async () => {
    // accepts connections and never answers
    silent = createServer(s => sockets.push(s));
    await new Promise<void>(r => silent.listen(0, '127.0.0.1', r));
    hangingUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    // a port that was free a moment ago: connection refused
    const probe = createServer();
    await new Promise<void>(r => probe.listen(0, '127.0.0.1', r));
    closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise(r => probe.close(r));
  });
  afterAll(async () => {
    sockets.forEach(s => s.destroy());
    await new Promise(r => silent.close(r));
  });

  it('is 503 naming Ollama when the connection is refused', async () => {
    const models = new DefaultModelService({ baseUrl: closedUrl });
    const started = Date.now();
    await expect(models.embed(['x'])).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(`Ollama at ${closedUrl} is unavailable`),
    });
    await expect(
      models.generate({ system: '', user: 'hi' }, { maxTokens: 4 }),
    ).rejects.toMatchObject({ name: 'ServiceUnavailableError' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await models.health()).ok).toBe(false);
  });

  it('is 503 naming Ollama within its timeout when it never answers', async () => {
    const models = new DefaultModelService({
      baseUrl: hangingUrl,
      timeoutMs: 1500,
    });
    for (const call of [
      () => models.embed(['x']),
      () => models.generate({ system: '', user: 'hi' }, { maxTokens: 4 }),
    ]) {
      const started = Date.now();
      await expect(call()).rejects.toMatchObject({
        name: 'ServiceUnavailableError',
        message: `Ollama at ${hangingUrl} is unavailable: no answer within 1500 ms`,
      });
      expect(Date.now() - started).toBeLessThan(4000);
    }
  });
});
