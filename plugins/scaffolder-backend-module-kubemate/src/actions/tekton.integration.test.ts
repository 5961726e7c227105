/*
 * The golden-path template's Pipeline (what `kubemate:tekton:pipeline` applies) runs to completion
 * on the REAL Tekton Pipelines controller of the dev stack (dev-cluster; kwok plays the steps'
 * containers): every step gives Tekton a `script`, so nothing is looked up in a registry.
 * The Pipeline is applied to a scratch namespace with the template's ResourceQuota and LimitRange
 * (`kubemate:quota:apply`: without container defaults the quota would refuse Tekton's pods), as the
 * admin (the actions' permission checks and audit are covered by
 * packages/backend/src/scaffolder.integration.test.ts); the run binds the `source` workspace as the
 * portal's Start and the template's TriggerTemplate do.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DevStack, requireStack, waitFor } from '@kubemate/dev-stack';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { quotaObjects } from './quota';
import { pipelineObjects } from './tekton';

jest.setTimeout(5 * 60_000);

const NS = `kubemate-template-ci-${randomBytes(3).toString('hex')}`;
const TEKTON = { group: 'tekton.dev', version: 'v1', namespace: NS };

let stack: DevStack;
const clients = () => {
  const kc = stack.kubeConfigFor('dev-cluster', 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
};

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'tekton'] });
  await clients().core.createNamespace({
    body: { metadata: { name: NS, labels: { 'kubemate.io/test': 'true' } } },
  });
}, 30 * 60_000);

afterAll(async () => {
  if (stack)
    await clients()
      .core.deleteNamespace({ name: NS })
      .catch(() => undefined);
});

it("runs the template's pipeline (clone → test + scan → build → deploy) to Succeeded under the template's quota", async () => {
  const { custom, objects } = clients();
  const target = { cluster: 'dev-cluster', namespace: NS, environment: 'dev' };
  const pipeline = pipelineObjects(
    {
      service: 'checkout',
      gitUrl: 'https://git.kubemate.test/checkout.git',
      image: 'registry.kubemate.local/checkout',
      runtime: 'go',
    },
    target,
  ).find(o => o.kind === 'Pipeline')!;
  for (const o of [
    ...quotaObjects({ cpu: '2', memory: '4Gi', gpu: 0, pods: 20 }, target),
    pipeline,
  ]) {
    await objects.create(o);
  }
  // as when a service's first run comes: the quota and the container defaults are in force
  // (a new LimitRange reaches the apiserver's admission after a moment)
  await waitFor('the container defaults admitted by the quota', async () => {
    const probe = await clients().core.createNamespacedPod({
      namespace: NS,
      dryRun: 'All',
      body: {
        metadata: { name: 'defaults-probe' },
        spec: {
          containers: [{ name: 'c', image: 'registry.kubemate.local/x' }],
        },
      },
    });
    return probe.spec?.containers[0].resources?.limits?.cpu === '500m';
  });
  const run: any = await custom.createNamespacedCustomObject({
    ...TEKTON,
    plural: 'pipelineruns',
    body: {
      apiVersion: 'tekton.dev/v1',
      kind: 'PipelineRun',
      metadata: { generateName: 'checkout-ci-run-' },
      spec: {
        pipelineRef: { name: 'checkout-ci' },
        params: [{ name: 'revision', value: 'main' }],
        workspaces: [{ name: 'source', emptyDir: {} }],
      },
    },
  });
  const name = run.metadata.name;

  const done: any = await waitFor(
    `PipelineRun ${name} to finish`,
    async () => {
      const r: any = await custom.getNamespacedCustomObject({
        ...TEKTON,
        plural: 'pipelineruns',
        name,
      });
      const c = r.status?.conditions?.find((x: any) => x.type === 'Succeeded');
      return c && c.status !== 'Unknown' ? r : undefined;
    },
    180_000,
  );
  const taskRuns: any[] = (
    (await custom.listNamespacedCustomObject({
      ...TEKTON,
      plural: 'taskruns',
      labelSelector: `tekton.dev/pipelineRun=${name}`,
    })) as any
  ).items;
  const byTask = Object.fromEntries(
    taskRuns.map(tr => [tr.metadata.labels['tekton.dev/pipelineTask'], tr]),
  );
  // every task, with the controller's reason and message (what failed, if anything did)
  const outcome = (o: any) =>
    `${o.status.conditions[0].reason}: ${o.status.conditions[0].message}`;
  expect(
    Object.fromEntries(
      Object.entries(byTask).map(([t, tr]) => [t, outcome(tr)]),
    ),
  ).toEqual(
    Object.fromEntries(
      ['clone', 'test', 'scan', 'build', 'deploy'].map(t => [
        t,
        'Succeeded: All Steps have completed executing',
      ]),
    ),
  );
  expect(outcome(done)).toBe(
    'Succeeded: Tasks Completed: 5 (Failed: 0, Cancelled 0), Skipped: 0',
  );
  // each task started after the tasks it runs after had completed
  const at = (t: string, f: 'startTime' | 'completionTime') =>
    Date.parse(byTask[t].status[f]);
  for (const [task, after] of [
    ['test', 'clone'],
    ['scan', 'clone'],
    ['build', 'test'],
    ['build', 'scan'],
    ['deploy', 'build'],
  ]) {
    expect(at(task, 'startTime')).toBeGreaterThanOrEqual(
      at(after, 'completionTime'),
    );
  }
  // the build's `image` result (its step's termination message) reached deploy and the run
  const image = `sha256:${createHash('sha256')
    .update(`${byTask.build.status.podName}/image`)
    .digest('hex')}`;
  expect(done.status.results).toEqual([{ name: 'image', value: image }]);
  expect(byTask.deploy.status.taskSpec.steps[0].script).toContain(
    `deployment/checkout checkout=${image}`,
  );
});
