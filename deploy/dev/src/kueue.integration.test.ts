/*
 * Integration test of the `gpu` part against the REAL dev stack: the real Kueue manager (host
 * process, its webhooks served on 127.0.0.1 behind the apiserver's webhook configurations) on
 * dev-cluster's real apiserver, the real Job controller and scheduler, kwok playing the pods on the
 * kwok GPU nodes, the demo DCGM exporter (src/demoDcgm.ts) and the stack's Prometheus through
 * Thanos Query. Nothing is mocked and no status is written here: suspension, admission, flavors
 * and reasons are Kueue's.
 *
 * Its own objects, never the demo seed's (names with a random suffix, deleted after): a
 * ResourceFlavor for the A100 nodes, a ClusterQueue of 2 A100 GPUs in no cohort (nothing to borrow),
 * a scratch namespace with a LocalQueue `gpu` on it.
 *   1. A Job asking for 2 GPUs is suspended at creation (Kueue's webhook), admitted, unsuspended with
 *      the flavor's node selector and toleration, and its pod runs on an A100 node.
 *   2. A Job asking for 1 more GPU stays suspended; its Workload's QuotaReserved=False says
 *      "insufficient unused quota"; one asking for 3 (more than the queue has) "insufficient
 *      quota ... > maximum capacity (2)".
 *   3. A Job without the queue label is not touched: never suspended, no Workload, it runs.
 *   4. The demo DCGM exporter serves the running GPU pod's two GPUs with its pod/namespace labels;
 *      Prometheus has them, and Kueue's metrics of the test ClusterQueue (job "kueue", cluster label).
 *   5. Deleting the first Job frees its quota: the pending 1-GPU Job is admitted. A queued Kubeflow
 *      PyTorchJob is suspended at creation and admitted with the flavor's node selector (with part
 *      `finetuning` the real CRD and the Training Operator, whose webhook wants a container named
 *      `pytorch`; without it the minimal CRD of crds/).
 * ~1 min.
 */
import { randomBytes } from 'node:crypto';
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type V1Job,
} from '@kubernetes/client-node';
import { DevStack, requireStack, waitFor } from './index';
import { createScratchQueue, ScratchQueue } from './scratchQueue';

const CLUSTER = 'dev-cluster';
const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta2' };
const QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
const A100 = 'NVIDIA-A100-SXM4-40GB';
const STEP_TIMEOUT = 3 * 60_000;

let stack: DevStack;
let core: CoreV1Api;
let batch: BatchV1Api;
let custom: CustomObjectsApi;
const id = randomBytes(3).toString('hex');
const name = `kubemate-test-gpu-${id}`; // namespace, ClusterQueue and ResourceFlavor
let created = false;
let scratch: ScratchQueue | undefined;

function job(
  jobName: string,
  gpus: number,
  opts: { queued?: boolean; annotations?: Record<string, string> } = {},
): V1Job {
  const { queued = true, annotations = {} } = opts;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName,
      namespace: name,
      labels: queued ? { [QUEUE_LABEL]: 'gpu' } : {},
    },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 0,
      template: {
        metadata: {
          // kwok keeps the pod running (seed/kwok/stages.yaml), so the quota stays held
          annotations: {
            'kwok.kubemate.io/run-duration': '30m',
            ...annotations,
          },
        },
        spec: {
          restartPolicy: 'Never',
          containers: [
            {
              name: 'work',
              image: 'registry.kubemate.local/gpu-work:1.0.0',
              resources: {
                requests: {
                  cpu: '100m',
                  memory: '128Mi',
                  ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}),
                },
                limits: {
                  cpu: '100m',
                  memory: '128Mi',
                  ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}),
                },
              },
            },
          ],
        },
      },
    },
  };
}

async function readJob(jobName: string): Promise<V1Job> {
  return batch.readNamespacedJob({ name: jobName, namespace: name });
}

/** The Workload Kueue created for a Job (owner reference), if any. */
async function workloadOf(jobName: string): Promise<any | undefined> {
  const list: any = await custom.listNamespacedCustomObject({
    ...KUEUE,
    namespace: name,
    plural: 'workloads',
  });
  return list.items.find((w: any) =>
    w.metadata?.ownerReferences?.some(
      (o: any) => o.kind === 'Job' && o.name === jobName,
    ),
  );
}

function condition(obj: any, type: string): any | undefined {
  return obj?.status?.conditions?.find((c: any) => c.type === type);
}

async function podsOf(jobName: string) {
  const list = await core.listNamespacedPod({
    namespace: name,
    labelSelector: `job-name=${jobName}`,
  });
  return list.items;
}

async function promQuery(query: string): Promise<any[]> {
  const url = new URL('/api/v1/query', stack.metrics!.thanosQuery);
  url.searchParams.set('query', query);
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body: any = await res.json();
  if (body.status !== 'success') throw new Error(JSON.stringify(body));
  return body.data.result;
}

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'metrics', 'gpu'] });
  if (!stack.gpu?.kueue.some(k => k.cluster === CLUSTER))
    throw new Error(`the stack runs no Kueue in ${CLUSTER}`);
  const kc = stack.kubeConfigFor(CLUSTER, 'admin');
  core = kc.makeApiClient(CoreV1Api);
  batch = kc.makeApiClient(BatchV1Api);
  custom = kc.makeApiClient(CustomObjectsApi);

  created = true;
  scratch = await createScratchQueue({ core, custom, name });
}, 5 * 60_000);

afterAll(async () => {
  if (!created) return;
  // the namespace takes the Jobs, Workloads and LocalQueue; Kueue then releases its finalizers on
  // the ClusterQueue and the flavor
  await scratch?.remove();
}, 60_000);

describe('dev stack gpu (real Kueue, kwok GPU nodes, demo DCGM exporter)', () => {
  it(
    'admits a Job asking for 2 GPUs: suspended at creation, unsuspended with the flavor, its pod runs on an A100 node',
    async () => {
      const t0 = Date.now();
      const createdJob = await batch.createNamespacedJob({
        namespace: name,
        body: job('train', 2, {
          annotations: { 'kubemate.io/demo-gpu-util': '7' },
        }),
      });
      // Kueue's mutating webhook suspends it before it is stored
      expect(createdJob.spec?.suspend).toBe(true);

      const admitted = await waitFor(
        'Job train unsuspended',
        async () => {
          const j = await readJob('train');
          return j.spec?.suspend === false ? j : undefined;
        },
        STEP_TIMEOUT,
        100,
      );
      // the admission latency as a client sees it: created -> unsuspended
      console.log(
        `Kueue admission latency (Job created -> unsuspended): ${
          Date.now() - t0
        } ms`,
      );
      expect(
        admitted.spec?.template.spec?.nodeSelector?.['nvidia.com/gpu.product'],
      ).toBe(A100);
      expect(admitted.spec?.template.spec?.tolerations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            key: 'nvidia.com/gpu',
            effect: 'NoSchedule',
          }),
        ]),
      );

      const wl = await workloadOf('train');
      expect(condition(wl, 'Admitted')?.status).toBe('True');
      expect(wl.status.admission.clusterQueue).toBe(name);
      expect(wl.status.admission.podSetAssignments[0].flavors).toEqual(
        expect.objectContaining({ 'nvidia.com/gpu': name }),
      );

      const pod = await waitFor(
        'the pod of Job train Running',
        async () =>
          (await podsOf('train')).find(p => p.status?.phase === 'Running'),
        STEP_TIMEOUT,
      );
      const node = await core.readNode({ name: pod.spec!.nodeName! });
      expect(node.metadata?.labels?.['nvidia.com/gpu.product']).toBe(A100);
    },
    STEP_TIMEOUT + 30_000,
  );

  it.each([
    // the quota is there but held by Job train
    ['more', 1, /insufficient unused quota for nvidia\.com\/gpu in flavor/],
    // more than the queue could ever give
    [
      'huge',
      3,
      /insufficient quota for nvidia\.com\/gpu in flavor .*> maximum capacity \(2\)/,
    ],
  ])(
    "keeps Job %s (%d GPUs) suspended with Kueue's reason",
    async (jobName, gpus, reason) => {
      await batch.createNamespacedJob({
        namespace: name,
        body: job(jobName, gpus),
      });
      const wl = await waitFor(
        `Workload of Job ${jobName} with QuotaReserved=False`,
        async () => {
          const w = await workloadOf(jobName);
          return condition(w, 'QuotaReserved')?.status === 'False'
            ? w
            : undefined;
        },
        STEP_TIMEOUT,
      );
      expect(condition(wl, 'QuotaReserved').reason).toBe('Pending');
      expect(condition(wl, 'QuotaReserved').message).toMatch(reason);
      expect(condition(wl, 'Admitted')?.status).not.toBe('True');
      expect((await readJob(jobName)).spec?.suspend).toBe(true);
      expect(await podsOf(jobName)).toHaveLength(0);
    },
    STEP_TIMEOUT + 30_000,
  );

  it(
    'does not touch a Job without the queue label: never suspended, no Workload, it runs',
    async () => {
      const createdJob = await batch.createNamespacedJob({
        namespace: name,
        body: job('plain', 0, { queued: false }),
      });
      expect(createdJob.spec?.suspend).toBe(false);
      await waitFor(
        'the pod of Job plain Running or done',
        async () =>
          (
            await podsOf('plain')
          ).find(p => ['Running', 'Succeeded'].includes(p.status?.phase ?? '')),
        STEP_TIMEOUT,
      );
      // Kueue has seen the Jobs of this namespace by now (the queued ones have Workloads)
      expect(await workloadOf('train')).toBeDefined();
      expect(await workloadOf('plain')).toBeUndefined();
      expect((await readJob('plain')).spec?.suspend).toBe(false);
    },
    STEP_TIMEOUT + 30_000,
  );

  it(
    'the demo DCGM exporter serves the GPU pod: two GPUs with its pod/namespace labels, in Prometheus too',
    async () => {
      const pod = (await podsOf('train')).find(
        p => p.status?.phase === 'Running',
      );
      expect(pod).toBeDefined();
      const podName = pod!.metadata!.name!;
      const lines = await waitFor(
        `exporter series of pod ${podName}`,
        async () => {
          const res = await fetch(`${stack.gpu!.dcgm.url}/metrics`, {
            signal: AbortSignal.timeout(3000),
          });
          const found = (await res.text())
            .split('\n')
            .filter(
              l =>
                l.startsWith('DCGM_FI_DEV_GPU_UTIL{') &&
                l.includes(`pod="${podName}"`),
            );
          return found.length === 2 ? found : undefined;
        },
        60_000,
      );
      for (const l of lines) {
        expect(l).toContain(`namespace="${name}"`);
        expect(l).toContain(`Hostname="${pod!.spec!.nodeName}"`);
        expect(l).toContain(`cluster="${CLUSTER}"`);
        expect(l).toContain('kubemate_demo="true"');
        // the pod's kubemate.io/demo-gpu-util annotation
        expect(l.trim().endsWith(' 7')).toBe(true);
      }
      const gpuIndices = lines.map(l => /gpu="(\d+)"/.exec(l)?.[1]);
      expect(new Set(gpuIndices).size).toBe(2);

      const series = await waitFor(
        'DCGM series of the pod in Prometheus',
        async () => {
          const r = await promQuery(
            `DCGM_FI_DEV_FB_USED{job="demo-dcgm",namespace="${name}",pod="${podName}"}`,
          );
          return r.length === 2 ? r : undefined;
        },
        60_000,
        1000,
      );
      for (const s of series) expect(Number(s.value[1])).toBeGreaterThan(0);

      const quota = await waitFor(
        'Kueue metrics of the test ClusterQueue in Prometheus',
        async () => {
          const r = await promQuery(
            `kueue_cluster_queue_nominal_quota{job="kueue",cluster="${CLUSTER}",cluster_queue="${name}",resource="nvidia.com/gpu"}`,
          );
          return r.length ? r : undefined;
        },
        60_000,
        1000,
      );
      expect(Number(quota[0].value[1])).toBe(2);
    },
    3 * 60_000,
  );
  it(
    'admits the pending Job once the quota is freed, and a queued PyTorchJob (suspended, then admitted with the flavor)',
    async () => {
      await batch.deleteNamespacedJob({
        name: 'train',
        namespace: name,
        propagationPolicy: 'Background',
      });
      await waitFor(
        'Job more unsuspended',
        async () => (await readJob('more')).spec?.suspend === false,
        STEP_TIMEOUT,
      );
      expect(condition(await workloadOf('more'), 'Admitted')?.status).toBe(
        'True',
      );
      // still more than the queue has
      expect((await readJob('huge')).spec?.suspend).toBe(true);

      // Kubeflow's PyTorchJob (the Training Operator's validating webhook wants a container named
      // `pytorch`, its default container)
      const template = job('finetune', 1).spec!.template;
      const ptj: any = await custom.createNamespacedCustomObject({
        group: 'kubeflow.org',
        version: 'v1',
        namespace: name,
        plural: 'pytorchjobs',
        body: {
          apiVersion: 'kubeflow.org/v1',
          kind: 'PyTorchJob',
          metadata: { name: 'finetune', labels: { [QUEUE_LABEL]: 'gpu' } },
          spec: {
            pytorchReplicaSpecs: {
              Master: {
                replicas: 1,
                restartPolicy: 'OnFailure',
                template: {
                  ...template,
                  spec: {
                    ...template.spec!,
                    containers: template.spec!.containers.map(c => ({
                      ...c,
                      name: 'pytorch',
                    })),
                  },
                },
              },
            },
          },
        },
      });
      expect(ptj.spec.runPolicy?.suspend).toBe(true);
      const admitted: any = await waitFor(
        'PyTorchJob finetune unsuspended',
        async () => {
          const p: any = await custom.getNamespacedCustomObject({
            group: 'kubeflow.org',
            version: 'v1',
            namespace: name,
            plural: 'pytorchjobs',
            name: 'finetune',
          });
          return p.spec.runPolicy?.suspend === false ? p : undefined;
        },
        STEP_TIMEOUT,
      );
      expect(
        admitted.spec.pytorchReplicaSpecs.Master.template.spec.nodeSelector,
      ).toEqual({ 'nvidia.com/gpu.product': A100 });
      const wl: any = (
        (await custom.listNamespacedCustomObject({
          ...KUEUE,
          namespace: name,
          plural: 'workloads',
        })) as any
      ).items.find((w: any) =>
        w.metadata.ownerReferences?.some(
          (o: any) => o.kind === 'PyTorchJob' && o.name === 'finetune',
        ),
      );
      expect(condition(wl, 'Admitted')?.status).toBe('True');
    },
    STEP_TIMEOUT + 30_000,
  );
});
