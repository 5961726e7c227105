/*
 * Part `finetuning` on the real servers (deploy/dev/servers/86-training-operator.sh, 99-mlflow.sh):
 * the Kubeflow Training Operator with Kueue, MLflow, and the demo trainer, in dev-cluster.
 *
 * With its own ResourceFlavor (A100 nodes), ClusterQueue (2 GPUs, no cohort), scratch namespace and
 * LocalQueue (prefix kubemate-test-ft-, deleted after):
 *   1. A PyTorchJob (Master + 1 Worker, 1 GPU each) labelled for the test queue and as a portal job is
 *      suspended at creation by Kueue's webhook, admitted (Workload Admitted, unsuspended with the
 *      flavor's node selector), the operator creates its 2 pods and 2 headless Services, kwok runs them
 *      on A100 nodes, the operator marks the job Succeeded when kwok completes them.
 *   2. The demo trainer (DEMO DATA) logged the simulated curve to the job's MLflow run (train_loss per
 *      step, eval_loss per epoch, tag kubemate.demo), served the pods' log lines through kwok Logs
 *      (pods/log), wrote the untrained adapter (tags) and set the run FINISHED.
 *   3. MLflow itself: an experiment and a run created, a metric logged and read back.
 * ~1 min.
 */
import { randomBytes } from 'node:crypto';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { DevStack, requireStack, waitFor } from './index';
import { createScratchQueue, ScratchQueue } from './scratchQueue';

const CLUSTER = 'dev-cluster';
const PYTORCHJOB = {
  group: 'kubeflow.org',
  version: 'v1',
  plural: 'pytorchjobs',
};
const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
const A100 = 'NVIDIA-A100-SXM4-40GB';
const STEP_TIMEOUT = 2 * 60_000;
const RUN_DURATION = '12s';

let stack: DevStack;
let core: CoreV1Api;
let custom: CustomObjectsApi;
let mlflowUrl: string;
const id = randomBytes(3).toString('hex');
const name = `kubemate-test-ft-${id}`; // namespace, ClusterQueue, ResourceFlavor, MLflow experiment
let created = false;
let scratch: ScratchQueue | undefined;
let experimentId: string | undefined;

async function mlflow(path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${mlflowUrl}/api/2.0/mlflow/${path}`, {
    method: body ? 'POST' : 'GET',
    headers: body ? { 'content-type': 'application/json' } : undefined,
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(10_000),
  });
  const json: any = await res.json();
  if (!res.ok)
    throw new Error(`MLflow ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

function condition(obj: any, type: string): any | undefined {
  return obj?.status?.conditions?.find((c: any) => c.type === type);
}

async function readJob(jobName: string): Promise<any> {
  return custom.getNamespacedCustomObject({
    ...PYTORCHJOB,
    namespace: name,
    name: jobName,
  });
}

async function jobPods(jobName: string) {
  return (
    await core.listNamespacedPod({
      namespace: name,
      labelSelector: `training.kubeflow.org/job-name=${jobName}`,
    })
  ).items;
}

beforeAll(async () => {
  stack = await requireStack({ only: ['finetuning'] });
  if (
    !stack.finetuning?.trainingOperator?.clusters.some(
      c => c.cluster === CLUSTER,
    )
  )
    throw new Error(`the stack runs no Training Operator in ${CLUSTER}`);
  if (!stack.finetuning.mlflow) throw new Error('the stack runs no MLflow');
  mlflowUrl = stack.finetuning.mlflow.url;
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  core = kc.makeApiClient(CoreV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);

  created = true;
  scratch = await createScratchQueue({ core, custom, name });
  experimentId = (await mlflow('experiments/create', { name })).experiment_id;
}, 5 * 60_000);

afterAll(async () => {
  if (experimentId)
    await mlflow('experiments/delete', { experiment_id: experimentId }).catch(
      () => undefined,
    );
  if (!created) return;
  await scratch?.remove();
}, 60_000);

function replica(): any {
  return {
    replicas: 1,
    restartPolicy: 'OnFailure',
    template: {
      metadata: {
        annotations: { 'kwok.kubemate.io/run-duration': RUN_DURATION },
      },
      spec: {
        containers: [
          {
            name: 'pytorch',
            image: 'registry.local/kubemate/lora-trainer:0.1.0',
            resources: {
              requests: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' },
              limits: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' },
            },
          },
        ],
      },
    },
  };
}

describe('dev stack finetuning (real Training Operator + Kueue, MLflow, demo trainer)', () => {
  let runId: string;
  const jobName = 'lora';
  const output = `s3://kubemate-finetuning/adapters/${CLUSTER}/${name}/${jobName}/`;

  it(
    'queues a PyTorchJob through Kueue; the operator creates its pods and Services, kwok runs them, the job Succeeds',
    async () => {
      runId = (
        await mlflow('runs/create', {
          experiment_id: experimentId,
          run_name: jobName,
          start_time: Date.now(),
        })
      ).run.info.run_id;
      const spec = {
        baseModel: 'smollm2-135m-instruct',
        datasetId: 'test',
        datasetName: 'test-faq',
        hyperparameters: {
          rank: 8,
          alpha: 16,
          learningRate: 2e-4,
          epochs: 2,
          batchSize: 8,
        },
        resources: { workers: 2, gpusPerWorker: 1 },
        queue: 'gpu',
      };
      const createdJob: any = await custom.createNamespacedCustomObject({
        ...PYTORCHJOB,
        namespace: name,
        body: {
          apiVersion: 'kubeflow.org/v1',
          kind: 'PyTorchJob',
          metadata: {
            name: jobName,
            labels: {
              [QUEUE_LABEL]: 'gpu',
              'kubemate.io/finetuning-job': `test-${id}`,
            },
            annotations: {
              'kubemate.io/mlflow-run-id': runId,
              'kubemate.io/finetuning-spec': JSON.stringify(spec),
              'kubemate.io/finetuning-output': output,
            },
          },
          spec: {
            pytorchReplicaSpecs: { Master: replica(), Worker: replica() },
          },
        },
      });
      // Kueue's webhook suspends it before it is stored
      expect(createdJob.spec.runPolicy?.suspend).toBe(true);

      const admitted = await waitFor(
        'PyTorchJob unsuspended by Kueue',
        async () => {
          const j = await readJob(jobName);
          return j.spec.runPolicy?.suspend === false ? j : undefined;
        },
        STEP_TIMEOUT,
        100,
      );
      const admittedAt = Date.now();
      expect(
        admitted.spec.pytorchReplicaSpecs.Worker.template.spec.nodeSelector,
      ).toEqual({
        'nvidia.com/gpu.product': A100,
      });

      // the operator's pods (one per replica) and headless Services, running on A100 nodes
      const pods = await waitFor(
        'the operator creates 2 running pods',
        async () => {
          const list = await jobPods(jobName);
          return list.length === 2 &&
            list.every(p => p.status?.phase === 'Running')
            ? list
            : undefined;
        },
        STEP_TIMEOUT,
        100,
      );
      // eslint-disable-next-line no-console
      console.log(
        `Training Operator: admission -> 2 pods running: ${
          Date.now() - admittedAt
        } ms`,
      );
      expect(
        pods
          .map(p => p.metadata?.labels?.['training.kubeflow.org/replica-type'])
          .sort(),
      ).toEqual(['master', 'worker']);
      for (const p of pods) {
        const node = await core.readNode({ name: p.spec!.nodeName! });
        expect(node.metadata?.labels?.['nvidia.com/gpu.product']).toBe(A100);
      }
      const services = await core.listNamespacedService({
        namespace: name,
        labelSelector: `training.kubeflow.org/job-name=${jobName}`,
      });
      expect(services.items.map(s => s.metadata?.name).sort()).toEqual([
        `${jobName}-master-0`,
        `${jobName}-worker-0`,
      ]);
      expect(services.items.every(s => s.spec?.clusterIP === 'None')).toBe(
        true,
      );

      const done = await waitFor(
        'the operator marks the PyTorchJob Succeeded',
        async () => {
          const j = await readJob(jobName);
          return condition(j, 'Succeeded')?.status === 'True' ? j : undefined;
        },
        STEP_TIMEOUT,
      );
      expect(condition(done, 'Succeeded').reason).toBe('PyTorchJobSucceeded');
    },
    3 * STEP_TIMEOUT,
  );

  it(
    'the demo trainer logged the simulated run to MLflow, served the pods’ logs and finished the run with an untrained adapter',
    async () => {
      const run = await waitFor(
        'the demo trainer sets the run FINISHED',
        async () => {
          const r = (await mlflow(`runs/get?run_id=${runId}`)).run;
          return r.info.status === 'FINISHED' ? r : undefined;
        },
        60_000,
      );
      const tags = Object.fromEntries(
        run.data.tags.map((t: any) => [t.key, t.value]),
      );
      expect(tags['kubemate.demo']).toBe('true');
      expect(tags['kubemate.adapter.untrained']).toBe('true');
      expect(tags['kubemate.adapter.uri']).toBe(output);
      const params = Object.fromEntries(
        run.data.params.map((p: any) => [p.key, p.value]),
      );
      expect(params['peft.r']).toBe('8');
      const maxSteps = Number(params.max_steps);
      expect(maxSteps).toBeGreaterThan(0);

      const history = (
        await mlflow(
          `metrics/get-history?run_id=${runId}&metric_key=train_loss`,
        )
      ).metrics.sort((a: any, b: any) => a.step - b.step);
      expect(history.map((m: any) => m.step)).toEqual(
        Array.from({ length: maxSteps }, (_, i) => i + 1),
      );
      // a falling curve: the last quarter well below the first steps
      expect(history[history.length - 1].value).toBeLessThan(
        history[0].value * 0.8,
      );
      const evalLoss = (
        await mlflow(`metrics/get-history?run_id=${runId}&metric_key=eval_loss`)
      ).metrics;
      expect(evalLoss.length).toBe(2); // one per epoch

      // the pods' lines through the kubelet API (kwok Logs objects)
      const master = await core.readNamespacedPodLog({
        namespace: name,
        name: `${jobName}-master-0`,
        container: 'pytorch',
      });
      expect(master).toContain('DEMO DATA');
      expect(master).toMatch(/\{'loss': [\d.]+, 'grad_norm'/);
      expect(master).toContain(`Saving adapter to ${output}`);
      const worker = await core.readNamespacedPodLog({
        namespace: name,
        name: `${jobName}-worker-0`,
        container: 'pytorch',
      });
      expect(worker).toMatch(/\[rank1\] step \d+\//);
    },
    2 * 60_000,
  );

  it('MLflow stores a run and a metric in PostgreSQL and gives them back', async () => {
    const run = (
      await mlflow('runs/create', {
        experiment_id: experimentId,
        run_name: 'roundtrip',
        start_time: Date.now(),
      })
    ).run;
    await mlflow('runs/log-metric', {
      run_id: run.info.run_id,
      key: 'eval_loss',
      value: 0.4242,
      timestamp: Date.now(),
      step: 7,
    });
    const history = await mlflow(
      `metrics/get-history?run_id=${run.info.run_id}&metric_key=eval_loss`,
    );
    expect(history.metrics).toEqual([
      expect.objectContaining({ value: 0.4242, step: 7 }),
    ]);
    const found = await mlflow('runs/search', {
      experiment_ids: [experimentId],
      filter: "attributes.run_name = 'roundtrip'",
    });
    expect(found.runs.map((r: any) => r.info.run_id)).toEqual([
      run.info.run_id,
    ]);
  });
});
