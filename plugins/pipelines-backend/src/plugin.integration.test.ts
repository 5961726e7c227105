/*
 * Pipelines API against the REAL local cluster (dev-cluster of deploy/dev) with the REAL Tekton
 * Pipelines controller of the stack: runs started through the portal are run by the controller
 * alone — it creates the TaskRuns and their pods, kwok plays the pods' containers (seed/kwok
 * stages tekton-taskrun-pod-*: steps terminate with Tekton's termination messages), and the
 * controller decides Succeeded/Failed, timeouts and cancellation. This test never writes Tekton
 * status. Pod behaviour is chosen with annotations on the Pipelines (Tekton copies them to the
 * PipelineRun, its TaskRuns and their pods): `kwok.kubemate.io/step-duration-ms`,
 * `kwok.kubemate.io/fail-step`.
 * Mutations go through the API as the impersonated user: alice's mapped group gets exactly the
 * Kubernetes rules of the pipelines permissions (`pipelinesKubernetesRules`) in a scratch
 * namespace; bob's gets nothing.
 * Backstage side: catalogServiceMock with a scratch entity, mock credentials, a fixed ownership
 * table (identity mapping) and fixed permission decisions: mallory is denied, others allowed.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DevStack,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  userInfoFactory,
  waitFor,
} from '@kubemate/dev-stack';
import {
  PipelineRunSummary,
  pipelinesKubernetesRules,
} from '@kubemate/plugin-pipelines-common';
import {
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import request from 'supertest';
import { pipelinesPlugin } from './plugin';

jest.setTimeout(5 * 60_000);

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

const labels = { 'backstage.io/kubernetes-id': ID };
const script = (name: string, text: string) => ({
  name,
  image: 'registry.kubemate.local/library/busybox:1.37',
  script: `#!/bin/sh\n${text}\n`,
});
/** The Tasks and Pipelines the tests run (steps use `script`: nothing is looked up in a registry). */
const TEKTON_OBJECTS = [
  {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: { name: 'build', labels },
    spec: {
      params: [{ name: 'revision', default: 'main' }],
      results: [{ name: 'digest', description: 'Digest of the built image' }],
      steps: [
        script('compile', 'go build ./... # $(params.revision)'),
        script('package', 'printf sha256:... > $(results.digest.path)'),
      ],
    },
  },
  {
    apiVersion: 'tekton.dev/v1',
    kind: 'Task',
    metadata: { name: 'deploy', labels },
    spec: {
      params: [{ name: 'digest' }],
      steps: [
        script('rollout', 'kubectl set image deploy/app app=$(params.digest)'),
      ],
    },
  },
  {
    // two tasks: deploy runs after build and takes its result; 1.5 s per step
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: {
      name: 'build-deploy',
      labels,
      annotations: { 'kwok.kubemate.io/step-duration-ms': '1500' },
    },
    spec: {
      params: [{ name: 'revision' }, { name: 'image-tag', default: 'latest' }],
      results: [{ name: 'digest', value: '$(tasks.build.results.digest)' }],
      tasks: [
        {
          name: 'build',
          taskRef: { name: 'build' },
          params: [{ name: 'revision', value: '$(params.revision)' }],
        },
        {
          name: 'deploy',
          runAfter: ['build'],
          taskRef: { name: 'deploy' },
          params: [{ name: 'digest', value: '$(tasks.build.results.digest)' }],
        },
      ],
    },
  },
  {
    // the step `unit` of task `test` exits 1 (kwok), so `lint` after it is skipped
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: {
      name: 'build-test',
      labels,
      annotations: {
        'kwok.kubemate.io/step-duration-ms': '200',
        'kwok.kubemate.io/fail-step': 'unit',
      },
    },
    spec: {
      tasks: [
        { name: 'build', taskRef: { name: 'build' } },
        {
          name: 'test',
          runAfter: ['build'],
          taskSpec: {
            steps: [script('unit', 'make test'), script('lint', 'make lint')],
          },
        },
      ],
    },
  },
  {
    // one step of ten minutes: long enough to be cancelled or to time out
    apiVersion: 'tekton.dev/v1',
    kind: 'Pipeline',
    metadata: {
      name: 'slow',
      labels,
      annotations: { 'kwok.kubemate.io/step-duration-ms': '600000' },
    },
    spec: {
      tasks: [
        { name: 'soak', taskSpec: { steps: [script('soak', 'sleep 600')] } },
      ],
    },
  },
];

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
  stack = await requireStack({ only: ['kubernetes', 'tekton'] });
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
  for (const body of TEKTON_OBJECTS) {
    await custom.createNamespacedCustomObject({
      ...TEKTON,
      namespace: NS,
      plural: `${body.kind.toLowerCase()}s`,
      body,
    });
  }

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
          kubernetes: stackClustersConfig(stack),
        },
      }),
      userInfoFactory(OWNERSHIP),
      // mallory is denied, everyone else allowed
      permissionsMockFactory(user => ({
        result: user === MALLORY ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      })),
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

const listRuns = async (): Promise<PipelineRunSummary[]> => {
  const res = await request(backend.server)
    .get(`${ENTITY}/runs`)
    .set('Authorization', as(ALICE));
  expect(res.status).toBe(200);
  expect(res.body.errors).toEqual([]);
  return res.body.runs;
};
const runOf = async (name: string) =>
  (await listRuns()).find(r => r.name === name);
const finished = (r?: PipelineRunSummary) =>
  r &&
  ['Succeeded', 'Failed', 'Cancelled'].includes(r.status) &&
  r.completionTime
    ? r
    : undefined;
/** The run as the route returns it once `done` holds (the controller's doing, polled). */
const waitForRun = (
  name: string,
  description: string,
  done: (r?: PipelineRunSummary) => PipelineRunSummary | undefined = finished,
  timeoutMs = 120_000,
) =>
  waitFor(
    `run ${name}: ${description}`,
    async () => done(await runOf(name)),
    timeoutMs,
    250,
  );
const podGone = (pod: string) =>
  waitFor(`pod ${pod} deleted`, () =>
    admin()
      .core.readNamespacedPod({ name: pod, namespace: NS })
      .then(
        () => false,
        (e: any) => e.code === 404,
      ),
  );
const digestOf = (pod: string, result: string) =>
  `sha256:${createHash('sha256').update(`${pod}/${result}`).digest('hex')}`;

describe('pipelines API on the real cluster and the real Tekton controller', () => {
  let runName: string;

  it("lists the entity's Pipelines with their params (required and defaulted) and task graph", async () => {
    const res = await request(backend.server)
      .get(`${ENTITY}/pipelines`)
      .set('Authorization', as(ALICE));
    expect(res.status).toBe(200);
    expect(res.body.pipelines.map((p: any) => p.name)).toEqual([
      'build-deploy',
      'build-test',
      'slow',
    ]);
    expect(res.body.pipelines[0]).toEqual(
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
    );
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
    expect(r.body.status).toBe('Pending');
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
      /^request\/body\/namespace must match pattern/,
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

  it('the controller runs it: Pending → Running → Succeeded, TaskRuns in runAfter order, results from the steps’ termination messages, step logs', async () => {
    const seen = ['Pending']; // what the start answered
    const run = await waitForRun(runName, 'Succeeded or Failed', r => {
      if (r && seen[seen.length - 1] !== r.status) seen.push(r.status);
      return finished(r);
    });
    expect(seen).toEqual(['Pending', 'Running', 'Succeeded']);
    expect(run).toMatchObject({
      status: 'Succeeded',
      reason: 'Succeeded',
      environment: 'dev',
      params: { revision: 'abc123' },
      tasks: [
        { name: 'build', runAfter: [] },
        { name: 'deploy', runAfter: ['build'] },
      ],
    });
    expect(run.failedStep).toBeUndefined();
    const build = run.taskRuns.find(t => t.pipelineTask === 'build')!;
    const deploy = run.taskRuns.find(t => t.pipelineTask === 'deploy')!;
    expect([build.status, deploy.status]).toEqual(['Succeeded', 'Succeeded']);
    // runAfter: deploy started once build had completed
    expect(Date.parse(deploy.startTime!)).toBeGreaterThanOrEqual(
      Date.parse(build.completionTime!),
    );
    expect(build.steps.map(s => [s.name, s.status, s.exitCode])).toEqual([
      ['compile', 'Succeeded', 0],
      ['package', 'Succeeded', 0],
    ]);
    // the steps ran one after the other, 1.5 s each (the times are Tekton's, in whole seconds)
    expect(
      Date.parse(build.steps[1].startTime!) -
        Date.parse(build.steps[0].startTime!),
    ).toBeGreaterThanOrEqual(1000);
    expect(run.durationSeconds).toBeGreaterThanOrEqual(4);
    // the result: from the step's termination message (kwok derives it from the pod name),
    // read by Tekton into the TaskRun, passed to deploy as a param and into the run's results
    const digest = digestOf(build.podName!, 'digest');
    expect(build.results).toEqual({ digest });
    expect(run.results).toEqual({ digest });
    const deployTaskRun: any = await admin().custom.getNamespacedCustomObject({
      ...TEKTON,
      namespace: NS,
      plural: 'taskruns',
      name: deploy.name,
    });
    expect(deployTaskRun.spec.params).toEqual([
      { name: 'digest', value: digest },
    ]);

    const log = await request(backend.server)
      .get(`/api/pipelines/runs/dev-cluster/${NS}/${runName}/logs`)
      .query({ taskRun: build.name, step: 'compile' })
      .set('Authorization', as(ALICE));
    expect(log.status).toBe(200);
    expect(log.text.length).toBeGreaterThan(0);
    const denied = await request(backend.server)
      .get(`${ENTITY}/runs`)
      .set('Authorization', as(MALLORY));
    expect(denied.status).toBe(403);
  });

  it('a failing step fails its TaskRun and the run, and the run names that step', async () => {
    const r = await start(ALICE, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'build-test',
    });
    expect(r.status).toBe(201);
    const run = await waitForRun(r.body.name, 'Failed');
    expect(run).toMatchObject({ status: 'Failed', reason: 'Failed' });
    const test = run.taskRuns.find(t => t.pipelineTask === 'test')!;
    expect(test).toMatchObject({ status: 'Failed', reason: 'StepFailed' });
    expect(test.message).toBe('"step-unit" exited with code 1: Error');
    expect(test.steps).toEqual([
      expect.objectContaining({ name: 'unit', status: 'Failed', exitCode: 1 }),
      // not run after the failure (Tekton's entrypoint skips it)
      expect.objectContaining({
        name: 'lint',
        status: 'Cancelled',
        reason: 'Skipped',
      }),
    ]);
    expect(run.taskRuns.find(t => t.pipelineTask === 'build')!.status).toBe(
      'Succeeded',
    );
    expect(run.failedStep).toEqual({
      taskRun: test.name,
      pipelineTask: 'test',
      step: 'unit',
      exitCode: 1,
      message: test.message,
    });
  });

  it('re-runs with the same params; a finished run cannot be cancelled', async () => {
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
    expect(
      (await waitForRun(rerun.body.name, 'Succeeded or Failed')).status,
    ).toBe('Succeeded');

    const late = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${runName}/cancel`)
      .set('Authorization', as(ALICE));
    expect(late.status).toBe(409);
    expect(late.body.error.message).toBe(
      `${runName} has already finished (Succeeded)`,
    );
    const mallory = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${runName}/rerun`)
      .set('Authorization', as(MALLORY));
    expect(mallory.status).toBe(403);
  });

  it('cancels a running run: the controller marks it Cancelled and deletes its pods', async () => {
    const r = await start(ALICE, {
      cluster: 'dev-cluster',
      namespace: NS,
      pipeline: 'slow',
    });
    expect(r.status).toBe(201);
    const name = r.body.name;
    const pod = await waitFor(`the pod of ${name} running`, async () => {
      const podName = (await runOf(name))?.taskRuns[0]?.podName;
      if (!podName) return undefined;
      const p = await admin().core.readNamespacedPod({
        name: podName,
        namespace: NS,
      });
      return p.status?.phase === 'Running' && podName;
    });
    const mallory = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${name}/cancel`)
      .set('Authorization', as(MALLORY));
    expect(mallory.status).toBe(403);
    const cancel = await request(backend.server)
      .post(`/api/pipelines/runs/dev-cluster/${NS}/${name}/cancel`)
      .set('Authorization', as(ALICE));
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('Cancelled');
    expect((await getRun(name)).spec.status).toBe('Cancelled');

    // the controller cancels the PipelineRun first and its TaskRuns in the
    // reconciles that follow: wait until both show it
    const run = await waitForRun(
      name,
      'Cancelled by the controller, its TaskRun too',
      latest =>
        finished(latest) &&
        latest!.status === 'Cancelled' &&
        latest!.taskRuns.every(t => t.status !== 'Running')
          ? latest
          : undefined,
    );
    expect(run).toMatchObject({ status: 'Cancelled', reason: 'Cancelled' });
    expect(run.taskRuns).toEqual([
      expect.objectContaining({
        status: 'Cancelled',
        reason: 'TaskRunCancelled',
      }),
    ]);
    await podGone(pod);
  });

  it('a run that exceeds its timeout fails with Tekton’s reason', async () => {
    // the portal's start sets no timeouts: this run is created directly (as the admin)
    const created: any = await admin().custom.createNamespacedCustomObject({
      ...TEKTON,
      namespace: NS,
      plural: 'pipelineruns',
      body: {
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: { generateName: 'slow-timeout-', labels },
        spec: { pipelineRef: { name: 'slow' }, timeouts: { pipeline: '5s' } },
      },
    });
    const run = await waitForRun(created.metadata.name, 'timed out');
    expect(run).toMatchObject({
      status: 'Failed',
      reason: 'PipelineRunTimeout',
    });
    expect(run.message).toMatch(/failed to finish within "5s"/);
    expect(run.durationSeconds).toBeGreaterThanOrEqual(5);
    const pod = run.taskRuns[0]?.podName;
    expect(pod).toBeDefined();
    await podGone(pod!);
  });
});
