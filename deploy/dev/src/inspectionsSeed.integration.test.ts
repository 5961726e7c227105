/*
 * What the inspections find, checked on the REAL servers of the dev stack (stack.sh up --only
 * kubernetes,postgres,metrics,inspections): every seeded problem exists where README.md's
 * "Inspections" section says, and the real data sources (node exporter through Thanos,
 * pg_stat_statements, etcd snapshots, TLS endpoints) answer as the checks expect. Nothing is
 * created or changed here.
 */
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { connect } from 'node:tls';
import {
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  RbacAuthorizationV1Api,
  StorageV1Api,
} from '@kubernetes/client-node';
import { DevStack, requireStack, waitFor } from './index';

let stack: DevStack;
const DEV = 'dev-cluster';
const DAY = 86_400_000;

jest.setTimeout(5 * 60_000);

beforeAll(async () => {
  stack = await requireStack({
    only: ['kubernetes', 'postgres', 'metrics', 'inspections'],
  });
}, 60 * 60_000);

const api = <T>(cls: new (...args: any[]) => T, cluster = DEV): T =>
  stack.kubeConfigFor(cluster, 'admin').makeApiClient(cls as any) as T;

type Sample = { metric: Record<string, string>; value: [number, string] };

/** An instant query through Thanos Query (deduplicated unless `dedup` is 'false'). */
async function promql(query: string, dedup = 'true'): Promise<Sample[]> {
  const res = await fetch(`${stack.metrics!.thanosQuery}/api/v1/query`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ query, dedup }).toString(),
  });
  const body = await res.json();
  if (body.status !== 'success') {
    throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`);
  }
  return body.data.result;
}

function psqlBinary(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort().reverse()) {
      const p = `${root}/${v}/bin/psql`;
      if (existsSync(p)) return p;
    }
  }
  return 'psql';
}

/** One SQL statement with the real psql client as the inspections' read-only role. */
function psqlInspector(sql: string): Promise<{ code: number; out: string }> {
  const pg = stack.postgres!;
  const args = ['-h', pg.host, '-p', String(pg.port), '-U', pg.inspector!.user];
  args.push('-d', pg.database, '-XtA', '-F', '|', '-c', sql);
  return new Promise(resolvePromise => {
    execFile(
      psqlBinary(),
      args,
      {
        env: { ...process.env, PGPASSWORD: pg.inspector!.password },
        timeout: 30_000,
      },
      (error, stdout, stderr) =>
        resolvePromise({
          code: error ? Number((error as any).code ?? 1) : 0,
          out: `${stdout}${stderr}`.trim(),
        }),
    );
  });
}

/** The leaf certificate a TLS endpoint presents (not verified: the checks read untrusted ones too). */
function peerCertificate(host: string, port: number): Promise<X509Certificate> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect({ host, port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerCertificate().raw;
      socket.end();
      resolvePromise(new X509Certificate(raw));
    });
    socket.setTimeout(5_000, () => socket.destroy(new Error('TLS timeout')));
    socket.on('error', reject);
  });
}

/** A certificate that expires within 30 days but has not expired (the seed keeps it 10-20 days). */
function expectExpiringSoon(cert: X509Certificate) {
  const left = new Date(cert.validTo).getTime() - Date.now();
  expect(left).toBeGreaterThan(9 * DAY);
  expect(left).toBeLessThan(30 * DAY);
}

describe('seeded Kubernetes problems on dev-cluster', () => {
  it('risk-dev/risk-report: no resources, no probes, latest image, privileged root container', async () => {
    const d = await api(AppsV1Api).readNamespacedDeployment({
      name: 'risk-report',
      namespace: 'risk-dev',
    });
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.template.metadata?.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'risk-engine',
    });
    const [c] = d.spec!.template.spec!.containers;
    expect(c.image).toBe('kubemate/risk-report:latest');
    expect(c.resources ?? {}).toEqual({});
    expect(c.livenessProbe).toBeUndefined();
    expect(c.readinessProbe).toBeUndefined();
    expect(c.securityContext).toMatchObject({ privileged: true, runAsUser: 0 });
    // the namespace's compute quota admits its pod (LimitRange defaults): it runs
    await waitFor('a running risk-report pod', async () => {
      const pods = await api(CoreV1Api).listNamespacedPod({
        namespace: 'risk-dev',
        labelSelector: 'app=risk-report',
      });
      return pods.items.some(p => p.status?.phase === 'Running');
    });
  });

  it('ai-platform/docs-indexer: OOMKilled (exit 137) and its working set above 90 % of the limit', async () => {
    const d = await api(AppsV1Api).readNamespacedDeployment({
      name: 'docs-indexer',
      namespace: 'ai-platform',
    });
    expect(d.spec?.template.metadata?.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'docs-assistant',
    });
    expect(d.spec?.template.spec?.containers[0].resources?.limits?.memory).toBe(
      '256Mi',
    );
    // kwok restarts it every 55-65 s
    const status = await waitFor(
      'an OOMKilled docs-indexer container',
      async () => {
        const pods = await api(CoreV1Api).listNamespacedPod({
          namespace: 'ai-platform',
          labelSelector: 'app=docs-indexer',
        });
        return pods.items
          .flatMap(p => p.status?.containerStatuses ?? [])
          .find(s => s.lastState?.terminated?.reason === 'OOMKilled');
      },
      150_000,
      2_000,
    );
    expect(status.lastState?.terminated?.exitCode).toBe(137);
    expect(status.restartCount).toBeGreaterThan(0);
    expect(status.ready).toBe(true);

    const ratio = await waitFor(
      'docs-indexer working set / limit',
      async () => {
        const r = await promql(
          'max(container_memory_working_set_bytes{cluster="dev-cluster",namespace="ai-platform",container="docs-indexer"})',
        );
        return r.length ? Number(r[0].value[1]) / (256 * 2 ** 20) : undefined;
      },
    );
    expect(ratio).toBeGreaterThan(0.9);
    expect(ratio).toBeLessThan(1);
  });

  it('payments-dev/payments-settlement: the CronJob controller starts Jobs and the Job controller fails them', async () => {
    const cj = await api(BatchV1Api).readNamespacedCronJob({
      name: 'payments-settlement',
      namespace: 'payments-dev',
    });
    expect(cj.metadata?.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'payments-api',
    });
    expect(cj.spec?.schedule).toBe('*/2 * * * *');
    expect(cj.spec?.jobTemplate.spec?.backoffLimit).toBe(0);
    // a Job every 2 minutes: at most one schedule to wait for
    const failed = await waitFor(
      'a failed Job of payments-settlement',
      async () => {
        const jobs = await api(BatchV1Api).listNamespacedJob({
          namespace: 'payments-dev',
          labelSelector: 'app=payments-settlement',
        });
        return jobs.items.find(
          j =>
            j.metadata?.ownerReferences?.some(
              o => o.kind === 'CronJob' && o.name === 'payments-settlement',
            ) &&
            j.status?.conditions?.some(
              c => c.type === 'Failed' && c.status === 'True',
            ),
        );
      },
      200_000,
      2_000,
    );
    expect(
      failed.status?.conditions?.find(c => c.type === 'Failed')?.reason,
    ).toBe('BackoffLimitExceeded');
    expect(failed.status?.succeeded ?? 0).toBe(0);
  });

  it('payments-dev/payments-legacy has no endpoints, ai-platform/docs-index-data stays Pending', async () => {
    const svc = await api(CoreV1Api).readNamespacedService({
      name: 'payments-legacy',
      namespace: 'payments-dev',
    });
    const selector = Object.entries(svc.spec?.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    expect(selector).toBe('app=payments-legacy');
    const pods = await api(CoreV1Api).listNamespacedPod({
      namespace: 'payments-dev',
      labelSelector: selector,
    });
    expect(pods.items).toEqual([]);
    const slices = await waitFor(
      'the EndpointSlice of payments-legacy',
      async () => {
        const l = await api(DiscoveryV1Api).listNamespacedEndpointSlice({
          namespace: 'payments-dev',
          labelSelector: 'kubernetes.io/service-name=payments-legacy',
        });
        return l.items.length ? l.items : undefined;
      },
    );
    expect(slices.flatMap(s => s.endpoints ?? [])).toEqual([]);

    const pvc = await api(CoreV1Api).readNamespacedPersistentVolumeClaim({
      name: 'docs-index-data',
      namespace: 'ai-platform',
    });
    expect(pvc.status?.phase).toBe('Pending');
    expect(pvc.metadata?.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'docs-assistant',
    });
    const sc = await api(StorageV1Api).readStorageClass({
      name: pvc.spec!.storageClassName!,
    });
    expect(sc.provisioner).toBe('kubemate.dev/unprovisioned');
  });

  it('risk-dev/risk-dev-quota is at least 90 % used; legacy-ci is cluster-admin', async () => {
    const used = await waitFor(
      'the quota controller fills status.used',
      async () => {
        const q = await api(CoreV1Api).readNamespacedResourceQuota({
          name: 'risk-dev-quota',
          namespace: 'risk-dev',
        });
        const u = q.status?.used?.['count/configmaps'];
        const h = q.status?.hard?.['count/configmaps'];
        return u !== undefined && h ? Number(u) / Number(h) : undefined;
      },
    );
    expect(used).toBeGreaterThanOrEqual(0.9);

    const crb = await api(RbacAuthorizationV1Api).readClusterRoleBinding({
      name: 'legacy-ci-admin',
    });
    expect(crb.roleRef.name).toBe('cluster-admin');
    expect(crb.subjects).toEqual([
      expect.objectContaining({
        kind: 'ServiceAccount',
        name: 'legacy-ci',
        namespace: 'payments-dev',
      }),
    ]);
  });

  it('Secret payments-dev/payments-api-tls holds a certificate that expires within 30 days', async () => {
    const s = await api(CoreV1Api).readNamespacedSecret({
      name: 'payments-api-tls',
      namespace: 'payments-dev',
    });
    expect(s.type).toBe('kubernetes.io/tls');
    expect(s.metadata?.labels).toMatchObject({
      'backstage.io/kubernetes-id': 'payments-api',
    });
    expectExpiringSoon(
      new X509Certificate(Buffer.from(s.data!['tls.crt'], 'base64')),
    );
  });
});

describe('TLS endpoint payments-gateway', () => {
  it('serves a certificate that expires within 30 days and is configured for the inspections', async () => {
    const tls = stack.inspections!.demoTls!;
    const cert = await peerCertificate('127.0.0.1', tls.port);
    expect(cert.subject).toContain('CN=payments-gateway');
    expectExpiringSoon(cert);
    expect((stack.appConfig as any).kubemate.inspections.tls.endpoints).toEqual(
      [
        {
          name: 'payments-gateway',
          host: '127.0.0.1',
          port: tls.port,
          entityRef: 'component:default/payments-api',
        },
      ],
    );
  });
});

describe('host: node exporter, etcd snapshots and host cron jobs through Thanos', () => {
  it('both Prometheus replicas scrape the node exporter as job="node" with the host metrics the checks read', async () => {
    const ne = stack.metrics!.nodeExporter!;
    const up = await waitFor(
      'both replicas scrape the node exporter',
      async () => {
        const r = await promql(`up{job="node"} == 1`, 'false');
        return r.length === 2 ? r : undefined;
      },
    );
    expect(up.map(s => s.metric.replica).sort()).toEqual(['0', '1']);
    expect(up.every(s => s.metric.instance === ne.instance)).toBe(true);
    for (const metric of [
      'node_cpu_seconds_total',
      'node_memory_MemAvailable_bytes',
      'node_memory_MemTotal_bytes',
      'node_filesystem_avail_bytes',
      'node_filesystem_files_free',
      'node_load1',
      'node_filefd_allocated',
      'node_filefd_maximum',
      'node_timex_sync_status',
    ]) {
      const r = await promql(`${metric}{job="node"}`);
      expect([metric, r.length > 0]).toEqual([metric, true]);
    }
  });

  it('dev-cluster has a recent etcd snapshot on disk and in Prometheus; prod-cluster has none', async () => {
    const eb = stack.inspections!.etcdBackup!;
    expect(Object.keys(eb.backupDirs)).toEqual(['dev-cluster']);
    const files = readdirSync(eb.backupDirs['dev-cluster'])
      .filter(f => /^snapshot-.*\.db$/.test(f))
      .map(f => statSync(`${eb.backupDirs['dev-cluster']}/${f}`))
      .sort((a, b) => b.mtimeMs - a.mtimeMs);
    expect(files.length).toBeGreaterThan(0);
    expect(files.length).toBeLessThanOrEqual(eb.keep);
    expect(Date.now() - files[0].mtimeMs).toBeLessThan(
      (eb.intervalSeconds + 120) * 1000,
    );

    const [last] = await waitFor(
      'the snapshot series of dev-cluster',
      async () => {
        const r = await promql(
          'kubemate_etcd_snapshot_last_success_timestamp_seconds{job="node"}',
        );
        return r.length ? r : undefined;
      },
    );
    expect(last.metric.cluster).toBe('dev-cluster');
    const [size] = await promql(
      'kubemate_etcd_snapshot_size_bytes{cluster="dev-cluster"}',
    );
    // the series describe a snapshot file on disk (the newest, or the one before it when a round
    // ran after the last scrape)
    expect(
      files.map(f => [Math.floor(f.mtimeMs / 1000), f.size]),
    ).toContainEqual([Number(last.value[1]), Number(size.value[1])]);
    expect(
      await promql(
        'kubemate_etcd_snapshot_last_success_timestamp_seconds{cluster="prod-cluster"}',
      ),
    ).toEqual([]);
    expect((stack.appConfig as any).kubemate.inspections.clusters).toEqual({
      'dev-cluster': {
        etcd: { url: `http://127.0.0.1:${stack.cluster(DEV).ports.etcd}` },
      },
      'prod-cluster': {
        etcd: {
          url: `http://127.0.0.1:${stack.cluster('prod-cluster').ports.etcd}`,
        },
      },
    });
  });

  it('the host cron job demo-logrotate fails; etcd-backup-dev-cluster succeeds', async () => {
    const codes = await waitFor('the cron job series', async () => {
      const r = await promql('kubemate_cron_job_last_exit_code{job="node"}');
      return r.length >= 2 ? r : undefined;
    });
    // the textfile's own `job` label (the cron job) clashes with the scrape job's: Prometheus keeps
    // it as exported_job (honor_labels is off)
    const byJob = Object.fromEntries(
      codes.map(s => [s.metric.exported_job, Number(s.value[1])]),
    );
    expect(byJob['etcd-backup-dev-cluster']).toBe(0);
    expect(byJob[stack.inspections!.etcdBackup!.failingJob]).not.toBe(0);
  });
});

describe('database: pg_stat_statements on the stack PostgreSQL', () => {
  it('holds the seeded slow query (mean > 500 ms) on an unindexed table, read by a read-only role', async () => {
    const slow = await psqlInspector(
      "SELECT calls, mean_exec_time FROM pg_stat_statements WHERE query LIKE '%kubemate demo slow query%' AND query NOT LIKE '%pg_stat_statements%'",
    );
    expect(slow.code).toBe(0);
    const [calls, mean] = slow.out.split('|').map(Number);
    expect(calls).toBeGreaterThanOrEqual(3);
    expect(mean).toBeGreaterThan(500);

    const table = await psqlInspector(
      "SELECT (SELECT count(*) FROM demo_ledger.entries), (SELECT count(*) FROM pg_indexes WHERE schemaname = 'demo_ledger' AND indexdef LIKE '%(reference)%')",
    );
    expect(table.out).toBe('5000|0');

    const write = await psqlInspector('CREATE TABLE demo_ledger.x (i int)');
    expect(write.code).not.toBe(0);
    expect(write.out).toContain('read-only transaction');

    expect(
      (stack.appConfig as any).kubemate.inspections.postgres.targets,
    ).toEqual([
      expect.objectContaining({
        name: 'stack',
        user: stack.postgres!.inspector!.user,
        database: 'kubemate',
        entityRef: 'resource:default/dev-postgres',
      }),
    ]);
  });
});
