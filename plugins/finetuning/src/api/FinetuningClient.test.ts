import { File as NodeFile } from 'node:buffer';
import { FinetuningClient } from './FinetuningClient';

const discoveryApi = {
  getBaseUrl: async (id: string) => `http://backend/api/${id}`,
};

function client(answer: () => Response) {
  const calls: Array<[string, RequestInit | undefined]> = [];
  const fetchApi = {
    fetch: async (url: any, init?: RequestInit) => {
      calls.push([String(url), init]);
      return answer();
    },
  };
  return { calls, ft: new FinetuningClient({ discoveryApi, fetchApi }) };
}

const json = (v: unknown) => () => new Response(JSON.stringify(v));

describe('FinetuningClient', () => {
  it('calls the routes of the finetuning backend with their query strings and bodies', async () => {
    const { calls, ft } = client(json({}));
    await ft.options();
    await ft.datasets({ namespace: 'payments-dev' });
    await ft.previewDataset('d/1', 5);
    await ft.deleteDataset('d1');
    await ft.jobs({ sweepId: 's1', state: 'Queued' });
    await ft.job('j1');
    await ft.logs('j1', 'p-0', 100);
    await ft.metrics('j1');
    await ft.cancelJob('j1');
    await ft.compare(['a', 'b']);
    await ft.sweep('s1');
    await ft.serve('j1', { modelName: 'ft-x' });
    await ft.models();
    await ft.entityJobs('component:default/fraud-model');
    expect(calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual(
      [
        ['http://backend/api/finetuning/options', 'GET', undefined],
        [
          'http://backend/api/finetuning/datasets?namespace=payments-dev',
          'GET',
          undefined,
        ],
        [
          'http://backend/api/finetuning/datasets/d%2F1/preview?limit=5',
          'GET',
          undefined,
        ],
        ['http://backend/api/finetuning/datasets/d1', 'DELETE', undefined],
        [
          'http://backend/api/finetuning/jobs?sweepId=s1&state=Queued',
          'GET',
          undefined,
        ],
        ['http://backend/api/finetuning/jobs/j1', 'GET', undefined],
        [
          'http://backend/api/finetuning/jobs/j1/logs?pod=p-0&tailLines=100',
          'GET',
          undefined,
        ],
        ['http://backend/api/finetuning/jobs/j1/metrics', 'GET', undefined],
        ['http://backend/api/finetuning/jobs/j1/cancel', 'POST', undefined],
        ['http://backend/api/finetuning/compare?ids=a%2Cb', 'GET', undefined],
        ['http://backend/api/finetuning/sweeps/s1', 'GET', undefined],
        [
          'http://backend/api/finetuning/jobs/j1/serve',
          'POST',
          '{"modelName":"ft-x"}',
        ],
        ['http://backend/api/finetuning/models', 'GET', undefined],
        [
          'http://backend/api/finetuning/entity/component/default/fraud-model',
          'GET',
          undefined,
        ],
      ],
    );
  });

  it('uploads a dataset as multipart with the fields before the file, and throws the 400 message', async () => {
    const { calls, ft } = client(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'InputError',
              message: 'line 2: instruction is missing',
            },
            response: { statusCode: 400 },
          }),
          { status: 400, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    await expect(
      ft.uploadDataset({
        // the test environment's FormData is Node's (undici): a Node File, as a browser's is its own
        file: new NodeFile(['{}\n'], 'a.jsonl') as unknown as File,
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'a',
        instructionField: 'q',
        responseField: 'a',
      }),
    ).rejects.toThrow('line 2: instruction is missing');
    const [url, init] = calls[0];
    expect(url).toBe('http://backend/api/finetuning/datasets');
    expect(init?.method).toBe('POST');
    const form = init?.body as FormData;
    expect([...form.keys()]).toEqual([
      'cluster',
      'namespace',
      'name',
      'instructionField',
      'responseField',
      'file',
    ]);
    expect((form.get('file') as File).name).toBe('a.jsonl');
  });
});
