/*
 * The pipelines service without the stack: a fake cluster registry whose clients keep Tekton
 * objects in memory, the test kit's permission decisions (alice CONDITIONAL IS_IN_NAMESPACE
 * [payments-*], admin ALLOW, mallory DENY) and an in-memory audit log.
 */
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  ConflictError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { testPermissions } from '@kubemate/dev-stack';
import type { AuditRecord } from '@kubemate/plugin-kubemate-common';
import type {
  ClusterAuditService,
  ClusterRegistryService,
  KubeClients,
  KubernetesIdentity,
  KubernetesIdentityService,
} from '@kubemate/plugin-kubemate-node';
import { DefaultPipelinesService } from './DefaultPipelinesService';
import { TektonObject } from './tekton';

const alice = mockCredentials.user('user:default/alice');
const mallory = mockCredentials.user('user:default/mallory');
const admin = mockCredentials.user('user:default/admin');

const LABELS = { 'backstage.io/kubernetes-id': 'payments-api' };
const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    annotations: { 'backstage.io/kubernetes-id': 'payments-api' },
  },
};
const ENTITY = 'component:default/payments-api';

const pipeline = (namespace: string): TektonObject => ({
  metadata: { name: 'build', namespace, labels: LABELS },
  spec: {
    params: [{ name: 'revision' }, { name: 'target', default: 'main' }],
    tasks: [{ name: 'test' }, { name: 'deploy', runAfter: ['test'] }],
  },
});

const run = (
  namespace: string,
  name: string,
  startTime: string,
  succeeded?: 'True' | 'False' | 'Unknown',
): TektonObject => ({
  metadata: {
    name,
    namespace,
    labels: { ...LABELS, 'tekton.dev/pipeline': 'build' },
  },
  spec: { pipelineRef: { name: 'build' }, params: [] },
  status: {
    startTime,
    conditions: succeeded
      ? [{ type: 'Succeeded', status: succeeded, reason: 'Running' }]
      : [],
  },
});

const matches = (labels: Record<string, string> = {}, selector: string) =>
  selector.split(',').every(term => {
    const [k, v] = term.split('=');
    return labels[k] === v;
  });

/** A cluster whose custom objects API keeps Tekton objects in memory. */
function fakeCluster(name: string, objects: Record<string, TektonObject[]>) {
  const calls: string[] = [];
  const clients = (as?: KubernetesIdentity): KubeClients => {
    const who = as ? as.user : 'portal';
    const custom = {
      async listNamespacedCustomObject(r: any) {
        calls.push(`${who} list ${r.plural} ${r.namespace}`);
        return {
          items: (objects[r.plural] ?? []).filter(
            o =>
              o.metadata.namespace === r.namespace &&
              matches(o.metadata.labels, r.labelSelector),
          ),
        };
      },
      async listClusterCustomObject(r: any) {
        calls.push(`${who} list ${r.plural}`);
        return {
          items: (objects[r.plural] ?? []).filter(o =>
            matches(o.metadata.labels, r.labelSelector),
          ),
        };
      },
      async getNamespacedCustomObject(r: any) {
        const found = (objects[r.plural] ?? []).find(
          o =>
            o.metadata.namespace === r.namespace && o.metadata.name === r.name,
        );
        if (!found) throw new NotFoundError(`${r.plural} ${r.name} not found`);
        return found;
      },
      async createNamespacedCustomObject(r: any) {
        calls.push(`${who} create ${r.plural} ${r.namespace}`);
        const created = {
          ...r.body,
          metadata: {
            ...r.body.metadata,
            name: `${r.body.metadata.generateName}1`,
          },
        };
        (objects[r.plural] ??= []).push(created);
        return created;
      },
      async patchNamespacedCustomObject(r: any) {
        calls.push(`${who} patch ${r.plural} ${r.name}`);
        const found = await custom.getNamespacedCustomObject(r);
        found.spec = { ...found.spec, ...r.body.spec };
        return found;
      },
    };
    return {
      cluster: { name, url: `https://${name}`, skipTLSVerify: false },
      impersonating: as,
      custom,
    } as unknown as KubeClients;
  };
  return { name, clients, calls, objects };
}

function setup() {
  const dev = fakeCluster('dev-cluster', {
    pipelines: [pipeline('payments-dev'), pipeline('risk-prod')],
    pipelineruns: [
      run('payments-dev', 'build-old', '2026-01-01T00:00:00Z', 'True'),
      run('payments-dev', 'build-new', '2026-01-02T00:00:00Z', 'Unknown'),
      run('risk-prod', 'build-risk', '2026-01-03T00:00:00Z', 'True'),
    ],
    taskruns: [
      {
        metadata: {
          name: 'build-new-test',
          namespace: 'payments-dev',
          labels: {
            ...LABELS,
            'tekton.dev/pipelineRun': 'build-new',
            'tekton.dev/pipelineTask': 'test',
          },
        },
        status: { startTime: '2026-01-02T00:00:01Z' },
      },
    ],
  });
  const clusters: ClusterRegistryService = {
    listClusters: () => [dev.clients().cluster, { name: 'broken' } as any],
    getCluster(name) {
      if (name !== 'dev-cluster') throw new NotFoundError(`No cluster ${name}`);
      return dev.clients().cluster;
    },
    portalClients(name) {
      if (name === 'broken') {
        return {
          cluster: { name },
          custom: {
            listClusterCustomObject: async () => {
              throw new Error('connect ECONNREFUSED');
            },
          },
        } as unknown as KubeClients;
      }
      return dev.clients();
    },
    clientsAs: (_name, identity) => dev.clients(identity),
  };
  const identity: KubernetesIdentityService = {
    mapUser: info => ({ user: `kubemate:${info.userEntityRef}`, groups: [] }),
    forCredentials: async c => ({
      user: `kubemate:${c.principal.userEntityRef}`,
      groups: [],
    }),
  };
  const records: Array<Omit<AuditRecord, 'id' | 'createdAt'>> = [];
  const audit: ClusterAuditService = {
    async record(entry) {
      records.push(entry);
    },
    async query() {
      return [];
    },
  };
  const service = new DefaultPipelinesService({
    permissions: testPermissions() as any,
    catalog: catalogServiceMock({ entities: [entity] }),
    clusters,
    identity,
    audit,
    logger: mockServices.logger.mock(),
  });
  return { service, dev, records };
}

describe('DefaultPipelinesService', () => {
  it("lists the entity's runs of alice's namespaces, newest first, with their TaskRuns and broken clusters", async () => {
    const { service } = setup();
    const { runs, errors } = await service.runs(alice, ENTITY);
    expect(runs.map(r => [r.cluster, r.namespace, r.name, r.status])).toEqual([
      ['dev-cluster', 'payments-dev', 'build-new', 'Running'],
      ['dev-cluster', 'payments-dev', 'build-old', 'Succeeded'],
    ]);
    expect(runs[0].taskRuns.map(t => t.name)).toEqual(['build-new-test']);
    expect(runs[0].tasks.map(t => t.name)).toEqual(['test', 'deploy']);
    expect(errors).toEqual([
      { cluster: 'broken', message: expect.stringContaining('ECONNREFUSED') },
    ]);
    const every = await service.runs(admin, ENTITY);
    expect(every.runs.map(r => r.name)).toEqual([
      'build-risk',
      'build-new',
      'build-old',
    ]);
    await expect(service.runs(mallory, ENTITY)).rejects.toThrow(
      NotAllowedError,
    );
  });

  it("lists the entity's Pipelines in alice's namespaces with their params", async () => {
    const { service } = setup();
    const { pipelines } = await service.pipelines(alice, ENTITY);
    expect(pipelines).toEqual([
      expect.objectContaining({
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        name: 'build',
        params: [
          expect.objectContaining({ name: 'revision' }),
          expect.objectContaining({ name: 'target', default: 'main' }),
        ],
      }),
    ]);
  });

  it("denies mallory's start, audits it as a failure and creates no PipelineRun", async () => {
    const { service, dev, records } = setup();
    const before = dev.objects.pipelineruns.length;
    await expect(
      service.start(mallory, ENTITY, {
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        pipeline: 'build',
        params: { revision: 'abc' },
      }),
    ).rejects.toThrow(
      'You are not allowed pipelines.run.start on dev-cluster/payments-dev',
    );
    expect(dev.objects.pipelineruns).toHaveLength(before);
    expect(dev.calls.filter(c => c.includes('create'))).toEqual([]);
    expect(records).toEqual([
      expect.objectContaining({
        actor: 'user:default/mallory',
        action: 'pipelines.run.start',
        entityRef: ENTITY,
        cluster: 'dev-cluster',
        namespace: 'payments-dev',
        kind: 'PipelineRun',
        result: 'failure',
        message:
          'NotAllowedError: You are not allowed pipelines.run.start on dev-cluster/payments-dev',
      }),
    ]);
  });

  it('denies alice a start outside her namespaces, audited', async () => {
    const { service, dev, records } = setup();
    await expect(
      service.start(alice, ENTITY, {
        cluster: 'dev-cluster',
        namespace: 'risk-prod',
        pipeline: 'build',
        params: { revision: 'abc' },
      }),
    ).rejects.toThrow(NotAllowedError);
    expect(dev.calls.filter(c => c.includes('create'))).toEqual([]);
    expect(records.map(r => [r.result, r.namespace])).toEqual([
      ['failure', 'risk-prod'],
    ]);
  });

  it("starts alice's run as alice, labelled, and audits it", async () => {
    const { service, dev, records } = setup();
    const started = await service.start(alice, ENTITY, {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      pipeline: 'build',
      params: { revision: 'abc' },
      environment: 'dev',
    });
    expect(started).toMatchObject({
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'build-run-1',
      pipeline: 'build',
      environment: 'dev',
      params: { revision: 'abc' },
    });
    expect(dev.calls).toContain(
      'kubemate:user:default/alice create pipelineruns payments-dev',
    );
    expect(records).toEqual([
      expect.objectContaining({
        action: 'pipelines.run.start',
        result: 'success',
        name: 'build-run-1',
        message: 'started build-run-1 of build (revision=abc)',
      }),
    ]);
  });

  it('refuses a start with an undeclared or a missing param (400), audited', async () => {
    const { service, records } = setup();
    const req = {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      pipeline: 'build',
    };
    await expect(
      service.start(alice, ENTITY, {
        ...req,
        params: { revision: 'a', x: '1' },
      }),
    ).rejects.toThrow('Pipeline build has no param x');
    await expect(
      service.start(alice, ENTITY, { ...req, params: {} }),
    ).rejects.toThrow('Pipeline build needs the param revision');
    expect(records.map(r => r.result)).toEqual(['failure', 'failure']);
  });

  it('cancels a running run, refuses a finished one (409) and mallory, each audited', async () => {
    const { service, dev, records } = setup();
    const ref = { cluster: 'dev-cluster', namespace: 'payments-dev' };
    await expect(
      service.cancel(mallory, { ...ref, name: 'build-new' }),
    ).rejects.toThrow(NotAllowedError);
    await expect(
      service.cancel(alice, { ...ref, name: 'build-old' }),
    ).rejects.toThrow(ConflictError);
    expect(dev.calls.filter(c => c.includes('patch'))).toEqual([]);
    const cancelled = await service.cancel(alice, {
      ...ref,
      name: 'build-new',
    });
    expect(cancelled.status).toBe('Cancelled');
    expect(dev.calls).toContain(
      'kubemate:user:default/alice patch pipelineruns build-new',
    );
    expect(records.map(r => [r.actor, r.name, r.result])).toEqual([
      ['user:default/mallory', 'build-new', 'failure'],
      ['user:default/alice', 'build-old', 'failure'],
      ['user:default/alice', 'build-new', 'success'],
    ]);
  });
});
