import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clusterChecks, failingHealthChecks, metricValue } from './cluster';
import {
  ago,
  byId,
  deploymentPod,
  NOW,
  replicaSetOf,
  runCheck,
} from './__testUtils__/fakeContext';

const check = (id: string) => byId(clusterChecks, id);

describe('cluster.apiserver-ready / -live', () => {
  const failing = [
    '[+]ping ok',
    '[-]etcd failed: reason withheld',
    '[+]informer-sync ok',
    'readyz check failed',
  ].join('\n');

  it('lists the failing checks of /readyz?verbose', async () => {
    expect(failingHealthChecks(failing)).toEqual([
      'etcd failed: reason withheld',
    ]);
    const out = await runCheck(check('cluster.apiserver-ready'), {
      api: { '/readyz?verbose': { status: 500, text: failing } },
    });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0].object).toEqual({
      cluster: 'dev-cluster',
      kind: 'Cluster',
      name: 'dev-cluster',
      part: 'readyz',
    });
    expect(out.findings[0].message).toContain('etcd failed');
    expect(out.findings[0].evidence).toMatchObject({
      measured: 'HTTP 500, 1 failing checks',
      query: 'GET /readyz?verbose',
    });
  });

  it('passes on 200', async () => {
    const out = await runCheck(check('cluster.apiserver-live'), {
      api: {
        '/livez?verbose': {
          status: 200,
          text: '[+]ping ok\nlivez check passed',
        },
      },
    });
    expect(out).toMatchObject({ findings: [], evaluated: 1 });
  });

  it('reports /livez failing', async () => {
    const out = await runCheck(check('cluster.apiserver-live'), {
      api: { '/livez?verbose': { status: 500, text: '[-]log failed' } },
    });
    expect(out.findings[0].object.part).toBe('livez');
  });
});

describe('cluster.etcd-health', () => {
  it('skips without an etcd URL', async () => {
    const out = await runCheck(check('cluster.etcd-health'), {});
    expect(out.skipped).toMatch(/etcd\.url/);
  });
  it('reports an unhealthy etcd with its reason', async () => {
    const out = await runCheck(check('cluster.etcd-health'), {
      etcd: {
        '/health': {
          status: 503,
          text: '{"health":"false","reason":"RAFT NO LEADER"}',
        },
      },
    });
    expect(out.findings[0].message).toContain('RAFT NO LEADER');
    expect(out.findings[0].evidence.measured).toBe('HTTP 503, health=false');
  });
  it('passes when healthy', async () => {
    const out = await runCheck(check('cluster.etcd-health'), {
      etcd: {
        '/health': { status: 200, text: '{"health":"true","reason":""}' },
      },
    });
    expect(out.findings).toEqual([]);
  });
});

describe('cluster.etcd-snapshot-age', () => {
  const etcd = { '/health': { status: 200, text: '' } };
  it('reports a missing snapshot metric', async () => {
    const queries: string[] = [];
    const out = await runCheck(check('cluster.etcd-snapshot-age'), {
      etcd,
      prometheus: q => {
        queries.push(q);
        return [];
      },
    });
    expect(queries[0]).toBe(
      'max(kubemate_etcd_snapshot_last_success_timestamp_seconds{cluster="dev-cluster"})',
    );
    expect(out.findings[0]).toMatchObject({
      message: 'No etcd snapshot of dev-cluster has been recorded.',
      evidence: {
        measured: 'no snapshot metric',
        expected: 'a snapshot younger than 24 h',
      },
    });
  });
  it('reports an old snapshot and passes a recent one', async () => {
    const at = (h: number) => (NOW.getTime() - h * 3_600_000) / 1000;
    const old = await runCheck(check('cluster.etcd-snapshot-age'), {
      etcd,
      prometheus: () => [{ labels: {}, value: at(30) }],
    });
    expect(old.findings[0].evidence.measured).toMatch(/^30\.0 h/);
    const recent = await runCheck(check('cluster.etcd-snapshot-age'), {
      etcd,
      prometheus: () => [{ labels: {}, value: at(1) }],
    });
    expect(recent.findings).toEqual([]);
  });
  it('skips without Prometheus', async () => {
    const out = await runCheck(check('cluster.etcd-snapshot-age'), { etcd });
    expect(out.skipped).toMatch(/prometheus/);
  });
});

describe('cluster.etcd-db-size', () => {
  const metrics = (size: number) =>
    [
      '# HELP etcd_mvcc_db_total_size_in_bytes Total size',
      `etcd_mvcc_db_total_size_in_bytes ${size}`,
      'etcd_mvcc_db_total_size_in_use_in_bytes 1000',
      'etcd_server_quota_backend_bytes 2.147483648e+09',
    ].join('\n');
  it('reads unlabelled samples', () => {
    expect(metricValue(metrics(5), 'etcd_mvcc_db_total_size_in_bytes')).toBe(5);
    expect(metricValue(metrics(5), 'etcd_server_quota_backend_bytes')).toBe(
      2 ** 31,
    );
  });
  it('reports a database near its quota', async () => {
    const out = await runCheck(check('cluster.etcd-db-size'), {
      etcd: { '/metrics': { status: 200, text: metrics(0.85 * 2 ** 31) } },
    });
    expect(out.findings[0].evidence).toMatchObject({
      measured: '1.7 GiB of 2.0 GiB (85.0 %)',
      expected: '< 80 %',
    });
  });
  it('passes a small database', async () => {
    const out = await runCheck(check('cluster.etcd-db-size'), {
      etcd: { '/metrics': { status: 200, text: metrics(10_000_000) } },
    });
    expect(out.findings).toEqual([]);
  });
});

describe('cluster.node-conditions and node-unschedulable', () => {
  const node = (name: string, conditions: any[], unschedulable = false) => ({
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { unschedulable },
    status: { conditions },
  });
  const healthy = [
    { type: 'Ready', status: 'True' },
    { type: 'MemoryPressure', status: 'False' },
  ];
  it('reports NotReady as critical and pressure per condition', async () => {
    const out = await runCheck(check('cluster.node-conditions'), {
      objects: {
        nodes: [
          node('n1', healthy),
          node('n2', [
            { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' },
            { type: 'DiskPressure', status: 'True', message: 'disk full' },
          ]),
        ],
      },
    });
    expect(out.evaluated).toBe(2);
    expect(
      out.findings.map(f => [f.object.name, f.object.part, f.severity]),
    ).toEqual([
      ['n2', 'Ready', 'critical'],
      ['n2', 'DiskPressure', undefined],
    ]);
    expect(out.findings[1].evidence.details).toBe('disk full');
  });
  it('reports cordoned nodes only', async () => {
    const out = await runCheck(check('cluster.node-unschedulable'), {
      objects: { nodes: [node('n1', healthy), node('n2', healthy, true)] },
    });
    expect(out.findings.map(f => f.object.name)).toEqual(['n2']);
  });
});

describe('pod state checks', () => {
  const waiting = (reason: string) => ({
    phase: 'Running',
    containerStatuses: [
      {
        name: 'worker',
        image: 'registry.example.com/worker:1',
        restartCount: 7,
        state: { waiting: { reason, message: 'back-off 5m0s' } },
        lastState: { terminated: { reason: 'Error', exitCode: 1 } },
      },
    ],
  });
  const objects = {
    pods: [
      deploymentPod('payments-dev', 'payments-worker', {
        status: waiting('CrashLoopBackOff'),
      }),
      deploymentPod('payments-dev', 'payments-worker', {
        name: 'payments-worker-abc-x2',
        status: waiting('CrashLoopBackOff'),
      }),
      deploymentPod('payments-dev', 'payments-reconciler', {
        status: waiting('ImagePullBackOff'),
      }),
      deploymentPod('payments-dev', 'payments-api'),
    ],
    replicasets: [
      replicaSetOf('payments-dev', 'payments-worker'),
      replicaSetOf('payments-dev', 'payments-reconciler'),
      replicaSetOf('payments-dev', 'payments-api'),
    ],
  };

  it('groups crash-looping pods by their Deployment and container', async () => {
    const out = await runCheck(check('cluster.pods-crashloop'), { objects });
    expect(out.evaluated).toBe(4);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        kind: 'Deployment',
        name: 'payments-worker',
        part: 'worker',
      },
      labels: { app: 'payments-worker' },
      evidence: {
        measured:
          'CrashLoopBackOff in 2 pod(s): payments-worker-abc-x1, payments-worker-abc-x2',
      },
    });
  });

  it('reports image pulls', async () => {
    const out = await runCheck(check('cluster.pods-image-pull'), { objects });
    expect(out.findings.map(f => f.object.name)).toEqual([
      'payments-reconciler',
    ]);
    expect(out.findings[0].evidence.details).toContain(
      'registry.example.com/worker:1',
    );
  });

  it('reports restarts at the threshold and not below', async () => {
    const out = await runCheck(check('cluster.pods-restarts'), { objects });
    expect(out.findings.map(f => f.object.name).sort()).toEqual([
      'payments-reconciler',
      'payments-worker',
    ]);
    expect(out.findings[0].evidence.details).toBe('last exit: Error (code 1)');
    const higher = await runCheck(
      check('cluster.pods-restarts'),
      { objects },
      {
        thresholds: { restarts: 8 },
      },
    );
    expect(higher.findings).toEqual([]);
  });

  it('leaves out namespaces outside the run', async () => {
    const out = await runCheck(
      check('cluster.pods-crashloop'),
      { objects },
      {
        namespaces: ns => ns !== 'payments-dev',
      },
    );
    expect(out).toMatchObject({ findings: [], evaluated: 0 });
  });

  it('reports pods pending longer than pendingMinutes with the scheduler reason', async () => {
    const pending = (name: string, created: string) =>
      deploymentPod('ai-platform', 'docs-indexer', {
        name,
        created,
        status: {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available',
            },
          ],
        },
      });
    const out = await runCheck(check('cluster.pods-pending'), {
      objects: {
        pods: [pending('a', ago(30)), pending('b', ago(2))],
        replicasets: [replicaSetOf('ai-platform', 'docs-indexer')],
      },
    });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0].evidence).toMatchObject({
      measured: 'Pending for 30 min: a',
      details: 'Unschedulable: 0/3 nodes are available',
    });
    const pullingImage = await runCheck(check('cluster.pods-pending'), {
      objects: {
        pods: [
          deploymentPod('payments-dev', 'payments-reconciler', {
            created: ago(30),
            status: {
              phase: 'Pending',
              containerStatuses: [
                {
                  name: 'c',
                  restartCount: 0,
                  state: { waiting: { reason: 'ImagePullBackOff' } },
                },
              ],
            },
          }),
        ],
      },
    });
    expect(pullingImage).toMatchObject({ findings: [], evaluated: 1 });
    const later = await runCheck(
      check('cluster.pods-pending'),
      {
        objects: { pods: [pending('a', ago(30))] },
      },
      { thresholds: { pendingMinutes: 60 } },
    );
    expect(later.findings).toEqual([]);
  });
});

describe('cluster.workloads-unavailable', () => {
  it('reports Deployments, StatefulSets and DaemonSets short of replicas', async () => {
    const out = await runCheck(check('cluster.workloads-unavailable'), {
      objects: {
        deployments: [
          {
            metadata: { namespace: 'a', name: 'down' },
            spec: {
              replicas: 2,
              template: { metadata: { labels: { app: 'down' } } },
            },
            status: {},
          },
          {
            metadata: { namespace: 'a', name: 'ok' },
            spec: { replicas: 2 },
            status: { availableReplicas: 2 },
          },
          {
            metadata: { namespace: 'a', name: 'zero' },
            spec: { replicas: 0 },
            status: {},
          },
        ],
        statefulsets: [
          {
            metadata: { namespace: 'a', name: 'db' },
            spec: { replicas: 3 },
            status: { availableReplicas: 2 },
          },
        ],
        daemonsets: [
          {
            metadata: { namespace: 'a', name: 'agent' },
            status: { desiredNumberScheduled: 3, numberAvailable: 3 },
          },
        ],
      },
    });
    expect(out.evaluated).toBe(5);
    expect(
      out.findings.map(f => [
        f.object.kind,
        f.object.name,
        f.severity,
        f.evidence.measured,
      ]),
    ).toEqual([
      ['Deployment', 'down', 'critical', '0/2 available'],
      ['StatefulSet', 'db', undefined, '2/3 available'],
    ]);
    expect(out.findings[0].labels).toEqual({ app: 'down' });
  });
});

describe('cluster.services-no-endpoints', () => {
  it('reports selector Services without ready endpoints', async () => {
    const svc = (
      name: string,
      selector?: Record<string, string>,
      type = 'ClusterIP',
    ) => ({
      metadata: { namespace: 'payments-dev', name },
      spec: { selector, type },
    });
    const slice = (svcName: string, ready: boolean[]) => ({
      metadata: {
        namespace: 'payments-dev',
        labels: { 'kubernetes.io/service-name': svcName },
      },
      endpoints: ready.map(r => ({ conditions: { ready: r } })),
    });
    const out = await runCheck(check('cluster.services-no-endpoints'), {
      objects: {
        services: [
          svc('payments-api', { app: 'payments-api' }),
          svc('payments-legacy', { app: 'payments-legacy' }),
          svc('payments-not-ready', { app: 'x' }),
          svc('external', undefined, 'ExternalName'),
          svc('headless-manual'),
        ],
      },
      api: {
        '/apis/discovery.k8s.io/v1/endpointslices': [
          slice('payments-api', [true, false]),
          slice('payments-not-ready', [false]),
        ],
      },
    });
    expect(out.evaluated).toBe(3);
    expect(out.findings.map(f => f.object.name)).toEqual([
      'payments-legacy',
      'payments-not-ready',
    ]);
    expect(out.findings[0].evidence.details).toBe(
      'selector: app=payments-legacy',
    );
  });

  it('throws when the apiserver refuses the list', async () => {
    await expect(
      runCheck(check('cluster.services-no-endpoints'), {
        api: {
          '/apis/discovery.k8s.io/v1/endpointslices': {
            status: 403,
            text: '{"message":"forbidden"}',
          },
        },
      }),
    ).rejects.toThrow(/answered 403 .*forbidden/);
  });
});

describe('cluster.pvc-not-bound', () => {
  it('reports claims pending past the grace and lost ones', async () => {
    const pvc = (name: string, phase: string, created: string) => ({
      metadata: { namespace: 'ai-platform', name, creationTimestamp: created },
      spec: {
        storageClassName: 'slow',
        resources: { requests: { storage: '1Gi' } },
      },
      status: { phase },
    });
    const out = await runCheck(check('cluster.pvc-not-bound'), {
      api: {
        '/api/v1/persistentvolumeclaims': [
          pvc('docs-index-data', 'Pending', ago(20)),
          pvc('new', 'Pending', ago(1)),
          pvc('gone', 'Lost', ago(1)),
          pvc('fine', 'Bound', ago(100)),
        ],
      },
    });
    expect(out.evaluated).toBe(4);
    expect(out.findings.map(f => [f.object.name, f.severity])).toEqual([
      ['docs-index-data', undefined],
      ['gone', 'high'],
    ]);
    expect(out.findings[0].evidence.details).toBe(
      'storageClassName: slow, requested 1Gi',
    );
  });
});

describe('certificate expiry', () => {
  let certs: Record<string, string>;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'km-certs-'));
    certs = {};
    for (const [name, days] of [
      ['soon', 20],
      ['urgent', 3],
      ['fine', 90],
    ] as const) {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-subj',
          `/CN=${name}.example.com`,
          '-days',
          String(days),
          '-keyout',
          join(dir, `${name}.key`),
          '-out',
          join(dir, `${name}.crt`),
        ],
        { stdio: 'ignore' },
      );
      certs[name] = readFileSync(join(dir, `${name}.crt`), 'utf8');
    }
  });

  it('grades TLS Secrets by remaining days', async () => {
    const secret = (name: string, crt: string) => ({
      metadata: {
        namespace: 'payments-dev',
        name,
        labels: { app: 'payments-api' },
      },
      type: 'kubernetes.io/tls',
      data: { 'tls.crt': Buffer.from(crt).toString('base64') },
    });
    // the certificates were made now, so the check runs at the real time
    const out = await runCheck(
      check('cluster.certificates-expiring'),
      {
        api: {
          '/api/v1/secrets?fieldSelector=type%3Dkubernetes.io%2Ftls': [
            secret('soon', certs.soon),
            secret('urgent', certs.urgent),
            secret('fine', certs.fine),
            secret('broken', 'not a certificate'),
          ],
        },
      },
      { now: new Date() },
    );
    expect(out.evaluated).toBe(4);
    const byName = Object.fromEntries(
      out.findings.map(f => [f.object.name, f]),
    );
    expect(Object.keys(byName).sort()).toEqual(['broken', 'soon', 'urgent']);
    expect(byName.soon).toMatchObject({
      severity: 'medium',
      labels: { app: 'payments-api' },
      object: {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        kind: 'Secret',
        name: 'soon',
      },
      evidence: { expected: 'valid for ≥ 30 days' },
    });
    expect(byName.soon.evidence.measured).toMatch(/^expires in (19|20) days/);
    expect(byName.soon.evidence.details).toContain('CN=soon.example.com');
    expect(byName.urgent.severity).toBe('critical');
    expect(byName.broken.evidence.measured).toBe('unreadable tls.crt');
  });

  it('reports TLS endpoints expiring or unreachable, with their entity', async () => {
    const day = 86_400_000;
    const cert = (days: number) => ({
      subject: 'CN=x',
      issuer: 'CN=ca',
      altNames: ['x.example.com'],
      validFrom: new Date(NOW.getTime() - day),
      validTo: new Date(NOW.getTime() + days * day),
    });
    const target = (name: string, entityRef?: string) => ({
      name,
      host: '127.0.0.1',
      port: 443,
      entityRef,
    });
    const out = await runCheck(check('cluster.tls-endpoints-expiring'), {
      tls: [
        {
          target: target('payments-gateway', 'component:default/payments-api'),
          cert: cert(20),
        },
        { target: target('expired'), cert: cert(-2) },
        { target: target('fine'), cert: cert(200) },
        { target: target('down'), cert: new Error('ECONNREFUSED') },
      ],
    });
    expect(out.evaluated).toBe(4);
    expect(
      out.findings.map(f => [f.object.name, f.severity, f.entityRef]),
    ).toEqual([
      ['payments-gateway', 'medium', 'component:default/payments-api'],
      ['expired', 'critical', undefined],
      ['down', undefined, undefined],
    ]);
    expect(out.findings[0].object).toEqual({
      kind: 'Endpoint',
      name: 'payments-gateway',
    });
    expect(out.findings[1].evidence.measured).toMatch(/^expired 2 days ago/);
    expect(out.findings[2].evidence.details).toBe('ECONNREFUSED');
  });

  it('errors when no endpoint can be reached', async () => {
    await expect(
      runCheck(check('cluster.tls-endpoints-expiring'), {
        tls: [
          {
            target: { name: 'a', host: 'h', port: 1 },
            cert: new Error('ECONNREFUSED'),
          },
        ],
      }),
    ).rejects.toThrow(/no TLS endpoint could be reached/);
  });
});

describe('cluster.warning-events', () => {
  it('groups archived warnings by object and reason', async () => {
    const ev = (
      name: string,
      reason: string,
      count: number,
      message = 'm',
    ) => ({
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      kind: 'Pod',
      name,
      reason,
      message,
      count,
      firstSeen: new Date(ago(100)),
      lastSeen: new Date(ago(5)),
    });
    const out = await runCheck(
      check('cluster.warning-events'),
      {
        events: [
          ev('p1', 'BackOff', 3, 'back-off restarting'),
          ev('p1', 'BackOff', 2),
          ev('p2', 'FailedMount', 1),
        ],
        objects: {
          pods: [
            deploymentPod('payments-dev', 'payments-worker', { name: 'p1' }),
          ],
        },
      },
      { thresholds: { minCount: 2 } },
    );
    expect(out.evaluated).toBe(2);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: {
        namespace: 'payments-dev',
        kind: 'Pod',
        name: 'p1',
        part: 'BackOff',
      },
      labels: { app: 'payments-worker' },
      evidence: { details: 'back-off restarting\nm' },
    });
    expect(out.findings[0].evidence.measured).toMatch(/^5 × BackOff/);
  });
});

describe('cluster.quota-usage', () => {
  it('reports resources at or above usedPercent', async () => {
    const out = await runCheck(check('cluster.quota-usage'), {
      api: {
        '/api/v1/resourcequotas': [
          {
            metadata: { namespace: 'risk-dev', name: 'risk-dev-quota' },
            status: {
              hard: {
                configmaps: '2',
                'requests.cpu': '4',
                'requests.memory': '8Gi',
              },
              used: {
                configmaps: '2',
                'requests.cpu': '3700m',
                'requests.memory': '1Gi',
              },
            },
          },
        ],
      },
    });
    expect(out.evaluated).toBe(3);
    expect(
      out.findings.map(f => [f.object.part, f.severity, f.evidence.measured]),
    ).toEqual([
      ['configmaps', 'high', '2 of 2 (100.0 %)'],
      ['requests.cpu', undefined, '3700m of 4 (92.5 %)'],
    ]);
  });
});
