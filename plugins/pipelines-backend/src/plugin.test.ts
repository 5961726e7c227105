/*
 * Pipelines API against the REAL local cluster (dev-cluster of deploy/dev): the Tekton CRDs are
 * served by the kube-apiserver; no Tekton controller runs here, so this test plays the
 * controller's part where needed (writes PipelineRun/TaskRun status and creates the TaskRun pod,
 * which kwok runs and serves logs for). Mutations go through the API as the impersonated user:
 * alice's mapped group gets exactly the Kubernetes rules of the pipelines permissions
 * (`pipelinesKubernetesRules`) in a scratch namespace; bob's gets nothing.
 * Backstage side: catalogServiceMock with a scratch entity, mock credentials, a fixed ownership
 * table (identity mapping) and fixed permission decisions: mallory is denied, others allowed.
 */
import { randomBytes } from 'node:crypto';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DevStack, requireStack, waitFor } from '@kubemate/dev-stack';
import { pipelinesKubernetesRules } from '@kubemate/plugin-pipelines-common';
import {
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import request from 'supertest';
import { pipelinesPlugin } from './plugin';

jest.setTimeout(3 * 60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const MALLORY = 'user:default/mallory';
const as = (u: string) => mockCredentials.user.header(u);
const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-payments'],
  [BOB]: [BOB, 'group:default/team-risk'],
  [MALLORY]: [MALLORY, 'group:default/team-payments'],
};

const suffix = randomBytes(3).toString('hex');
const NS = `kubemate-pipelines-test-${suffix}`;
const ID = `pipelines-scratch-${suffix}`;
const ENTITY = `/api/pipelines/entity/component/default/${ID}`;
const TEKTON = { group: 'tekton.dev', version: 'v1' };

let stack: DevStack;
let backend: Awaited<ReturnType<typeof startTestBackend>>;

const admin = () => {
  const kc = stack.kubeConfigFor('dev-cluster', 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
};
const getRun = (name: string) =>
  admin().custom.getNamespacedCustomObject({
    ...TEKTON,
    namespace: NS,
    plural: 'pipelineruns',
    name,
  }) as Promise<any>;

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes'] });
  const { core, rbac, custom } = admin();
  await core.createNamespace({
    body: { metadata: { name: NS, labels: { 'kubemate.io/test': 'true' } } },
  });
  await rbac.createNamespacedRole({
    namespace: NS,
    body: {
      metadata: { name: 'pipelines-permissions' },
      rules: Object.values(pipelinesKubernetesRules).flat(),
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: NS,
    body: {
      metadata: { name: 'team-payments-pipelines' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: 'pipelines-permissions',
      },
      subjects: [
        {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'Group',
          name: 'kubemate:group:team-payments',
        },
      ],
    },
  });
  await custom.createNamespacedCustomObject({
    ...TEKTON,
    namespace: NS,
    plural: 'pipelines',
    body: {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: {
        name: 'build-deploy',
        labels: { 'backstage.io/kubernetes-id': ID },
      },
      spec: {
        params: [
          { name: 'revision' },
          { name: 'image-tag', default: 'latest' },
        ],
        tasks: [
          { name: 'build', taskRef: { name: 'build' } },
          { name: 'deploy', runAfter: ['build'], taskRef: { name: 'deploy' } },
        ],
      },
    },
  });

  const entity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: ID,
      namespace: 'default',
      annotations: { 'backstage.io/kubernetes-id': ID },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'team-payments',
    },
  };
  backend = await startTestBackend({
    features: [
      pipelinesPlugin,
      catalogServiceMock.factory({ entities: [entity] }),
      mockServices.rootConfig.factory({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              {
                type: 'config',
                clusters: stack.clusters.map(c => ({
                  name: c.name,
                  url: c.url,
                  authProvider: 'serviceAccount',
                  serviceAccountToken: c.tokens.portal,
                  caData: c.caData,
                })),
              },
            ],
          },
        },
      }),
      createServiceFactory({
        service: coreServices.userInfo,
        deps: {},
        factory: () => ({
          async getUserInfo(credentials: any) {
            const userEntityRef = credentials.principal.userEntityRef;
            return {
              userEntityRef,
              ownershipEntityRefs: OWNERSHIP[userEntityRef] ?? [userEntityRef],
            };
          },
        }),
      }),
      createServiceFactory({
        service: coreServices.permissions,
        deps: {},
        factory: () =>
          ({
            async authorize(requests: any[], options: any) {
              const user = options.credentials.principal.userEntityRef;
              return requests.map(() => ({
                result:
                  user === MALLORY
                    ? AuthorizeResult.DENY
                    : AuthorizeResult.ALLOW,
              }));
            },
            async authorizeConditional(requests: any[], options: any) {
              const user = options.credentials.principal.userEntityRef;
              return requests.map(() => ({
                result:
                  user === MALLORY
                    ? AuthorizeResult.DENY
                    : AuthorizeResult.ALLOW,
              }));
            },
          } as any),
      }),
    ],
  });
}, 30 * 60_000);

afterAll(async () => {
  await backend?.stop();
  if (stack)
    await admin()
      .core.deleteNamespace({ name: NS })
      .catch(() => {});
});

const start = (user: string, body: object) =>
  request(backend.server)
    .post(`${ENTITY}/runs`)
    .set('Authorization', as(user))
    .send(body);

describe('pipelines API on the real cluster', () => {
  let runName: string;

  it("lists the entity's Pipelines with their params (required and defaulted) and task graph", async () => {
    const res = await request(backend.server)
      .get(`${ENTITY}/pipelines`)
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(200);
    expect(res.body.pipelines).toEqual([
      expect.objectContaining({
        cluster: 'dev-cluster',
        namespace: NS,
        name: 'build-deploy',
        params: [
          expect.objectContaining({ name: 'revision' }),
          expect.objectContaining({ name: 'image-tag', default: 'latest' }),
        ],
        tasks: [
          { name: 'build', runAfter: [] },
          { name: 'deploy', runAfter: ['build'] },
        ],
      }),
    ]);
    // no default: required when starting a run
    expect(res.body.pipelines[0].params[0]).not.toHaveProperty('default');
    const denied = await request(backend.server)
      .get(`${ENTITY}/pipelines`)
      .set('Authorization', as(MALLORY));
    expect(denied.status).toBe(403);
  });

  it('starts a run with the given params as the user, and refuses bad params and the unpermitted', async () => {
    const r = await start(ALICE, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'build-deploy',
      params: { revision: 'abc123' },
      environment: 'dev',
    });
    expect(r.status).toBe(201);
    runName = r.body.name;
    expect(runName).toMatch(/^build-deploy-run-/);
    // read back from the apiserver
    const run = await getRun(runName);
    expect(run.spec.params).toEqual([{ name: 'revision', value: 'abc123' }]);
    expect(run.spec.pipelineRef).toEqual({ name: 'build-deploy' });
    expect(run.metadata.labels).toMatchObject({
      'backstage.io/kubernetes-id': ID,
      'tekton.dev/pipeline': 'build-deploy',
      'kubemate.io/environment': 'dev',
    });

    const unknown = await start(ALICE, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'build-deploy',
      params: { revision: 'x', colour: 'red' },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'Pipeline build-deploy has no param colour',
    );
    const missing = await start(ALICE, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'build-deploy',
    });
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      'Pipeline build-deploy needs the param revision',
    );
    const invalid = await start(ALICE, {
      cluster: 'dev-cluster',
      namespace: 'Not_A_NS',
      pipeline: 'build-deploy',
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toMatch(
      /^Invalid request: namespace: must be a Kubernetes name/,
    );
    const other = await start(ALICE, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'nope',
      params: {},
    });
    expect(other.status).toBe(404);

    const mallory = await start(MALLORY, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'build-deploy',
      params: { revision: 'x' },
    });
    expect(mallory.status).toBe(403);
    expect(mallory.body.error.message).toBe(
      `You are not allowed pipelines.run.start on dev-cluster/${NS}`,
    );
    // bob passes the portal's check but Kubernetes refuses his impersonated identity
    const bob = await start(BOB, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'build-deploy',
      params: { revision: 'x' },
    });
    expect(bob.status).toBe(403);
    expect(bob.body.error.message).toMatch(
      /kubemate:user:bob.*cannot create resource "pipelineruns"/,
    );
  });

  it('lists the run with params, status, task graph and task runs; serves a finished step log', async () => {
    // play the controller: the run is running, its first TaskRun finished on a pod kwok runs
    const { core, custom } = admin();
    const now = new Date().toISOString();
    const current = await getRun(runName);
    await custom.replaceNamespacedCustomObjectStatus({
      ...TEKTON,
      namespace: NS,
      plural: 'pipelineruns',
      name: runName,
      body: {
        ...current,
        status: {
          startTime: now,
          conditions: [
            { type: 'Succeeded', status: 'Unknown', reason: 'Running' },
          ],
        },
      },
    });
    const pod = `${runName}-build-pod`;
    await core.createNamespacedPod({
      namespace: NS,
      body: {
        metadata: { name: pod },
        spec: {
          restartPolicy: 'Never',
          tolerations: [
            {
              key: 'kwok.x-k8s.io/node',
              operator: 'Exists',
              effect: 'NoSchedule',
            },
          ],
          containers: [{ name: 'step-compile', image: 'golang:1.26' }],
        },
      },
    });
    const tr = (await custom.createNamespacedCustomObject({
      ...TEKTON,
      namespace: NS,
      plural: 'taskruns',
      body: {
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        metadata: {
          name: `${runName}-build`,
          labels: {
            'tekton.dev/pipelineRun': runName,
            'tekton.dev/pipelineTask': 'build',
          },
        },
        spec: { taskRef: { name: 'build' } },
      },
    })) as any;
    await custom.replaceNamespacedCustomObjectStatus({
      ...TEKTON,
      namespace: NS,
      plural: 'taskruns',
      name: tr.metadata.name,
      body: {
        ...tr,
        status: {
          podName: pod,
          startTime: now,
          completionTime: now,
          conditions: [
            { type: 'Succeeded', status: 'True', reason: 'Succeeded' },
          ],
          steps: [
            {
              name: 'compile',
              container: 'step-compile',
              terminated: { exitCode: 0 },
            },
          ],
        },
      },
    });

    const list = await request(backend.server)
      .get(`${ENTITY}/runs`)
      .set('Authorization', as(ALICE));
    expect(list.status).toBe(200);
    expect(list.body.errors).toEqual([]);
    const run = list.body.runs.find((r: any) => r.name === runName);
    expect(run).toMatchObject({
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'build-deploy',
      environment: 'dev',
      status: 'Running',
      params: { revision: 'abc123' },
      tasks: [
        { name: 'build', runAfter: [] },
        { name: 'deploy', runAfter: ['build'] },
      ],
    });
    expect(run.taskRuns).toEqual([
      expect.objectContaining({
        name: `${runName}-build`,
        pipelineTask: 'build',
        status: 'Succeeded',
        podName: pod,
        steps: [
          { name: 'compile', container: 'step-compile', status: 'Succeeded' },
        ],
      }),
    ]);

    const logs = await waitFor(
      'the step log (kwok runs the pod)',
      async () => {
        const r = await request(backend.server)
          .get(`/api/pipelines/runs/dev-cluster/${NS}/${runName}/logs`)
          .query({ taskRun: `${runName}-build`, step: 'compile' })
          .set('Authorization', as(ALICE));
        return r.status === 200 && r.text.length > 0 ? r.text : undefined;
      },
      90_000,
    );
    expect(logs.length).toBeGreaterThan(0);
    const denied = await request(backend.server)
      .get(`${ENTITY}/runs`)
      .set('Authorization', as(MALLORY));
    expect(denied.status).toBe(403);
  });

  it('re-runs with the same params and cancels a running run; a finished run cannot be cancelled', async () => {
    const rerun = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${runName}/rerun`)
      .set('Authorization', as(ALICE));
    expect(rerun.status).toBe(201);
    const copy = await getRun(rerun.body.name);
    expect(copy.spec.params).toEqual([{ name: 'revision', value: 'abc123' }]);
    expect(copy.metadata.labels).toMatchObject({
      'kubemate.io/rerun-of': runName,
      'kubemate.io/environment': 'dev',
    });

    const cancel = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${runName}/cancel`)
      .set('Authorization', as(ALICE));
    expect(cancel.status).toBe(200);
    expect((await getRun(runName)).spec.status).toBe('Cancelled');
    expect(cancel.body.status).toBe('Cancelled');

    // the controller finished the copy: it cannot be cancelled any more
    const finished = await getRun(rerun.body.name);
    await admin().custom.replaceNamespacedCustomObjectStatus({
      ...TEKTON,
      namespace: NS,
      plural: 'pipelineruns',
      name: rerun.body.name,
      body: {
        ...finished,
        status: {
          conditions: [
            { type: 'Succeeded', status: 'True', reason: 'Succeeded' },
          ],
        },
      },
    });
    const late = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${rerun.body.name}/cancel`)
      .set('Authorization', as(ALICE));
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(
      `${rerun.body.name} has already finished (Succeeded)`,
    );
    const mallory = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${runName}/rerun`)
      .set('Authorization', as(MALLORY));
    expect(mallory.status).toBe(403);
  });
});
