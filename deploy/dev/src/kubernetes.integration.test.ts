/*
 * Integration tests against the REAL dev stack (etcd + kube-apiserver + controller-manager +
 * scheduler per cluster, kwok-simulated nodes). Nothing here is mocked.
 */
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  V1Pod,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { DevStack, requireStack, waitFor } from './index';

const CLUSTERS = ['dev-cluster', 'prod-cluster'];
const TEST_TIMEOUT = 120_000;

let stack: DevStack;
let scratchNs: string;

function core(
  cluster: string,
  identity: 'admin' | 'portal' | 'norbac' = 'admin',
): CoreV1Api {
  return stack.kubeConfigFor(cluster, identity).makeApiClient(CoreV1Api);
}
function apps(cluster: string): AppsV1Api {
  return stack.kubeConfigFor(cluster, 'admin').makeApiClient(AppsV1Api);
}

const isRunning = (p: V1Pod) =>
  p.status?.phase === 'Running' &&
  !p.metadata?.deletionTimestamp &&
  (p.status?.containerStatuses ?? []).every(s => s.ready && s.state?.running);

function waitingReason(p: V1Pod): string | undefined {
  return p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
}

/** Raw GET with arbitrary headers (used for impersonation and raw status codes). */
function rawGet(
  cluster: string,
  path: string,
  token: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const c = stack.cluster(cluster);
  return rawGetUrl(new URL(path, c.url).toString(), c.caData, {
    Authorization: `Bearer ${token}`,
    ...headers,
  });
}

function rawGetUrl(
  url: string,
  caData: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const req = httpsRequest(
      new URL(url),
      {
        method: 'GET',
        ca: Buffer.from(caData, 'base64').toString('utf8'),
        headers,
      },
      res => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', d => {
          body += d;
        });
        res.on('end', () =>
          resolvePromise({ status: res.statusCode ?? 0, body }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function testDeployment(name: string, replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      labels: { app: name, 'backstage.io/kubernetes-id': name },
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name, 'backstage.io/kubernetes-id': name } },
        spec: {
          containers: [
            {
              name,
              image: `kubemate/${name}:test`,
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}

beforeAll(async () => {
  // First run on a fresh machine builds the binaries; afterwards this is an idempotent check.
  stack = await requireStack({ only: ['kubernetes'] });
  scratchNs = `kubemate-test-${randomBytes(3).toString('hex')}`;
  await core('dev-cluster').createNamespace({
    body: {
      metadata: { name: scratchNs, labels: { 'kubemate.io/test': 'true' } },
    },
  });
  // pods need the namespace's default ServiceAccount (created by the controller-manager)
  await waitFor('default service account in scratch namespace', async () =>
    core('dev-cluster').readNamespacedServiceAccount({
      name: 'default',
      namespace: scratchNs,
    }),
  );
}, 45 * 60_000);

afterAll(async () => {
  if (stack && scratchNs) {
    await core('dev-cluster').deleteNamespace({ name: scratchNs });
  }
}, TEST_TIMEOUT);

describe('dev stack kubernetes (real apiserver, kwok nodes)', () => {
  it.each(CLUSTERS)(
    'lists ready simulated nodes, including GPU nodes, on %s',
    async cluster => {
      const nodes = await waitFor(`all nodes Ready on ${cluster}`, async () => {
        const list = await core(cluster).listNode();
        const ready = list.items.filter(n =>
          n.status?.conditions?.some(
            c => c.type === 'Ready' && c.status === 'True',
          ),
        );
        return list.items.length >= 5 && ready.length === list.items.length
          ? list.items
          : undefined;
      });
      const gpu = nodes.filter(
        n => n.metadata?.labels?.['nvidia.com/gpu.present'] === 'true',
      );
      expect(gpu.length).toBeGreaterThan(0);
      for (const n of gpu) {
        expect(
          Number(n.status?.allocatable?.['nvidia.com/gpu']),
        ).toBeGreaterThan(0);
        expect(n.metadata?.labels?.['nvidia.com/gpu.product']).toMatch(
          /^NVIDIA-/,
        );
      }
      const cpuNode = nodes.find(
        n => !n.metadata?.labels?.['nvidia.com/gpu.present'],
      );
      expect(cpuNode?.status?.capacity?.cpu).toMatch(/^\d+$/);
      expect(cpuNode?.status?.addresses).toEqual(
        expect.arrayContaining([{ type: 'InternalIP', address: '127.0.0.1' }]),
      );
    },
    TEST_TIMEOUT,
  );

  it.each([
    ['dev-cluster', 'payments-dev'],
    ['prod-cluster', 'payments-prod'],
  ])(
    'lists running payments-api pods on %s in %s',
    async (cluster, namespace) => {
      const pods = await waitFor(
        `payments-api pods Running in ${cluster}/${namespace}`,
        async () => {
          const list = await core(cluster, 'portal').listNamespacedPod({
            namespace,
            // the Deployment's pods, not the demo pipeline's TaskRun pods (which finish)
            labelSelector: 'app=payments-api,!tekton.dev/taskRun',
          });
          return list.items.length > 0 && list.items.every(isRunning)
            ? list.items
            : undefined;
        },
      );
      for (const p of pods) {
        expect(p.metadata?.labels?.['backstage.io/kubernetes-id']).toBe(
          'payments-api',
        );
        expect(p.spec?.nodeName).toBeTruthy();
        expect(p.status?.podIP).toBeTruthy();
      }
    },
    TEST_TIMEOUT,
  );

  it(
    'schedules a GPU workload onto a GPU node',
    async () => {
      const pod = await waitFor('docs-assistant Running', async () => {
        const list = await core('dev-cluster').listNamespacedPod({
          namespace: 'ai-platform',
          labelSelector: 'app=docs-assistant',
        });
        return list.items.find(isRunning);
      });
      const node = await core('dev-cluster').readNode({
        name: pod.spec!.nodeName!,
      });
      expect(node.metadata?.labels?.['nvidia.com/gpu.present']).toBe('true');
    },
    TEST_TIMEOUT,
  );

  it(
    'scaling a Deployment to 3 yields 3 Running pods',
    async () => {
      const name = 'scale-demo';
      await apps('dev-cluster').createNamespacedDeployment({
        namespace: scratchNs,
        body: testDeployment(name, 1),
      });
      await waitFor('1 running pod', async () => {
        const l = await core('dev-cluster').listNamespacedPod({
          namespace: scratchNs,
          labelSelector: `app=${name}`,
        });
        return l.items.filter(isRunning).length === 1;
      });
      await apps('dev-cluster').patchNamespacedDeploymentScale(
        { name, namespace: scratchNs, body: { spec: { replicas: 3 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      const pods = await waitFor('3 running pods', async () => {
        const l = await core('dev-cluster').listNamespacedPod({
          namespace: scratchNs,
          labelSelector: `app=${name}`,
        });
        const running = l.items.filter(isRunning);
        return running.length === 3 && l.items.length === 3
          ? running
          : undefined;
      });
      expect(new Set(pods.map(p => p.status?.podIP)).size).toBe(3);
      const dep = await waitFor(
        'deployment status reports 3 ready',
        async () => {
          const d = await apps('dev-cluster').readNamespacedDeployment({
            name,
            namespace: scratchNs,
          });
          return d.status?.readyReplicas === 3 ? d : undefined;
        },
      );
      expect(dep.status?.availableReplicas).toBe(3);
    },
    TEST_TIMEOUT,
  );

  it(
    'rollout restart creates a new ReplicaSet that becomes ready',
    async () => {
      const name = 'restart-demo';
      await apps('dev-cluster').createNamespacedDeployment({
        namespace: scratchNs,
        body: testDeployment(name, 2),
      });
      const before = await waitFor('first ReplicaSet ready', async () => {
        const l = await apps('dev-cluster').listNamespacedReplicaSet({
          namespace: scratchNs,
          labelSelector: `app=${name}`,
        });
        return l.items.length === 1 && l.items[0].status?.readyReplicas === 2
          ? l.items[0]
          : undefined;
      });
      await apps('dev-cluster').patchNamespacedDeployment(
        {
          name,
          namespace: scratchNs,
          body: {
            spec: {
              template: {
                metadata: {
                  annotations: {
                    'kubectl.kubernetes.io/restartedAt':
                      new Date().toISOString(),
                  },
                },
              },
            },
          },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const after = await waitFor(
        'second ReplicaSet ready and old one scaled down',
        async () => {
          const l = await apps('dev-cluster').listNamespacedReplicaSet({
            namespace: scratchNs,
            labelSelector: `app=${name}`,
          });
          const fresh = l.items.find(
            rs => rs.metadata?.uid !== before.metadata?.uid,
          );
          const old = l.items.find(
            rs => rs.metadata?.uid === before.metadata?.uid,
          );
          return fresh?.status?.readyReplicas === 2 &&
            (old?.spec?.replicas ?? 0) === 0
            ? l.items
            : undefined;
        },
      );
      expect(after).toHaveLength(2);
      const d = await apps('dev-cluster').readNamespacedDeployment({
        name,
        namespace: scratchNs,
      });
      expect(
        d.metadata?.annotations?.['deployment.kubernetes.io/revision'],
      ).toBe('2');
    },
    TEST_TIMEOUT,
  );

  it(
    "reads a pod's logs through the API (served by kwok's kubelet API)",
    async () => {
      const pod = await waitFor('a running payments-api pod', async () => {
        const l = await core('dev-cluster').listNamespacedPod({
          namespace: 'payments-dev',
          labelSelector: 'app=payments-api,!tekton.dev/taskRun',
        });
        return l.items.find(isRunning);
      });
      const logs = await core('dev-cluster', 'portal').readNamespacedPodLog({
        name: pod.metadata!.name!,
        namespace: 'payments-dev',
        container: 'payments-api',
      });
      expect(logs).toContain('payments-api starting');
      expect(logs).toContain('POST /v1/payments 201');
      const tail = await core('dev-cluster').readNamespacedPodLog({
        name: pod.metadata!.name!,
        namespace: 'payments-dev',
        tailLines: 1,
      });
      expect(tail.trim().split('\n')).toHaveLength(1);
      expect(tail).toContain('pay_7Hq3');
    },
    TEST_TIMEOUT,
  );

  it.each(CLUSTERS)(
    'the kubemate-norbac identity gets HTTP 403 on %s',
    async cluster => {
      const err = await core(cluster, 'norbac')
        .listNamespacedPod({ namespace: 'default' })
        .then(
          () => undefined,
          e => e,
        );
      expect(err?.code).toBe(403);
      const raw = await rawGet(
        cluster,
        '/api/v1/nodes',
        stack.cluster(cluster).tokens.norbac,
      );
      expect(raw.status).toBe(403);
      expect(JSON.parse(raw.body).reason).toBe('Forbidden');
    },
    TEST_TIMEOUT,
  );

  it(
    'the portal identity can impersonate a signed-in user (RBAC applies to that user)',
    async () => {
      const token = stack.cluster('dev-cluster').tokens.portal;
      const asJane = (path: string, group?: string) =>
        rawGet('dev-cluster', path, token, {
          'Impersonate-User': 'jane@kubemate.test',
          ...(group ? { 'Impersonate-Group': group } : {}),
        });
      const team = 'kubemate:team:payments';
      const asTeam = await asJane('/api/v1/namespaces/payments-dev/pods', team);
      expect(asTeam.status).toBe(200);
      const otherNs = await asJane('/api/v1/namespaces/risk-dev/pods', team);
      expect(otherNs.status).toBe(403);
      const noGroups = await asJane('/api/v1/namespaces/payments-dev/pods');
      expect(noGroups.status).toBe(403);
      // the portal itself may read but not write
      const kc: KubeConfig = stack.kubeConfigFor('dev-cluster', 'portal');
      const err = await kc
        .makeApiClient(CoreV1Api)
        .deleteNamespacedPod({
          name: 'does-not-matter',
          namespace: 'payments-dev',
        })
        .then(
          () => undefined,
          e => e,
        );
      expect(err?.code).toBe(403);
    },
    TEST_TIMEOUT,
  );

  it(
    'shows CrashLoopBackOff and ImagePullBackOff for the broken demo workloads',
    async () => {
      const crash = await waitFor(
        'payments-worker in CrashLoopBackOff',
        async () => {
          const l = await core('dev-cluster').listNamespacedPod({
            namespace: 'payments-dev',
            labelSelector: 'app=payments-worker',
          });
          return l.items.find(p => waitingReason(p) === 'CrashLoopBackOff');
        },
      );
      expect(crash.metadata?.labels?.['backstage.io/kubernetes-id']).toBe(
        'payments-api',
      );
      expect(crash.status?.containerStatuses?.[0].restartCount).toBeGreaterThan(
        0,
      );
      expect(
        crash.status?.containerStatuses?.[0].lastState?.terminated?.exitCode,
      ).toBe(1);

      const pull = await waitFor(
        'payments-reconciler in ImagePullBackOff',
        async () => {
          const l = await core('dev-cluster').listNamespacedPod({
            namespace: 'payments-dev',
            labelSelector: 'app=payments-reconciler',
          });
          return l.items.find(p =>
            ['ImagePullBackOff', 'ErrImagePull'].includes(
              waitingReason(p) ?? '',
            ),
          );
        },
      );
      expect(pull.status?.phase).toBe('Pending');

      const events = await waitFor('warning events for both pods', async () => {
        const l = await core('dev-cluster').listNamespacedEvent({
          namespace: 'payments-dev',
          fieldSelector: 'type=Warning',
        });
        const names = new Set(l.items.map(e => e.involvedObject.name));
        return names.has(crash.metadata!.name!) &&
          names.has(pull.metadata!.name!)
          ? l.items
          : undefined;
      });
      expect(events.map(e => e.reason)).toEqual(
        expect.arrayContaining(['BackOff', 'Failed']),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'kwok serves simulated kubelet resource metrics per node',
    async () => {
      const c = stack.cluster('dev-cluster');
      const pod = await waitFor('a running payments-api pod', async () => {
        const l = await core('dev-cluster').listNamespacedPod({
          namespace: 'payments-dev',
          labelSelector: 'app=payments-api,!tekton.dev/taskRun',
        });
        return l.items.find(isRunning);
      });
      const node = pod.spec!.nodeName!;
      const line = await waitFor(
        'container memory metric for the pod',
        async () => {
          const res = await rawGetUrl(
            `https://127.0.0.1:${c.ports.kwok}/metrics/nodes/${node}/metrics/resource`,
            c.caData,
          );
          return res.body
            .split('\n')
            .find(
              l =>
                l.startsWith('container_memory_working_set_bytes{') &&
                l.includes(`pod="${pod.metadata!.name}"`),
            );
        },
      );
      // 210Mi configured for payments-api in seed/kwok/metrics.yaml
      expect(Number(line.split(' ').pop())).toBe(210 * 1024 * 1024);
    },
    TEST_TIMEOUT,
  );

  it(
    'serves the minimal CRDs and the seeded custom resources',
    async () => {
      const kc = stack.kubeConfigFor('dev-cluster', 'portal');
      const api = kc.makeApiClient(CustomObjectsApi);
      const routes = await api.listNamespacedCustomObject({
        group: 'gateway.networking.k8s.io',
        version: 'v1',
        namespace: 'payments-dev',
        plural: 'httproutes',
      });
      expect((routes as any).items.length).toBeGreaterThan(0);
      for (const [group, version, plural] of [
        ['gateway.networking.k8s.io', 'v1', 'httproutes'],
        ['linkerd.io', 'v1alpha2', 'serviceprofiles'],
        ['kubeflow.org', 'v1', 'pytorchjobs'],
        ['kubeflow.org', 'v1beta1', 'experiments'],
      ]) {
        const list = await api.listClusterCustomObject({
          group,
          version,
          plural,
        });
        expect(Array.isArray((list as any).items)).toBe(true);
      }
    },
    TEST_TIMEOUT,
  );
});
