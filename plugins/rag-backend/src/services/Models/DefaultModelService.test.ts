/*
 * The embedding calls' checks, against a small local HTTP server answering /api/embed the way a
 * misbehaving Ollama does (the real Ollama: DefaultModelService.integration.test.ts): a vector of
 * NaNs or zeros is asked for once more; twice unusable → 503 naming Ollama, the model and the text,
 * never a vector that would match nothing in Milvus.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { DefaultModelService, usableEmbedding } from './DefaultModelService';

/** What the next /api/embed calls answer, one entry per call (then the last one again). */
let answers: Array<(input: string[]) => unknown[]> = [];
let calls: string[][] = [];
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      const input: string[] = JSON.parse(body).input;
      calls.push(input);
      const answer = answers[Math.min(calls.length, answers.length) - 1];
      res.setHeader('content-type', 'application/json');
      // JSON has no NaN: a null stands for a value that is not a number
      res.end(JSON.stringify({ model: 'm', embeddings: answer(input) }));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise(r => server.close(r)));
beforeEach(() => {
  calls = [];
});

const good = (input: string[]) => input.map((_, i) => [3, 4, i]);
const zeros = (input: string[]) => input.map(() => [0, 0, 0]);
const withNull = (input: string[]) =>
  input.map((_, i) => (i === 1 ? [0.1, null, 0.2] : [3, 4, i]));

const service = () =>
  new DefaultModelService({
    baseUrl: url,
    embeddingModel: 'all-minilm-l6-v2',
    embedBatchSize: 8,
    timeoutMs: 2000,
  });

describe('usableEmbedding', () => {
  it('takes finite numbers with at least one non-zero', () => {
    expect(usableEmbedding([0, 0.5, -1])).toBe(true);
    expect(usableEmbedding([0, 0, 0])).toBe(false);
    expect(usableEmbedding([0.1, NaN])).toBe(false);
    expect(usableEmbedding([Infinity, 1])).toBe(false);
    expect(usableEmbedding([0.1, null])).toBe(false);
    expect(usableEmbedding([])).toBe(false);
    expect(usableEmbedding('0.1,0.2')).toBe(false);
  });
});

describe('DefaultModelService.embed', () => {
  it('returns unit vectors, one per text', async () => {
    answers = [good];
    const out = await service().embed(['a', 'b']);
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual([0.6, 0.8, 0]);
    expect(calls).toEqual([['a', 'b']]);
  });

  it('asks once more when a vector is unusable, and keeps the second answer', async () => {
    answers = [withNull, good];
    const out = await service().embed(['a', 'b', 'c']);
    expect(calls).toHaveLength(2);
    expect(out.every(v => v.every(Number.isFinite))).toBe(true);
  });

  it('fails with a 503 naming Ollama, the model and the text when it stays unusable', async () => {
    answers = [zeros];
    const call = service().embed(['a', 'b']);
    await expect(call).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        new RegExp(
          `^Ollama at ${url.replace(
            /[.]/g,
            '\\.',
          )} returned an unusable embedding .* from all-minilm-l6-v2 for text 1 of 2, twice$`,
        ),
      ),
    });
    expect(calls).toHaveLength(2);
  });

  it('names the text of the batch that stayed unusable', async () => {
    answers = [withNull];
    await expect(
      service().embed(Array.from({ length: 10 }, (_, i) => `t${i}`)),
    ).rejects.toThrow(/for text 2 of 10, twice/);
  });
});
