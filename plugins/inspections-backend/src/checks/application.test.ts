import { applicationChecks } from './application';
import {
  ago,
  byId,
  deploymentPod,
  replicaSetOf,
  runCheck,
} from './__testUtils__/fakeContext';

const check = (id: string) => byId(applicationChecks, id);

function deployment(
  name: string,
  containers: any[],
  replicas = 1,
  namespace = 'risk-dev',
) {
  return {
    metadata: { namespace, name },
    spec: {
      replicas,
      template: {
        metadata: { labels: { app: name, tier: 'web' } },
        spec: { containers },
      },
    },
  };
}

const sized = {
  name: 'app',
  image: 'registry.example.com/app:1',
  resources: {
    requests: { cpu: '100m', memory: '128Mi' },
    limits: { memory: '256Mi' },
  },
  readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
  livenessProbe: { httpGet: { path: '/live', port: 8080 } },
};

describe('application.resources-missing', () => {
  it('names the missing requests and limits per container', async () => {
    const out = await runCheck(check('application.resources-missing'), {
      objects: {
        deployments: [
          deployment('risk-report', [{ name: 'report', image: 'x:1' }]),
          deployment('partial', [
            { ...sized, resources: { requests: { cpu: '1' } } },
          ]),
          deployment('ok', [sized]),
        ],
      },
    });
    expect(out.evaluated).toBe(3);
    expect(
      out.findings.map(f => [
        f.object.name,
        f.object.part,
        f.severity,
        f.evidence.measured,
      ]),
    ).toEqual([
      [
        'risk-report',
        'report',
        'high',
        'missing requests.cpu, requests.memory, limits.memory',
      ],
      ['partial', 'app', undefined, 'missing requests.memory, limits.memory'],
    ]);
    expect(out.findings[0].labels).toEqual({ app: 'risk-report', tier: 'web' });
  });
});

describe('application.probes-missing', () => {
  it('checks long-running workloads only; readiness missing is the check severity', async () => {
    const out = await runCheck(check('application.probes-missing'), {
      objects: {
        deployments: [
          deployment('none', [{ name: 'c', image: 'x:1' }]),
          deployment('no-liveness', [{ ...sized, livenessProbe: undefined }]),
          deployment('ok', [sized]),
        ],
        cronjobs: [
          {
            metadata: { namespace: 'a', name: 'batch' },
            spec: {
              jobTemplate: {
                spec: {
                  template: {
                    spec: { containers: [{ name: 'c', image: 'x:1' }] },
                  },
                },
              },
            },
          },
        ],
      },
    });
    expect(out.evaluated).toBe(3);
    expect(out.findings.map(f => [f.object.name, f.severity])).toEqual([
      ['none', undefined],
      ['no-liveness', 'low'],
    ]);
  });
});

describe('application.single-replica-no-pdb', () => {
  it('reports single replicas that no PDB selects', async () => {
    const out = await runCheck(check('application.single-replica-no-pdb'), {
      objects: {
        deployments: [
          deployment('lonely', [sized]),
          deployment('covered', [sized]),
          deployment('scaled', [sized], 3),
        ],
      },
      api: {
        '/apis/policy/v1/poddisruptionbudgets': [
          {
            metadata: { namespace: 'risk-dev', name: 'pdb' },
            spec: { selector: { matchLabels: { app: 'covered' } } },
          },
          {
            metadata: { namespace: 'other', name: 'pdb' },
            spec: { selector: { matchLabels: { app: 'lonely' } } },
          },
        ],
      },
    });
    expect(out.evaluated).toBe(3);
    expect(out.findings.map(f => f.object.name)).toEqual(['lonely']);
  });
});

describe('pod-based application checks', () => {
  const oomStatus = {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'docs-indexer',
        restartCount: 4,
        state: { running: {} },
        lastState: {
          terminated: {
            reason: 'OOMKilled',
            exitCode: 137,
            finishedAt: ago(3),
          },
        },
      },
    ],
  };
  const limited = (limit: string) => ({
    containers: [
      {
        name: 'docs-indexer',
        image: 'x:1',
        resources: { limits: { memory: limit } },
      },
    ],
  });
  const objects = {
    pods: [
      deploymentPod('ai-platform', 'docs-indexer', {
        status: oomStatus,
        spec: limited('256Mi'),
      }),
      deploymentPod('ai-platform', 'docs-assistant', {
        spec: {
          containers: [
            {
              name: 'docs-assistant',
              image: 'x:1',
              resources: { limits: { memory: '8Gi' } },
            },
          ],
        },
      }),
    ],
    replicasets: [
      replicaSetOf('ai-platform', 'docs-indexer'),
      replicaSetOf('ai-platform', 'docs-assistant'),
    ],
  };

  it('oomkilled: by owner and container', async () => {
    const out = await runCheck(check('application.oomkilled'), { objects });
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0].object).toEqual({
      cluster: 'dev-cluster',
      namespace: 'ai-platform',
      kind: 'Deployment',
      name: 'docs-indexer',
      part: 'docs-indexer',
    });
    expect(out.findings[0].evidence.measured).toContain('last at');
  });

  it('memory-near-limit: working set vs the pod spec limit', async () => {
    const queries: string[] = [];
    const out = await runCheck(check('application.memory-near-limit'), {
      objects,
      prometheus: q => {
        queries.push(q);
        return [
          {
            labels: {
              namespace: 'ai-platform',
              pod: 'docs-indexer-abc-x1',
              container: 'docs-indexer',
            },
            value: 245 * 2 ** 20,
          },
          {
            labels: {
              namespace: 'ai-platform',
              pod: 'docs-assistant-abc-x1',
              container: 'docs-assistant',
            },
            value: 6 * 2 ** 30,
          },
          {
            labels: { namespace: 'ai-platform', pod: 'gone', container: 'x' },
            value: 1,
          },
        ];
      },
    });
    expect(queries[0]).toBe(
      'max by (namespace, pod, container) (container_memory_working_set_bytes{cluster="dev-cluster", container!=""})',
    );
    expect(out.evaluated).toBe(2);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: {
        kind: 'Deployment',
        name: 'docs-indexer',
        part: 'docs-indexer',
      },
      labels: { app: 'docs-indexer' },
      evidence: {
        measured: '245.0 MiB of 256.0 MiB (95.7 %) in docs-indexer-abc-x1',
        expected: '< 90 % of the limit',
      },
    });
  });

  it('memory-near-limit is skipped without Prometheus', async () => {
    expect(
      (await runCheck(check('application.memory-near-limit'), { objects }))
        .skipped,
    ).toMatch(/prometheus/);
  });
});

describe('application.error-log-rate', () => {
  it('reports apps above the rate, labelled like their pods', async () => {
    const queries: string[] = [];
    const out = await runCheck(check('application.error-log-rate'), {
      objects: {
        pods: [
          deploymentPod('payments-dev', 'payments-api', {
            labels: {
              'backstage.io/kubernetes-id': 'payments-api',
              app: 'api',
            },
          }),
        ],
      },
      loki: q => {
        queries.push(q);
        return [
          {
            labels: { namespace: 'payments-dev', app: 'payments-api' },
            value: 90,
          },
          { labels: { namespace: 'risk-dev', app: 'risk-engine' }, value: 3 },
        ];
      },
    });
    expect(queries[0]).toBe(
      'sum by (namespace, app) (count_over_time({cluster="dev-cluster", level=~"(?i)(error|err|fatal|critical|panic)"}[15m]))',
    );
    expect(out.evaluated).toBe(2);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: { namespace: 'payments-dev', kind: 'App', name: 'payments-api' },
      labels: { 'backstage.io/kubernetes-id': 'payments-api' },
      evidence: {
        measured: '6.0 errors/min (90 lines in 15 min)',
        expected: '≤ 1 errors/min',
      },
    });
  });
});

describe('batch checks', () => {
  const cronjob = (name: string) => ({
    metadata: { namespace: 'payments-dev', name },
    spec: {
      jobTemplate: {
        spec: { template: { metadata: { labels: { app: name } } } },
      },
    },
    status: {},
  });
  const job = (
    name: string,
    cron: string | undefined,
    started: string,
    condition?: string,
    active = 0,
  ) => ({
    metadata: {
      namespace: 'payments-dev',
      name,
      creationTimestamp: started,
      ownerReferences: cron
        ? [{ kind: 'CronJob', name: cron, controller: true }]
        : undefined,
    },
    spec: { template: { metadata: { labels: { app: cron ?? name } } } },
    status: {
      startTime: started,
      active,
      conditions: condition
        ? [
            {
              type: condition,
              status: 'True',
              reason:
                condition === 'Failed' ? 'BackoffLimitExceeded' : undefined,
              message: 'Job has reached the specified backoff limit',
            },
          ]
        : [],
    },
  });

  it('cronjobs-failing: the most recent finished Job decides', async () => {
    const out = await runCheck(check('application.cronjobs-failing'), {
      objects: {
        cronjobs: [
          cronjob('payments-settlement'),
          cronjob('recovered'),
          cronjob('never-ran'),
        ],
        jobs: [
          job(
            'payments-settlement-1',
            'payments-settlement',
            ago(120),
            'Complete',
          ),
          job(
            'payments-settlement-2',
            'payments-settlement',
            ago(60),
            'Failed',
          ),
          job('recovered-1', 'recovered', ago(120), 'Failed'),
          job('recovered-2', 'recovered', ago(60), 'Complete'),
          job('recovered-3', 'recovered', ago(1), undefined, 1),
        ],
      },
    });
    expect(out.evaluated).toBe(3);
    expect(out.findings).toHaveLength(1);
    expect(out.findings[0]).toMatchObject({
      object: { kind: 'CronJob', name: 'payments-settlement' },
      labels: { app: 'payments-settlement' },
      evidence: { details: 'Job has reached the specified backoff limit' },
    });
    expect(out.findings[0].evidence.measured).toMatch(
      /^Job payments-settlement-2 Failed \(BackoffLimitExceeded\); last success never/,
    );
  });

  it('job-duration: running Jobs past maxMinutes, as their CronJob', async () => {
    const out = await runCheck(check('application.job-duration'), {
      objects: {
        jobs: [
          job('report-1', 'report', ago(90), undefined, 1),
          job('adhoc', undefined, ago(70), undefined, 1),
          job('quick', undefined, ago(5), undefined, 1),
          job('done', undefined, ago(500), 'Complete'),
        ],
      },
    });
    expect(out.evaluated).toBe(4);
    expect(out.findings.map(f => [f.object.kind, f.object.name])).toEqual([
      ['CronJob', 'report'],
      ['Job', 'adhoc'],
    ]);
  });
});

describe('application.hpa-at-max', () => {
  it('reports autoscalers at maxReplicas with room between min and max', async () => {
    const hpa = (name: string, min: number, max: number, current: number) => ({
      metadata: { namespace: 'a', name },
      spec: {
        minReplicas: min,
        maxReplicas: max,
        scaleTargetRef: { kind: 'Deployment', name },
      },
      status: { currentReplicas: current },
    });
    const out = await runCheck(check('application.hpa-at-max'), {
      objects: {
        horizontalpodautoscalers: [
          hpa('busy', 2, 10, 10),
          hpa('fixed', 3, 3, 3),
          hpa('calm', 2, 10, 4),
        ],
      },
    });
    expect(out.findings.map(f => f.object.name)).toEqual(['busy']);
  });
});
