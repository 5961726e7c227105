import type { QuerySample } from '@kubemate/plugin-inspections-node';
import { createHostChecks } from './host';
import { byId, NOW, runCheck } from './__testUtils__/fakeContext';

const checks = createHostChecks({
  allowedImageRegistries: [],
  hostSelector: 'job="node"',
});
const check = (id: string) => byId(checks, id);

/** A Prometheus answering by the metric the query starts with (or contains). */
function prometheus(answers: Record<string, QuerySample[]>) {
  const queries: string[] = [];
  return {
    queries,
    query: (q: string) => {
      queries.push(q);
      const key = Object.keys(answers).find(k => q.includes(k));
      return key ? answers[key] : [];
    },
  };
}
const host = (
  instance: string,
  value: number,
  extra: Record<string, string> = {},
) => ({
  labels: { instance, job: 'node', ...extra },
  value,
});

describe('host.exporter-up', () => {
  it('no host series at all is a finding, not a skip', async () => {
    const out = await runCheck(check('host.exporter-up'), {
      prometheus: () => [],
    });
    expect(out.skipped).toBeUndefined();
    expect(out.findings[0]).toMatchObject({
      object: { kind: 'Host', name: 'job="node"' },
      evidence: { measured: 'no series', query: 'up{job="node"}' },
    });
  });
  it('reports hosts that are down', async () => {
    const p = prometheus({ up: [host('a:9100', 1), host('b:9100', 0)] });
    const out = await runCheck(check('host.exporter-up'), {
      prometheus: p.query,
    });
    expect(out.findings.map(f => f.object.name)).toEqual(['b:9100']);
  });
  it('is skipped without Prometheus', async () => {
    expect((await runCheck(check('host.exporter-up'), {})).skipped).toMatch(
      /prometheus\.url/,
    );
  });
});

describe('usage checks', () => {
  it.each([
    [
      'host.cpu-usage',
      'node_cpu_seconds_total',
      95,
      50,
      '100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{job="node", mode="idle"}[5m])))',
    ],
    [
      'host.memory-usage',
      'MemAvailable',
      92,
      40,
      '100 * (1 - node_memory_MemAvailable_bytes{job="node"} / node_memory_MemTotal_bytes{job="node"})',
    ],
    [
      'host.file-descriptors',
      'node_filefd',
      85,
      2,
      '100 * node_filefd_allocated{job="node"} / node_filefd_maximum{job="node"}',
    ],
  ])('%s', async (id, metric, bad, good, query) => {
    const p = prometheus({
      [metric]: [host('a:9100', bad), host('b:9100', good)],
    });
    const out = await runCheck(check(id), { prometheus: p.query });
    expect(p.queries).toEqual([query]);
    expect(out.evaluated).toBe(2);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: { kind: 'Host', name: 'a:9100' },
      evidence: { measured: `${bad.toFixed(1)} %`, query },
    });
  });

  it('disk-usage: per mount point, pseudo file systems excluded, critical above criticalPercent', async () => {
    const p = prometheus({
      node_filesystem_avail_bytes: [
        host('a:9100', 88, { mountpoint: '/var' }),
        host('a:9100', 97, { mountpoint: '/data' }),
        host('a:9100', 30, { mountpoint: '/' }),
      ],
    });
    const out = await runCheck(check('host.disk-usage'), {
      prometheus: p.query,
    });
    expect(p.queries[0]).toContain('fstype!~"tmpfs|ramfs|devtmpfs|overlay|');
    expect(out.findings.map(f => [f.object.part, f.severity])).toEqual([
      ['/var', undefined],
      ['/data', 'critical'],
    ]);
  });

  it('inode-usage and load', async () => {
    const inodes = await runCheck(check('host.inode-usage'), {
      prometheus: prometheus({
        node_filesystem_files_free: [host('a', 93, { mountpoint: '/' })],
      }).query,
    });
    expect(inodes.findings[0].object).toEqual({
      kind: 'Host',
      name: 'a',
      part: '/',
    });
    const p = prometheus({ node_load15: [host('a', 3.2), host('b', 0.4)] });
    const load = await runCheck(check('host.load'), { prometheus: p.query });
    expect(p.queries[0]).toBe(
      'node_load15{job="node"} / on (instance) count by (instance) (node_cpu_seconds_total{job="node", mode="idle"})',
    );
    expect(load.findings.map(f => f.evidence.measured)).toEqual([
      '3.20 per CPU (15 min)',
    ]);
  });

  it('disk-io and network-errors: per device, loopback and pseudo devices left out', async () => {
    const io = prometheus({
      node_disk_io_time_seconds_total: [
        host('a', 97.5, { device: 'sda' }),
        host('a', 12, { device: 'sdb' }),
      ],
    });
    const disk = await runCheck(check('host.disk-io'), {
      prometheus: io.query,
    });
    expect(io.queries[0]).toBe(
      '100 * max by (instance, device) (rate(node_disk_io_time_seconds_total{job="node", device!~"(loop|ram|fd|sr)[0-9]*"}[5m]))',
    );
    expect(disk.evaluated).toBe(2);
    expect(
      disk.findings.map(f => [f.object.part, f.evidence.measured]),
    ).toEqual([['sda', '97.5 % busy (5 min)']]);
    const net = prometheus({
      node_network_receive_errs_total: [
        host('a', 3.25, { device: 'eth0' }),
        host('a', 0, { device: 'eth1' }),
      ],
    });
    const errs = await runCheck(check('host.network-errors'), {
      prometheus: net.query,
    });
    expect(net.queries[0]).toContain(
      'node_network_transmit_drop_total{job="node", device!="lo"}[5m]',
    );
    expect(errs.findings).toHaveLength(1);
    expect(errs.findings[0]).toMatchObject({
      object: { kind: 'Host', name: 'a', part: 'eth0' },
      evidence: { measured: '3.3/s (5 min)', expected: '< 1/s' },
    });
  });

  it('a metric without series is skipped naming the query', async () => {
    const out = await runCheck(check('host.cpu-usage'), {
      prometheus: () => [],
    });
    expect(out.skipped).toMatch(/^no series for job="node": 100 \* \(1 - avg/);
  });
});

describe('host.time-sync', () => {
  it('reports unsynchronised clocks and large offsets', async () => {
    const out = await runCheck(check('host.time-sync'), {
      prometheus: prometheus({
        node_timex_sync_status: [host('a', 0), host('b', 1), host('c', 1)],
        node_timex_offset_seconds: [
          host('a', 0),
          host('b', 0.01),
          host('c', -2),
        ],
      }).query,
    });
    expect(out.findings.map(f => [f.object.name, f.message])).toEqual([
      ['a', 'a: the clock is not synchronised.'],
      ['c', 'c: the clock is off by -2.000 s.'],
    ]);
  });
});

describe('host.cron-jobs', () => {
  const at = (hoursAgo: number) =>
    (NOW.getTime() - hoursAgo * 3_600_000) / 1000;
  it('reports failed and stale cron jobs per host and job', async () => {
    const out = await runCheck(check('host.cron-jobs'), {
      prometheus: prometheus({
        kubemate_cron_job_last_exit_code: [
          host('h', 1, { exported_job: 'demo-logrotate' }),
          host('h', 0, { exported_job: 'etcd-backup' }),
          host('h', 0, { exported_job: 'old' }),
        ],
        kubemate_cron_job_last_run_timestamp_seconds: [
          host('h', at(0.1), { exported_job: 'demo-logrotate' }),
          host('h', at(0.2), { exported_job: 'etcd-backup' }),
          host('h', at(50), { exported_job: 'old' }),
        ],
      }).query,
    });
    expect(out.evaluated).toBe(3);
    expect(out.findings.map(f => [f.object.part, f.evidence.measured])).toEqual(
      [
        ['cron:demo-logrotate', 'last exit code 1'],
        ['cron:old', 'last run 2 days ago'],
      ],
    );
  });
  it('is skipped when no host publishes cron job metrics', async () => {
    const out = await runCheck(check('host.cron-jobs'), {
      prometheus: () => [],
    });
    expect(out.skipped).toMatch(/no cron job metrics/);
  });
});
