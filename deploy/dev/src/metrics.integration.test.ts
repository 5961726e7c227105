/*
 * The metrics part of the dev stack against the REAL servers (stack.sh up --only
 * kubernetes,metrics): two Prometheus replicas (Debian) with Thanos sidecars, Thanos Query
 * deduplicating on `replica`, the long-term path (sidecars upload to a FILESYSTEM bucket, Store
 * gateway, Compactor), Alertmanager (Debian), the demo traffic generator (synthetic demo data) and
 * kwok's simulated kubelet resource metrics.
 */
import { DevStack, DevStackMetrics, requireStack, waitFor } from './index';

let stack: DevStack;
let m: DevStackMetrics;

jest.setTimeout(5 * 60_000);

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics'] });
  if (!stack.metrics) throw new Error('stack.json has no metrics section');
  m = stack.metrics;
}, 60 * 60_000);

type Sample = { metric: Record<string, string>; value: [number, string] };

async function instant(
  base: string,
  query: string,
  extra: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}/api/v1/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, ...extra }).toString(),
  });
  return { status: res.status, body: await res.json() };
}

const SERIES =
  'http_server_requests_total{namespace="payments-dev",service="payments-api",route="/v1/payments",method="POST",code="200"}';

describe('dev stack metrics (real Prometheus x2 + Thanos + Alertmanager)', () => {
  it('wires the long-term path: Query reaches both sidecars and the Store gateway; the Compactor runs', async () => {
    const stores = await waitFor(
      'Thanos Query lists its store endpoints',
      async () => {
        const r = await (await fetch(`${m.thanosQuery}/api/v1/stores`)).json();
        const names = Object.values(r.data ?? {})
          .flat()
          .map((s: any) => s.name);
        return names.length >= 3 ? r.data : undefined;
      },
    );
    expect(stores.sidecar.map((s: any) => s.name).sort()).toEqual(
      [...m.sidecarsGrpc].sort(),
    );
    expect(stores.store.map((s: any) => s.name)).toEqual([m.storeGrpc]);
    // every sidecar store carries its replica's external labels (what dedup uses)
    for (const s of stores.sidecar) {
      expect(s.labelSets[0]).toMatchObject({ monitor: 'kubemate-dev' });
    }
    const ready = await fetch(`${m.store}/-/ready`);
    expect(ready.status).toBe(200);
    // the compactor has gone through at least one compaction/downsampling pass over the bucket
    const iterations = await waitFor('a compactor iteration', async () => {
      const text = await (await fetch(`${m.compactor}/metrics`)).text();
      const v = Number(
        text.match(/^thanos_compact_iterations_total (\S+)$/m)?.[1] ?? 0,
      );
      return v >= 1 ? v : undefined;
    });
    expect(iterations).toBeGreaterThanOrEqual(1);
  });

  it('Thanos Query returns a series scraped by both replicas once with dedup and twice without', async () => {
    const both = await waitFor('the demo series on both replicas', async () => {
      const r = await instant(m.thanosQuery, SERIES, { dedup: 'false' });
      return r.body.data?.result?.length === 2 ? r : undefined;
    });
    const replicas = (both.body.data.result as Sample[])
      .map(s => s.metric.replica)
      .sort();
    expect(replicas).toEqual(['0', '1']);
    expect(both.body.data.result[0].metric.kubemate_demo_data).toBe('true');

    const deduped = await instant(m.thanosQuery, SERIES, { dedup: 'true' });
    expect(deduped.status).toBe(200);
    expect(deduped.body.data.result).toHaveLength(1);
    expect(deduped.body.data.result[0].metric.replica).toBeUndefined();

    // each Prometheus has it once, with its own replica label only through Thanos
    for (const p of m.prometheus) {
      const r = await instant(p, SERIES);
      expect(r.body.data.result).toHaveLength(1);
    }
  });

  it("rejects malformed PromQL with a 400 carrying the engine's own message", async () => {
    const r = await instant(
      m.thanosQuery,
      'sum(rate(http_server_requests_total[1m])',
    );
    expect(r.status).toBe(400);
    expect(r.body.errorType).toBe('bad_data');
    expect(r.body.error).toMatch(/parse error/);
  });

  it("scrapes kwok's simulated kubelet resource metrics of both clusters", async () => {
    const r = await waitFor('pod memory series of both clusters', async () => {
      const q = await instant(
        m.thanosQuery,
        'count by (cluster) (pod_memory_working_set_bytes{namespace=~"payments-.*"})',
        { dedup: 'true' },
      );
      return q.body.data?.result?.length === 2 ? q : undefined;
    });
    expect(
      (r.body.data.result as Sample[]).map(s => s.metric.cluster).sort(),
    ).toEqual(['dev-cluster', 'prod-cluster']);
  });

  it('fires the demo alert in Alertmanager; a silence suppresses it and expiring it brings it back', async () => {
    const filter = (extra = '') =>
      `${m.alertmanager}/api/v2/alerts?${new URLSearchParams([
        ['filter', 'alertname="DemoHighErrorRate"'],
        ['filter', 'namespace="payments-dev"'],
        ...(extra ? [['silenced', extra]] : []),
      ]).toString()}`;
    const [alert] = await waitFor(
      'DemoHighErrorRate firing for payments-dev',
      async () => {
        const alerts = (await (await fetch(filter())).json()) as any[];
        // both replicas evaluate the rule; without their replica label Alertmanager keeps one
        return alerts.length === 1 && !alerts[0].labels.replica
          ? alerts
          : undefined;
      },
      240_000,
    );
    expect(alert.status.state).toBe('active');
    expect(alert.labels).toMatchObject({
      alertname: 'DemoHighErrorRate',
      service: 'payments-api',
      severity: 'warning',
    });
    // the risk namespaces are healthy: no alert there
    const risk = (await (
      await fetch(
        `${m.alertmanager}/api/v2/alerts?filter=${encodeURIComponent(
          'alertname="DemoHighErrorRate"',
        )}&filter=${encodeURIComponent('namespace="risk-prod"')}`,
      )
    ).json()) as any[];
    expect(risk).toEqual([]);

    const now = Date.now();
    const created = await fetch(`${m.alertmanager}/api/v2/silences`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        matchers: [
          {
            name: 'alertname',
            value: 'DemoHighErrorRate',
            isRegex: false,
            isEqual: true,
          },
          {
            name: 'namespace',
            value: 'payments-dev',
            isRegex: false,
            isEqual: true,
          },
        ],
        startsAt: new Date(now).toISOString(),
        endsAt: new Date(now + 10 * 60_000).toISOString(),
        createdBy: 'metrics.test.ts',
        comment: 'dev stack test',
      }),
    });
    expect(created.status).toBe(200);
    const { silenceID } = (await created.json()) as { silenceID: string };
    try {
      const suppressed = await waitFor('the alert silenced', async () => {
        const alerts = (await (await fetch(filter())).json()) as any[];
        return alerts[0]?.status.state === 'suppressed' ? alerts[0] : undefined;
      });
      expect(suppressed.status.silencedBy).toEqual([silenceID]);
    } finally {
      const expired = await fetch(
        `${m.alertmanager}/api/v2/silence/${silenceID}`,
        {
          method: 'DELETE',
        },
      );
      expect(expired.status).toBe(200);
    }
    await waitFor('the alert active again', async () => {
      const alerts = (await (await fetch(filter())).json()) as any[];
      return alerts[0]?.status.state === 'active' ? true : undefined;
    });
  });
});
