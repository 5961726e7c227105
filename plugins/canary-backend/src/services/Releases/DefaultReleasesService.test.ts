/*
 * The read side without the stack: a fake cluster registry whose clients keep Deployments,
 * Services, Canaries, HTTPRoutes, MetricTemplates and Events in memory, the test kit's decisions
 * (alice IS_IN_NAMESPACE [payments-*], admin ALLOW, mallory DENY), an in-memory history and gate
 * store, and a fake Prometheus (global fetch answering instant queries).
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testPermissions } from '@kubemate/dev-stack';
import { ReleaseEvent, WeightPoint } from '@kubemate/plugin-canary-common';
import type {
  ClusterRegistryService,
  KubeClients,
} from '@kubemate/plugin-kubemate-node';
import { GateKey, GateStore } from '../Gates/types';
import { ReleaseHistory, ReleaseRef } from '../History/types';
import { DefaultReleasesService } from './DefaultReleasesService';

const alice = mockCredentials.user('user:default/alice');
const mallory = mockCredentials.user('user:default/mallory');
const admin = mockCredentials.user('user:default/admin');
const ENTITY = 'component:default/payments-api';
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
};
const LABELS = { 'backstage.io/kubernetes-id': 'payments-api' };

const deployment = (
  namespace: string,
  name: string,
  image: string,
  app: string,
  labels: Record<string, string> = LABELS,
) => ({
  metadata: { name, namespace, labels },
  spec: {
    selector: { matchLabels: { app } },
    template: {
      metadata: {
        labels: { app },
        annotations: { 'kubemate.io/revision': `rev-${image}` },
      },
      spec: { containers: [{ name: 'app', image }] },
    },
  },
});
const svc = (namespace: string, name: string, app: string) => ({
  metadata: { name, namespace },
  spec: { selector: { app } },
});
const canary = (
  namespace: string,
  name: string,
  status: Record<string, unknown>,
) => ({
  metadata: { name, namespace },
  spec: {
    targetRef: { kind: 'Deployment', name },
    service: { port: 80 },
    analysis: {
      interval: '10s',
      threshold: 2,
      stepWeight: 10,
      maxWeight: 30,
      metrics: [
        {
          name: 'success-rate',
          templateRef: { name: 'success-rate', namespace },
          thresholdRange: { min: 99 },
          interval: '30s',
        },
        { name: 'request-duration', thresholdRange: { max: 500 } },
      ],
      webhooks: [
        {
          name: 'gate',
          type: 'confirm-promotion',
          url: 'http://portal:7007/api/canary/gates/dev-cluster/confirm-promotion',
        },
      ],
    },
  },
  status,
});

const NOW = new Date().toISOString();
const OLD = new Date(Date.now() - 30 * 24 * 3600_000).toISOString();

function objects() {
  return {
    deployments: [
      deployment('payments-dev', 'api', 'api:2', 'api'),
      deployment('payments-dev', 'api-primary', 'api:1', 'api-primary'),
      deployment('payments-dev', 'web-v1', 'web:1', 'web-v1'),
      deployment('payments-dev', 'web-v2', 'web:2', 'web-v2'),
      deployment('payments-dev', 'other', 'o:1', 'other', { team: 'x' }),
      deployment('risk-prod', 'api', 'api:9', 'api'),
    ],
    services: [
      svc('payments-dev', 'api', 'api-primary'),
      svc('payments-dev', 'api-primary', 'api-primary'),
      svc('payments-dev', 'api-canary', 'api'),
      svc('payments-dev', 'web-v1', 'web-v1'),
      svc('payments-dev', 'web-v2', 'web-v2'),
      svc('payments-dev', 'other', 'other'),
      svc('risk-prod', 'api', 'api'),
    ],
    canaries: [
      canary('payments-dev', 'api', {
        phase: 'Progressing',
        canaryWeight: 20,
        iterations: 0,
        failedChecks: 1,
        lastAppliedSpec: 'spec-2',
        lastTransitionTime: NOW,
        conditions: [
          {
            type: 'Promoted',
            status: 'Unknown',
            message: 'New revision detected',
          },
        ],
      }),
      canary('payments-dev', 'other', {
        phase: 'Failed',
        lastTransitionTime: OLD,
      }),
      canary('risk-prod', 'api', { phase: 'Failed', lastTransitionTime: NOW }),
    ],
    httproutes: [
      {
        metadata: {
          name: 'api',
          namespace: 'payments-dev',
          ownerReferences: [{ kind: 'Canary', name: 'api' }],
        },
        spec: {
          rules: [
            {
              backendRefs: [
                { name: 'api-primary', port: 80, weight: 80 },
                { name: 'api-canary', port: 80, weight: 20 },
              ],
            },
          ],
        },
      },
      {
        metadata: { name: 'web', namespace: 'payments-dev' },
        spec: {
          rules: [
            {
              matches: [{ headers: [{ name: 'x-beta', value: 'yes' }] }],
              backendRefs: [{ name: 'web-v2', port: 80 }],
            },
            {
              backendRefs: [
                { name: 'web-v1', port: 80, weight: 70 },
                { name: 'web-v2', port: 80, weight: 30 },
              ],
            },
          ],
        },
      },
      {
        metadata: { name: 'other', namespace: 'payments-dev' },
        spec: { rules: [{ backendRefs: [{ name: 'other', weight: 100 }] }] },
      },
    ],
    metrictemplates: [
      {
        metadata: { name: 'success-rate', namespace: 'payments-dev' },
        spec: {
          provider: { type: 'prometheus', address: 'http://in-cluster:9090' },
          query:
            'success{namespace="{{ namespace }}",deployment="{{ target }}"}[{{ interval }}]',
        },
      },
    ],
    events: [
      {
        metadata: { uid: 'e1', name: 'api.e1', namespace: 'payments-dev' },
        involvedObject: {
          kind: 'Canary',
          name: 'api',
          namespace: 'payments-dev',
        },
        type: 'Normal',
        reason: 'Synced',
        message: 'Advance api.payments-dev canary weight 20',
        count: 1,
        lastTimestamp: new Date(NOW),
      },
    ],
  } as Record<string, any[]>;
}

function fakeClients(name: string, store: Record<string, any[]>): KubeClients {
  const inNs = (plural: string, ns?: string) =>
    (store[plural] ?? []).filter(o => !ns || o.metadata.namespace === ns);
  const get = (plural: string, ns: string, n: string) => {
    const found = inNs(plural, ns).find(o => o.metadata.name === n);
    if (!found) {
      throw Object.assign(new Error('not found'), {
        code: 404,
        body: { message: `${plural} "${n}" not found` },
      });
    }
    return found;
  };
  return {
    cluster: { name, url: `https://${name}`, skipTLSVerify: false },
    apps: {
      listNamespacedDeployment: async (r: any) => ({
        items: inNs('deployments', r.namespace),
      }),
      listDeploymentForAllNamespaces: async () => ({
        items: inNs('deployments'),
      }),
      readNamespacedDeployment: async (r: any) =>
        get('deployments', r.namespace, r.name),
    },
    core: {
      listNamespacedService: async (r: any) => ({
        items: inNs('services', r.namespace),
      }),
      listServiceForAllNamespaces: async () => ({ items: inNs('services') }),
      listNamespacedEvent: async (r: any) => ({
        items: inNs('events', r.namespace).filter(e =>
          r.fieldSelector.includes(
            `involvedObject.name=${e.involvedObject.name}`,
          ),
        ),
      }),
    },
    custom: {
      listNamespacedCustomObject: async (r: any) => ({
        items: inNs(r.plural, r.namespace),
      }),
      listClusterCustomObject: async (r: any) => ({ items: inNs(r.plural) }),
      getNamespacedCustomObject: async (r: any) =>
        get(r.plural, r.namespace, r.name),
    },
  } as unknown as KubeClients;
}

class MemoryHistory implements ReleaseHistory {
  weightsOf = new Map<string, WeightPoint[]>();
  eventsOf = new Map<string, ReleaseEvent[]>();
  key = (r: ReleaseRef) => `${r.cluster}/${r.namespace}/${r.name}`;
  async recordEvents(r: ReleaseRef, events: ReleaseEvent[]) {
    const list = this.eventsOf.get(this.key(r)) ?? [];
    for (const e of events) {
      if (!list.some(x => x.at === e.at && x.message === e.message))
        list.push({ ...e, key: undefined } as any);
    }
    this.eventsOf.set(this.key(r), list);
  }
  async recordWeight(r: ReleaseRef, p: WeightPoint) {
    const list = this.weightsOf.get(this.key(r)) ?? [];
    const last = list[list.length - 1];
    if (!last || last.canaryWeight !== p.canaryWeight || last.phase !== p.phase)
      list.push(p);
    this.weightsOf.set(this.key(r), list);
  }
  async events(r: ReleaseRef) {
    return (this.eventsOf.get(this.key(r)) ?? []).map(
      ({ key, ...e }: any) => e,
    );
  }
  async weights(r: ReleaseRef) {
    return this.weightsOf.get(this.key(r)) ?? [];
  }
}

function setup(options: { prometheusUp?: boolean } = {}) {
  const dev = objects();
  const clusters: ClusterRegistryService = {
    listClusters: () => [
      { name: 'dev-cluster', url: '', skipTLSVerify: false },
      { name: 'broken', url: '', skipTLSVerify: false },
    ],
    getCluster: n => {
      if (n !== 'dev-cluster' && n !== 'broken')
        throw new NotFoundError(`No cluster ${n}`);
      return { name: n, url: '', skipTLSVerify: false };
    },
    portalClients: n => {
      if (n === 'broken') {
        const fail = async () => {
          throw new Error('connect ECONNREFUSED');
        };
        return {
          cluster: { name: n },
          apps: { listDeploymentForAllNamespaces: fail },
          core: { listServiceForAllNamespaces: fail },
          custom: { listClusterCustomObject: fail },
        } as unknown as KubeClients;
      }
      return fakeClients(n, dev);
    },
    clientsAs: () => {
      throw new Error('the read side reads as the portal');
    },
  };
  const asked: GateKey[] = [];
  const gates: GateStore = {
    async get(key) {
      asked.push(key);
      return key.type === 'confirm-promotion'
        ? { type: key.type, open: true, openedBy: 'user:default/alice' }
        : { type: key.type, open: false };
    },
    open: jest.fn(),
    close: jest.fn(),
    ask: jest.fn(),
  };
  const history = new MemoryHistory();
  const queries: string[] = [];
  const fetchMock = jest
    .spyOn(global, 'fetch')
    .mockImplementation(async (input: any) => {
      const url = new URL(String(input));
      if (!options.prometheusUp)
        throw new TypeError('fetch failed', {
          cause: { code: 'ECONNREFUSED' },
        });
      queries.push(
        `${url.origin}${url.pathname}?${url.searchParams.get('query')}`,
      );
      return new Response(
        JSON.stringify({
          status: 'success',
          data: {
            resultType: 'vector',
            result: [{ metric: {}, value: [1, '97.5'] }],
          },
        }),
        { status: 200, headers: { 'content-type': 'application/json' } },
      );
    });
  const service = new DefaultReleasesService({
    permissions: testPermissions() as any,
    catalog: catalogServiceMock({ entities: [entity] }),
    clusters,
    history,
    gates,
    logger: mockServices.logger.mock(),
    prometheus: {
      name: 'Prometheus',
      url: 'http://prom:9090',
      timeoutMs: 1000,
    },
  });
  return { service, history, asked, queries, fetchMock, dev };
}

afterEach(() => jest.restoreAllMocks());

describe('DefaultReleasesService.entityReleases', () => {
  it("lists the entity's Canaries and gray releases in the user's namespaces, per-cluster errors", async () => {
    const { service, asked } = setup();
    const res = await service.entityReleases(alice, ENTITY);
    expect(res.errors).toEqual([
      { cluster: 'broken', message: expect.stringContaining('ECONNREFUSED') },
    ]);
    // risk-prod's Canary is outside alice's payments-* scope; `other` is not the entity's
    expect(res.canaries).toHaveLength(1);
    expect(res.canaries[0]).toMatchObject({
      kind: 'canary',
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'api',
      entityRef: ENTITY,
      target: 'api',
      phase: 'Progressing',
      canaryWeight: 20,
      stepWeight: 10,
      maxWeight: 30,
      failedChecks: 1,
      threshold: 2,
      canary: { images: ['api:2'], ciRevision: 'rev-api:2' },
      primary: { images: ['api:1'], ciRevision: 'rev-api:1' },
      message: 'New revision detected',
    });
    expect(res.canaries[0].gates).toEqual([
      { type: 'confirm-rollout', declared: false, open: false },
      {
        type: 'confirm-promotion',
        declared: true,
        open: true,
        openedBy: 'user:default/alice',
      },
      { type: 'rollback', declared: false, open: false },
    ]);
    expect(asked.every(k => k.revision === 'spec-2')).toBe(true);
    expect(res.grayReleases).toEqual([
      {
        kind: 'gray',
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'api',
        entityRef: ENTITY,
        backends: [
          { service: 'api-primary', deployment: 'api-primary', weight: 80 },
          { service: 'api-canary', deployment: 'api', weight: 20 },
        ],
        rules: [],
        managedBy: 'Canary/api',
      },
      {
        kind: 'gray',
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'web',
        entityRef: ENTITY,
        backends: [
          { service: 'web-v1', deployment: 'web-v1', weight: 70 },
          { service: 'web-v2', deployment: 'web-v2', weight: 30 },
        ],
        rules: [
          {
            match: [{ header: 'x-beta', value: 'yes', type: 'Exact' }],
            service: 'web-v2',
          },
        ],
        managedBy: undefined,
      },
    ]);
  });

  it('admin sees the entity everywhere; mallory is denied; an unknown entity is 404', async () => {
    const { service } = setup();
    const res = await service.entityReleases(admin, ENTITY);
    expect(res.canaries.map(c => `${c.namespace}/${c.name}`)).toEqual([
      'payments-dev/api',
      'risk-prod/api',
    ]);
    await expect(service.entityReleases(mallory, ENTITY)).rejects.toThrow(
      NotAllowedError,
    );
    await expect(
      service.entityReleases(alice, 'component:default/nope'),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('DefaultReleasesService.overview', () => {
  it('lists active releases and recent failures in scope', async () => {
    const { service } = setup();
    const alices = await service.overview(alice, { windowHours: 168 });
    expect(
      alices.items.map(i => `${i.namespace}/${i.name}:${i.phase}`),
    ).toEqual(['payments-dev/api:Progressing']);
    expect(alices.items[0].entityRef).toBe(ENTITY);
    expect(alices.errors.map(e => e.cluster)).toEqual(['broken']);
    const admins = await service.overview(admin, { windowHours: 168 });
    // payments-dev/other failed 30 days ago: outside the window
    expect(admins.items.map(i => `${i.namespace}/${i.name}`).sort()).toEqual([
      'payments-dev/api',
      'risk-prod/api',
    ]);
    await expect(service.overview(mallory, { windowHours: 1 })).rejects.toThrow(
      NotAllowedError,
    );
  });
});

describe('DefaultReleasesService.details', () => {
  it('re-runs the checks, records and returns the history', async () => {
    const { service, queries, history } = setup({ prometheusUp: true });
    const d = await service.details(alice, {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'api',
    });
    expect(queries).toEqual([
      'http://prom:9090/api/v1/query?success{namespace="payments-dev",deployment="api"}[30s]',
    ]);
    expect(d.checks).toEqual([
      {
        name: 'success-rate',
        template: 'payments-dev/success-rate',
        query: 'success{namespace="payments-dev",deployment="api"}[30s]',
        interval: '30s',
        thresholdMin: 99,
        thresholdMax: undefined,
        measured: 97.5,
        passed: false,
      },
      {
        name: 'request-duration',
        interval: '1m',
        thresholdMin: undefined,
        thresholdMax: 500,
        error: 'builtin check: not measured',
        errorCode: 'builtin',
      },
    ]);
    expect(d.analysisInterval).toBe('10s');
    expect(d.weightHistory).toEqual([
      { at: expect.any(String), canaryWeight: 20, phase: 'Progressing' },
    ]);
    expect(d.events).toEqual([
      expect.objectContaining({
        message: 'Advance api.payments-dev canary weight 20',
        source: 'flagger',
      }),
    ]);
    expect(history.weightsOf.size).toBe(1);
  });

  it('reports Prometheus down on the checks, not as a failed page', async () => {
    const { service } = setup({ prometheusUp: false });
    const d = await service.details(alice, {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'api',
    });
    expect(d.checks[0].error).toMatch(
      /^Prometheus at http:\/\/prom:9090 is unavailable/,
    );
    expect(d.checks[0].passed).toBeUndefined();
  });

  it('403 outside the scope, 404 for an unknown Canary or cluster', async () => {
    const { service } = setup();
    await expect(
      service.details(alice, {
        cluster: 'dev-cluster',
        namespace: 'risk-prod',
        name: 'api',
      }),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      service.details(alice, {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'nope',
      }),
    ).rejects.toThrow(NotFoundError);
    await expect(
      service.details(alice, {
        cluster: 'nope',
        namespace: 'payments-dev',
        name: 'api',
      }),
    ).rejects.toThrow(NotFoundError);
  });
});

describe('DefaultReleasesService held weight', () => {
  it("reads the canary's weight from Flagger's HTTPRoute while it waits for promotion (Flagger zeroes the status)", async () => {
    const { service, dev } = setup({ prometheusUp: true });
    const target = {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'api',
    };
    (dev.canaries[0] as any).status = {
      ...(dev.canaries[0] as any).status,
      phase: 'WaitingPromotion',
      canaryWeight: 0,
    };
    expect((await service.details(alice, target)).canaryWeight).toBe(20);
    // in any other phase the status's weight stands
    (dev.canaries[0] as any).status.phase = 'Succeeded';
    expect((await service.details(alice, target)).canaryWeight).toBe(0);
    // and without a route (yet) too
    (dev.canaries[0] as any).status.phase = 'WaitingPromotion';
    (dev as any).httproutes = [];
    expect((await service.details(alice, target)).canaryWeight).toBe(0);
  });
});

describe('DefaultReleasesService.series', () => {
  const api = {
    cluster: 'dev-cluster',
    namespace: 'payments-dev',
    name: 'api',
  };

  it("range-queries the target's and the primary's inbound series", async () => {
    const { service, queries } = setup({ prometheusUp: true });
    const s = await service.series(alice, api, { minutes: 60 });
    expect(s.step).toBe(15);
    expect(s.primary.successRate).toHaveLength(241);
    expect(queries).toHaveLength(4);
    expect(
      queries.every(q => q.startsWith('http://prom:9090/api/v1/query_range?')),
    ).toBe(true);
    expect(
      queries.filter(q => q.includes('deployment="api-primary"')),
    ).toHaveLength(2);
    expect(queries.filter(q => q.includes('deployment="api",'))).toHaveLength(
      2,
    );
  });

  it('503 naming Prometheus when it is down; 400 for a bad window; 403/404 like details', async () => {
    const { service } = setup({ prometheusUp: false });
    await expect(
      service.series(alice, api, { minutes: 60 }),
    ).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(/^Prometheus at http:\/\/prom:9090/),
    });
    for (const minutes of [0, 1441, 1.5, NaN]) {
      await expect(service.series(alice, api, { minutes })).rejects.toThrow(
        'minutes must be an integer from 1 to 1440',
      );
    }
    await expect(
      service.series(
        alice,
        { ...api, namespace: 'risk-prod' },
        { minutes: 60 },
      ),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      service.series(alice, { ...api, name: 'nope' }, { minutes: 60 }),
    ).rejects.toThrow(NotFoundError);
  });
});
