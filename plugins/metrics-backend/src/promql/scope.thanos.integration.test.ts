/*
 * Scoped queries against the REAL Thanos Query of the dev stack (two Prometheus replicas with
 * sidecars; the demo traffic generator's series of payments-*, risk-* and ai-platform).
 */
import { requireStack, waitFor } from '@kubemate/dev-stack';
import { scopeQuery } from './scope';

let thanos: string;

beforeAll(async () => {
  const stack = await requireStack({ only: ['kubernetes', 'metrics'] });
  thanos = stack.metrics!.thanosQuery;
}, 60 * 60_000);

async function namespacesOf(query: string): Promise<string[]> {
  const res = await fetch(`${thanos}/api/v1/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, dedup: 'true' }).toString(),
  });
  const body = (await res.json()) as any;
  if (res.status !== 200)
    throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return [
    ...new Set<string>(
      body.data.result.map((r: any) => r.metric.namespace ?? '(none)'),
    ),
  ].sort();
}

const alice = { type: 'namespaces' as const, namespaces: ['payments-*'] };

describe('scoped PromQL on real Thanos', () => {
  it('an unscoped query sees every namespace; the scoped one only the user’s', async () => {
    const q = 'sum by (namespace) (rate(http_server_requests_total[1m]))';
    const all = await waitFor(
      'demo traffic in all namespaces',
      async () => {
        const ns = await namespacesOf(q);
        return ns.length >= 5 ? ns : undefined;
      },
      120_000,
    );
    expect(all).toEqual(
      expect.arrayContaining(['payments-dev', 'risk-dev', 'ai-platform']),
    );
    expect(await namespacesOf(scopeQuery(q, alice))).toEqual([
      'payments-dev',
      'payments-prod',
    ]);
  });

  it('never leaks through a selector that names other namespaces or no metric at all', async () => {
    for (const q of [
      'http_server_requests_in_flight{namespace=~"risk.*"}',
      'count by (namespace) ({__name__=~"http_.+"})',
      'http_server_requests_in_flight{namespace!="payments-dev"} or up',
    ]) {
      const ns = await namespacesOf(scopeQuery(q, alice));
      expect({
        q,
        leaked: ns.filter(n => !n.startsWith('payments-') && n !== '(none)'),
      }).toEqual({
        q,
        leaked: [],
      });
    }
    // relabelling happens after selection: only the user's series are there to relabel
    expect(
      await namespacesOf(
        scopeQuery(
          'label_replace(http_server_requests_in_flight, "namespace", "copy-of-$1", "namespace", "(.*)")',
          alice,
        ),
      ),
    ).toEqual(['copy-of-payments-dev', 'copy-of-payments-prod']);
    // series without a namespace label (the servers' own `up`) are not visible either
    expect(await namespacesOf(scopeQuery('up', alice))).toEqual([]);
  });
});
