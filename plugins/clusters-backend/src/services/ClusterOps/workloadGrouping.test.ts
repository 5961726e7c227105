import {
  CoreV1Event,
  V1ObjectMeta,
  V1OwnerReference,
  V1Pod,
} from '@kubernetes/client-node';
import {
  EntityObjects,
  groupNamespaceWorkloads,
  MAX_EVENTS_PER_WORKLOAD,
  namespacesOf,
} from './workloadGrouping';

const NS = 'payments-dev';
const LABELS = { 'backstage.io/kubernetes-id': 'payments-api' };

const owner = (kind: string, uid: string): V1OwnerReference => ({
  apiVersion: 'v1',
  kind,
  name: uid,
  uid,
  controller: true,
});

const meta = (
  name: string,
  extra: Partial<V1ObjectMeta> = {},
): V1ObjectMeta => ({ name, uid: name, namespace: NS, ...extra });

function pod(
  name: string,
  options: { owner?: V1OwnerReference; labels?: boolean; crash?: boolean } = {},
): V1Pod {
  return {
    metadata: meta(name, {
      ownerReferences: options.owner ? [options.owner] : undefined,
      labels: options.labels ? LABELS : undefined,
    }),
    spec: { containers: [{ name: 'app', image: 'app:1' }] },
    status: {
      phase: 'Running',
      containerStatuses: [
        {
          name: 'app',
          image: 'app:1',
          imageID: '',
          ready: !options.crash,
          restartCount: options.crash ? 7 : 0,
          state: options.crash
            ? { waiting: { reason: 'CrashLoopBackOff' } }
            : { running: {} },
        },
      ],
    },
  };
}

const warning = (
  name: string,
  involved: string,
  minutesAgo: number,
): CoreV1Event => ({
  metadata: meta(name),
  involvedObject: { kind: 'Pod', name: involved, namespace: NS },
  type: 'Warning',
  reason: 'BackOff',
  message: `${name} happened`,
  lastTimestamp: new Date(Date.now() - minutesAgo * 60_000),
});

function entityObjects(): EntityObjects {
  return {
    deployments: [
      {
        metadata: meta('api', {
          labels: LABELS,
          annotations: { 'deployment.kubernetes.io/revision': '4' },
        }),
        spec: {
          replicas: 2,
          selector: {},
          template: {
            spec: {
              containers: [
                { name: 'app', image: 'api:2' },
                { name: 'sidecar', image: 'proxy:1' },
              ],
            },
          },
        },
        status: { readyReplicas: 1, updatedReplicas: 2, availableReplicas: 1 },
      },
    ],
    statefulsets: [],
    daemonsets: [],
    cronjobs: [
      {
        metadata: meta('nightly', { labels: LABELS }),
        spec: {
          schedule: '0 0 * * *',
          jobTemplate: {
            spec: {
              template: {
                spec: { containers: [{ name: 'job', image: 'job:1' }] },
              },
            },
          },
        },
      },
    ],
    jobs: [
      // a run of the CronJob: grouped under it, not listed on its own
      {
        metadata: meta('nightly-1', {
          labels: LABELS,
          ownerReferences: [owner('CronJob', 'nightly')],
        }),
      },
      {
        metadata: meta('migrate', { labels: LABELS }),
        spec: {
          template: {
            spec: { containers: [{ name: 'm', image: 'migrate:1' }] },
          },
        },
      },
    ],
    services: [
      {
        metadata: meta('api', { labels: LABELS }),
        spec: {
          type: 'ClusterIP',
          clusterIP: '10.0.0.1',
          ports: [{ port: 80 }, { port: 9090, protocol: 'UDP' }],
        },
      },
      { metadata: { ...meta('elsewhere'), namespace: 'payments-prod' } },
    ],
    pods: [pod('loose', { labels: true })],
  };
}

function group(events: CoreV1Event[] = []) {
  return groupNamespaceWorkloads(NS, entityObjects(), {
    pods: [
      pod('api-rs2-b', { owner: owner('ReplicaSet', 'api-rs2') }),
      pod('api-rs2-a', {
        owner: owner('ReplicaSet', 'api-rs2'),
        crash: true,
      }),
      pod('nightly-1-x', { owner: owner('Job', 'nightly-1') }),
      pod('migrate-x', { owner: owner('Job', 'migrate') }),
      pod('loose', { labels: true }),
      pod('foreign', { owner: owner('ReplicaSet', 'other-rs') }),
    ],
    replicasets: [
      {
        metadata: meta('api-rs2', {
          ownerReferences: [owner('Deployment', 'api')],
        }),
      },
      {
        metadata: meta('other-rs', {
          ownerReferences: [owner('Deployment', 'other')],
        }),
      },
    ],
    events,
  });
}

describe('groupNamespaceWorkloads', () => {
  it('lists the top-level workloads, sorted by kind and name, with their pods through ReplicaSets and Jobs', () => {
    const ns = group();
    expect(ns.namespace).toBe(NS);
    expect(ns.workloads.map(w => `${w.kind}/${w.name}`)).toEqual([
      'CronJob/nightly',
      'Deployment/api',
      'Job/migrate',
    ]);
    const [cronjob, deployment, job] = ns.workloads;
    expect(deployment.pods.map(p => p.name)).toEqual([
      'api-rs2-a',
      'api-rs2-b',
    ]);
    expect(cronjob.pods.map(p => p.name)).toEqual(['nightly-1-x']);
    expect(job.pods.map(p => p.name)).toEqual(['migrate-x']);
    // labelled pods no workload controls; pods of other workloads are left out
    expect(ns.otherPods.map(p => p.name)).toEqual(['loose']);
  });

  it('summarizes replicas, revision, images and the health of the pods', () => {
    const deployment = group().workloads[1];
    expect(deployment).toMatchObject({
      namespace: NS,
      desiredReplicas: 2,
      readyReplicas: 1,
      updatedReplicas: 2,
      availableReplicas: 1,
      revision: '4',
      images: ['api:2', 'proxy:1'],
      health: { status: 'error', reason: 'CrashLoopBackOff' },
    });
    const cronjob = group().workloads[0];
    expect(cronjob.images).toEqual(['job:1']);
    expect(cronjob.desiredReplicas).toBeUndefined();
    expect(cronjob.health.status).toBe('ok');
  });

  it(`attaches the warning events of a workload, its pods and ReplicaSets, newest first and at most ${MAX_EVENTS_PER_WORKLOAD}`, () => {
    const events = [
      warning('old', 'api-rs2', 30),
      warning('new', 'api-rs2-a', 1),
      warning('other', 'foreign', 1),
      { ...warning('normal', 'api', 1), type: 'Normal' },
      ...Array.from({ length: 12 }, (_, i) =>
        warning(`many-${i}`, 'api', 10 + i),
      ),
    ];
    const deployment = group(events).workloads[1];
    expect(deployment.events).toHaveLength(MAX_EVENTS_PER_WORKLOAD);
    expect(deployment.events[0]).toMatchObject({
      type: 'Warning',
      reason: 'BackOff',
      message: 'new happened',
      involvedObject: { kind: 'Pod', name: 'api-rs2-a', namespace: NS },
    });
    expect(deployment.events.map(e => e.message)).not.toContain(
      'other happened',
    );
    expect(deployment.events.map(e => e.message)).not.toContain(
      'normal happened',
    );
    expect(typeof deployment.events[0].lastTimestamp).toBe('string');
  });

  it("lists the namespace's services with their ports", () => {
    expect(group().services).toEqual([
      {
        name: 'api',
        namespace: NS,
        type: 'ClusterIP',
        clusterIP: '10.0.0.1',
        ports: ['80/TCP', '9090/UDP'],
      },
    ]);
  });
});

describe('groupNamespaceWorkloads at scale', () => {
  it('groups 10,000 pods of one Deployment, each once, sorted by name', () => {
    const names = Array.from(
      { length: 10_000 },
      (_, i) => `api-rs2-${String((i * 7919) % 10_000).padStart(5, '0')}`,
    );
    const pods = names.map(n =>
      pod(n, { owner: owner('ReplicaSet', 'api-rs2') }),
    );
    const grouped = groupNamespaceWorkloads(NS, entityObjects(), {
      pods,
      replicasets: [
        {
          metadata: meta('api-rs2', {
            ownerReferences: [owner('Deployment', 'api')],
          }),
        },
      ],
      events: [],
    });
    const deployment = grouped.workloads.find(w => w.kind === 'Deployment')!;
    expect(deployment.pods).toHaveLength(10_000);
    const listed = deployment.pods.map(p => p.name);
    expect(new Set(listed).size).toBe(10_000);
    expect(listed).toEqual([...names].sort());
    // code-unit order is the locale order for Kubernetes names
    expect(listed).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });
});

describe('namespacesOf', () => {
  it('is every namespace any object of the entity lives in, sorted', () => {
    expect(namespacesOf(entityObjects())).toEqual([NS, 'payments-prod']);
  });
});
