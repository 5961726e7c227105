import { InspectionsClient, dispositionFilename } from './InspectionsClient';

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
  return { calls, api: new InspectionsClient({ discoveryApi, fetchApi }) };
}

const json = (v: unknown) => () => new Response(JSON.stringify(v));
const base = 'http://backend/api/inspections';

describe('InspectionsClient', () => {
  it('calls the routes of the inspections backend with their query strings and JSON bodies', async () => {
    const { calls, api } = client(json({}));
    await api.checks();
    await api.clusters();
    await api.runs();
    await api.runs({ cluster: 'dev-cluster', limit: 20, offset: 40 });
    await api.createRun({
      clusters: ['dev-cluster'],
      namespaces: ['payments-*'],
      categories: ['cluster', 'security'],
    });
    await api.run('r 1');
    await api.diff('r1', 'r2');
    await api.exemptions();
    await api.exemptions('pending');
    await api.requestExemption({
      runId: 'r1',
      fingerprint: 'fp1',
      reason: 'legacy image until Q3',
      ticket: 'CHG-1234',
      expiresAt: '2027-01-01T00:00:00.000Z',
    });
    await api.decideExemption('e1', 'approve', { comment: 'ok' });
    await api.decideExemption('e1', 'reject', {});
    await api.decideExemption('e1', 'revoke', { comment: 'fixed' });
    await api.entityFindings('component:default/payments-api');
    expect(calls.map(([url, init]) => [url, init?.method, init?.body])).toEqual(
      [
        [`${base}/checks`, 'GET', undefined],
        [`${base}/clusters`, 'GET', undefined],
        [`${base}/runs`, 'GET', undefined],
        [
          `${base}/runs?cluster=dev-cluster&limit=20&offset=40`,
          'GET',
          undefined,
        ],
        [
          `${base}/runs`,
          'POST',
          '{"clusters":["dev-cluster"],"namespaces":["payments-*"],"categories":["cluster","security"]}',
        ],
        [`${base}/runs/r%201`, 'GET', undefined],
        [`${base}/diff?base=r1&head=r2`, 'GET', undefined],
        [`${base}/exemptions`, 'GET', undefined],
        [`${base}/exemptions?status=pending`, 'GET', undefined],
        [
          `${base}/exemptions`,
          'POST',
          '{"runId":"r1","fingerprint":"fp1","reason":"legacy image until Q3","ticket":"CHG-1234","expiresAt":"2027-01-01T00:00:00.000Z"}',
        ],
        [`${base}/exemptions/e1/approve`, 'POST', '{"comment":"ok"}'],
        [`${base}/exemptions/e1/reject`, 'POST', '{}'],
        [`${base}/exemptions/e1/revoke`, 'POST', '{"comment":"fixed"}'],
        [
          `${base}/entity/component/default/payments-api/findings`,
          'GET',
          undefined,
        ],
      ],
    );
  });

  it('exports a run as a file named by the backend, or after the run and format', async () => {
    const named = client(
      () =>
        new Response('%PDF-1.7', {
          headers: {
            'Content-Type': 'application/pdf',
            'Content-Disposition':
              'attachment; filename="inspection-2026-12-01-r1.pdf"',
          },
        }),
    );
    const pdf = await named.api.exportRun('r1', 'pdf');
    expect(named.calls[0][0]).toBe(`${base}/runs/r1/export?format=pdf`);
    expect(pdf.filename).toBe('inspection-2026-12-01-r1.pdf');
    expect(await pdf.blob.text()).toBe('%PDF-1.7');

    const plain = client(() => new Response('<testsuites/>'));
    const junit = await plain.api.exportRun('r1', 'junit');
    expect(plain.calls[0][0]).toBe(`${base}/runs/r1/export?format=junit`);
    expect(junit.filename).toBe('inspection-r1.xml');
  });

  it('reads RFC 5987 file names', () => {
    expect(
      dispositionFilename("attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.csv"),
    ).toBe('résumé.csv');
    expect(dispositionFilename(null)).toBeUndefined();
  });

  it("throws the backend's message (a busy cluster is a 409)", async () => {
    const { api } = client(
      () =>
        new Response(
          JSON.stringify({
            error: {
              name: 'ConflictError',
              message: 'dev-cluster is being inspected by run r7',
            },
            response: { statusCode: 409 },
          }),
          { status: 409, headers: { 'Content-Type': 'application/json' } },
        ),
    );
    await expect(api.createRun({})).rejects.toThrow(
      'dev-cluster is being inspected by run r7',
    );
  });
});
