/*
 * The generation models a question may pick, from Ollama's /api/tags as a small local HTTP server
 * answers it (the real Ollama's list: DefaultModelService.integration.test.ts): the configured model
 * first, then the `ft-` models by name; Ollama down or hanging → the configured model and why,
 * within the deadline.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { OllamaGenerationModels } from './GenerationModels';

let tags: unknown;
let hang = false;
const paths: string[] = [];
let server: Server;
let url: string;
const sockets: Socket[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (hang) return;
    paths.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(tags));
  });
  server.on('connection', s => sockets.push(s));
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sockets.forEach(s => s.destroy());
  await new Promise(r => server.close(r));
});

const model = (name: string) => ({ name, model: name, size: 1, digest: 'x' });

describe('OllamaGenerationModels', () => {
  it('lists the configured model, then the fine-tuned ones by name', async () => {
    hang = false;
    tags = {
      models: [
        model('smollm2-135m:latest'),
        model('ft-risk-dev-scoring:latest'),
        model('all-minilm-l6-v2:latest'),
        model('ft-payments-dev-fraud:latest'),
        model('ft-payments-dev-fraud:v2'),
      ],
    };
    const list = await new OllamaGenerationModels({
      baseUrl: `${url}/`,
      generationModel: 'smollm2-135m',
    }).list();
    expect(list).toEqual({
      default: 'smollm2-135m',
      items: [
        { name: 'smollm2-135m', default: true, fineTuned: false },
        { name: 'ft-payments-dev-fraud', default: false, fineTuned: true },
        { name: 'ft-payments-dev-fraud:v2', default: false, fineTuned: true },
        { name: 'ft-risk-dev-scoring', default: false, fineTuned: true },
      ],
    });
    expect(paths).toEqual(['/api/tags']);
  });

  it('takes another prefix; the configured model is never listed twice', async () => {
    hang = false;
    tags = { models: [model('tuned-a:latest'), model('tuned-default:latest')] };
    const list = await new OllamaGenerationModels({
      baseUrl: url,
      generationModel: 'tuned-default',
      servedModelPrefix: 'tuned-',
    }).list();
    expect(list.items.map(m => m.name)).toEqual(['tuned-default', 'tuned-a']);
  });

  it('is the configured model and why when Ollama hangs or is down, within the deadline', async () => {
    hang = true;
    const started = Date.now();
    const hanging = await new OllamaGenerationModels({
      baseUrl: url,
      timeoutMs: 300,
    }).list();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(hanging).toEqual({
      default: 'smollm2-135m',
      items: [{ name: 'smollm2-135m', default: true, fineTuned: false }],
      unavailable: expect.stringMatching(
        /^Ollama at http:\/\/127.0.0.1:\d+ is unavailable/,
      ),
    });
    // a port that was free a moment ago: connection refused
    const probe = createServer();
    await new Promise<void>(r => probe.listen(0, '127.0.0.1', r));
    const closed = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise(r => probe.close(r));
    const down = await new OllamaGenerationModels({ baseUrl: closed }).list();
    expect(down.unavailable).toBe(
      `Ollama at ${closed} is unavailable: ECONNREFUSED`,
    );
  });
});
