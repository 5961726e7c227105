/*
 * Integration tests of the clusters backend against the REAL dev stack clusters (deploy/dev):
 * real kube-apiservers with RBAC, kwok-simulated nodes. The Kubernetes client is never mocked.
 *
 * Backstage side:
 *  - catalog: catalogServiceMock with the demo entities of catalog/*.yaml plus a scratch entity;
 *  - auth: mock credentials (alice: team-payments, bob: team-risk, mallory: no groups);
 *  - user info: the test kit's userInfoFactory with a fixed table of ownership refs per user
 *    (feeds the Kubernetes identity mapping);
 *  - permissions: the test kit's permissionsMockFactory with a FIXED decider, not the real
 *    policy: mallory is denied every non-read clusters permission, everyone else is allowed, so
 *    that Kubernetes RBAC (acting as the impersonated user) is what stops bob. The real
 *    role-based policy is tested end to end in packages/backend (rbac.integration.test.ts).
 *
 * Kubernetes side: the dev stack seeds no rights for portal identities (the RBAC plugin's sync
 * grants them from roles). This test grants team-payments' mapped group `view` in payments-dev
 * and `edit` in its scratch namespace itself, and removes both afterwards.
 *
 * Mutations only touch a scratch namespace + Deployment created here (and removed afterwards);
 * the attempts against the demo payments-api are refused by RBAC and change nothing.
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
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
  loadDemoEntities,
  permissionsMockFactory,
  requireStack,
  stackClustersConfig,
  userInfoFactory,
  waitFor,
} from '@kubemate/dev-stack';
import {
  AppsV1Api,
  CoreV1Api,
  RbacAuthorizationV1Api,
  V1Deployment,
  V1Pod,
} from '@kubernetes/client-node';
import request from 'supertest';
import type {
  EntityWorkloadsResponse,
  WorkloadSummary,
} from '@kubemate/plugin-clusters-common';
import { clustersPlugin } from './plugin';
import { type AuditRecord } from '@kubemate/plugin-kubemate-common';

const TEST_TIMEOUT = 150_000;
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const MALLORY = 'user:default/mallory';

const OWNERSHIP: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-payments'],
  [BOB]: [BOB, 'group:default/team-risk'],
  [MALLORY]: [MALLORY],
};

const suffix = randomBytes(3).toString('hex');
const SCRATCH_NS = `kubemate-clusters-test-${suffix}`;
const SCRATCH_ID = `clusters-scratch-${suffix}`;
const SCRATCH_APP = 'scratch-app';
const SCRATCH_ENTITY = `component:default/${SCRATCH_ID}`;
const SCRATCH_BASE = `/api/clusters/entity/component/default/${SCRATCH_ID}`;
const PAYMENTS_BASE = '/api/clusters/entity/component/default/payments-api';
const PAYMENTS_VIEW_BINDING = `clusters-test-team-payments-view-${suffix}`;

let stack: DevStack;
let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
let server: NonNullable<typeof backend>['server'];

const as = (user: string) => mockCredentials.user.header(user);

function admin(cluster = 'dev-cluster') {
  const kc = stack.kubeConfigFor(cluster, 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
  };
}

const isRunning = (p: V1Pod) =>
  p.status?.phase === 'Running' &&
  !p.metadata?.deletionTimestamp &&
  (p.status?.containerStatuses ?? []).every(s => s.ready && s.state?.running);

async function scratchPods(): Promise<V1Pod[]> {
  const l = await admin().core.listNamespacedPod({
    namespace: SCRATCH_NS,
    labelSelector: `app=${SCRATCH_APP}`,
  });
  return l.items;
}

async function scratchDeployment(): Promise<V1Deployment> {
  return admin().apps.readNamespacedDeployment({
    name: SCRATCH_APP,
    namespace: SCRATCH_NS,
  });
}

function scratchManifest(options: {
  image: string;
  replicas?: number;
  selectorApp?: string;
}) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${SCRATCH_APP}
  namespace: ${SCRATCH_NS}
  labels:
    app: ${SCRATCH_APP}
    backstage.io/kubernetes-id: ${SCRATCH_ID}
spec:
  replicas: ${options.replicas ?? 1}
  selector:
    matchLabels:
      app: ${options.selectorApp ?? SCRATCH_APP}
  template:
    metadata:
      labels:
        app: ${SCRATCH_APP}
        backstage.io/kubernetes-id: ${SCRATCH_ID}
    spec:
      containers:
        - name: app
          image: ${options.image}
          resources:
            requests:
              cpu: 10m
              memory: 16Mi
`;
}

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes'] });

  // scratch namespace the mapped identity of team-payments may edit (bob's team may not)
  const { core, apps, rbac } = admin();
  await core.createNamespace({
    body: {
      metadata: { name: SCRATCH_NS, labels: { 'kubemate.io/test': 'true' } },
    },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: SCRATCH_NS,
    body: {
      metadata: { name: 'team-payments-edit' },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'edit',
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
  await rbac.createNamespacedRoleBinding({
    namespace: 'payments-dev',
    body: {
      metadata: { name: PAYMENTS_VIEW_BINDING },
      roleRef: {
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'ClusterRole',
        name: 'view',
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
  await waitFor('default service account in the scratch namespace', () =>
    core.readNamespacedServiceAccount({
      name: 'default',
      namespace: SCRATCH_NS,
    }),
  );
  await apps.createNamespacedDeployment({
    namespace: SCRATCH_NS,
    body: {
      metadata: {
        name: SCRATCH_APP,
        labels: {
          app: SCRATCH_APP,
          'backstage.io/kubernetes-id': SCRATCH_ID,
        },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: SCRATCH_APP } },
        template: {
          metadata: {
            labels: {
              app: SCRATCH_APP,
              'backstage.io/kubernetes-id': SCRATCH_ID,
            },
          },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'kubemate/scratch:1.0.0',
                resources: { requests: { cpu: '10m', memory: '16Mi' } },
              },
            ],
          },
        },
      },
    },
  });

  const scratchEntity: Entity = {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: SCRATCH_ID,
      namespace: 'default',
      annotations: {
        'backstage.io/kubernetes-id': SCRATCH_ID,
        'backstage.io/kubernetes-namespace': SCRATCH_NS,
      },
    },
    spec: {
      type: 'service',
      lifecycle: 'experimental',
      owner: 'team-payments',
    },
  };

  backend = await startTestBackend({
    features: [
      clustersPlugin,
      catalogServiceMock.factory({
        entities: [...(loadDemoEntities() as Entity[]), scratchEntity],
      }),
      mockServices.rootConfig.factory({
        data: { kubernetes: stackClustersConfig(stack) },
      }),
      userInfoFactory(OWNERSHIP),
      // fixed decisions (see the header comment): conditional requests get ALLOW as well
      permissionsMockFactory((user, req) =>
        user === MALLORY && req.permission.attributes.action !== 'read'
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      ),
    ],
  });
  server = backend.server;

  await waitFor('scratch deployment ready', async () => {
    const d = await scratchDeployment();
    return d.status?.readyReplicas === 1;
  });
}, 10 * 60_000);

afterAll(async () => {
  // stops the informers (shutdown hook of the resource cache)
  await backend?.stop();
  if (stack) {
    await admin()
      .core.deleteNamespace({ name: SCRATCH_NS })
      .catch(() => {});
    await admin()
      .rbac.deleteNamespacedRoleBinding({
        name: PAYMENTS_VIEW_BINDING,
        namespace: 'payments-dev',
      })
      .catch(() => {});
  }
}, TEST_TIMEOUT);

function findWorkload(
  body: EntityWorkloadsResponse,
  cluster: string,
  namespace: string,
  name: string,
): WorkloadSummary | undefined {
  return body.clusters
    .find(c => c.cluster === cluster)
    ?.namespaces.find(n => n.namespace === namespace)
    ?.workloads.find(w => w.name === name);
}

describe('clusters backend against the real dev stack', () => {
  it(
    "returns payments-api's workloads on both clusters with health verdicts",
    async () => {
      const body = await waitFor(
        'verdicts of the broken demo workloads',
        async () => {
          const res = await request(server)
            .get(`${PAYMENTS_BASE}/workloads`)
            .set('Authorization', as(ALICE));
          expect(res.status).toBe(200);
          const b = res.body as EntityWorkloadsResponse;
          const worker = findWorkload(
            b,
            'dev-cluster',
            'payments-dev',
            'payments-worker',
          );
          const reconciler = findWorkload(
            b,
            'dev-cluster',
            'payments-dev',
            'payments-reconciler',
          );
          return worker?.health.reason === 'CrashLoopBackOff' &&
            ['ImagePullBackOff', 'ErrImagePull'].includes(
              reconciler?.health.reason ?? '',
            ) &&
            worker.events.length > 0
            ? b
            : undefined;
        },
      );
      expect(body.entityRef).toBe('component:default/payments-api');
      expect(body.clusters.map(c => c.cluster).sort()).toEqual([
        'dev-cluster',
        'prod-cluster',
      ]);
      expect(body.clusters.every(c => !c.error)).toBe(true);

      const devApi = findWorkload(
        body,
        'dev-cluster',
        'payments-dev',
        'payments-api',
      );
      const prodApi = findWorkload(
        body,
        'prod-cluster',
        'payments-prod',
        'payments-api',
      );
      expect(devApi?.kind).toBe('Deployment');
      expect(devApi?.pods.length).toBeGreaterThan(0);
      expect(prodApi?.kind).toBe('Deployment');
      expect(prodApi?.pods.length).toBeGreaterThan(0);
      expect(prodApi?.health.status).not.toBe('error');

      const worker = findWorkload(
        body,
        'dev-cluster',
        'payments-dev',
        'payments-worker',
      )!;
      expect(worker.health.status).toBe('error');
      expect(worker.pods[0].health.reason).toBe('CrashLoopBackOff');
      expect(worker.pods[0].restarts).toBeGreaterThan(0);
      expect(worker.events.map(e => e.reason)).toContain('BackOff');
      expect(worker.events.every(e => e.type === 'Warning')).toBe(true);

      const reconciler = findWorkload(
        body,
        'dev-cluster',
        'payments-dev',
        'payments-reconciler',
      )!;
      expect(reconciler.health.status).toBe('error');
      expect(['ImagePullBackOff', 'ErrImagePull']).toContain(
        reconciler.pods[0].health.reason,
      );
      expect(reconciler.pods[0].phase).toBe('Pending');

      // risk-engine's objects do not leak into payments-api
      const names = body.clusters.flatMap(c =>
        c.namespaces.flatMap(n => n.workloads.map(w => w.name)),
      );
      expect(names).not.toContain('risk-engine');
    },
    TEST_TIMEOUT,
  );

  it(
    'reads and follows pod logs as the user; RBAC of the mapped identity applies',
    async () => {
      const pod = await waitFor('a running payments-api pod', async () => {
        const l = await admin().core.listNamespacedPod({
          namespace: 'payments-dev',
          labelSelector: 'app=payments-api,!tekton.dev/taskRun',
        });
        return l.items.find(isRunning);
      });
      const path = `${PAYMENTS_BASE}/pods/dev-cluster/payments-dev/${
        pod.metadata!.name
      }/logs`;
      const logs = await request(server)
        .get(path)
        .query({ container: 'payments-api', tailLines: 1 })
        .set('Authorization', as(ALICE));
      expect(logs.status).toBe(200);
      expect(logs.headers['content-type']).toContain('text/plain');
      expect(logs.text.trim().split('\n')).toHaveLength(1);

      // bob's mapped identity (kubemate:group:team-risk) has no rights in payments-dev
      const denied = await request(server)
        .get(path)
        .set('Authorization', as(BOB));
      expect(denied.status).toBe(403);
      expect(denied.body.error.message).toMatch(
        /User "kubemate:user:bob" cannot get resource "pods\/log"/,
      );

      // follow=true streams chunks until the client goes away
      const port = (server as any).port();
      const firstChunk = await new Promise<string>((resolveChunk, reject) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path: `${path}?follow=true&container=payments-api`,
            headers: { Authorization: as(ALICE) },
          },
          res => {
            if (res.statusCode !== 200) {
              reject(new Error(`status ${res.statusCode}`));
              return;
            }
            expect(res.headers['transfer-encoding']).toBe('chunked');
            res.setEncoding('utf8');
            res.once('data', chunk => {
              resolveChunk(chunk);
              req.destroy();
            });
          },
        );
        req.on('error', e => {
          if (!(e as any).code?.startsWith?.('ECONNRESET')) {
            reject(e);
          }
        });
        req.end();
      });
      expect(firstChunk).toContain('payments-api');
    },
    TEST_TIMEOUT,
  );

  it(
    'scales a Deployment to 3 Running pods (and back)',
    async () => {
      const res = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/scale`,
        )
        .set('Authorization', as(ALICE))
        .send({ replicas: 3 });
      expect(res.status).toBe(200);
      expect(res.body.message).toContain('to 3 replicas');

      await waitFor('3 running scratch pods', async () => {
        const pods = await scratchPods();
        return pods.length === 3 && pods.every(isRunning);
      });
      // the entity endpoint (informer cache) catches up
      await waitFor('entity endpoint reports 3 ready replicas', async () => {
        const r = await request(server)
          .get(`${SCRATCH_BASE}/workloads`)
          .set('Authorization', as(ALICE));
        const w = findWorkload(r.body, 'dev-cluster', SCRATCH_NS, SCRATCH_APP);
        return w?.readyReplicas === 3 && w.pods.length === 3 ? w : undefined;
      });

      const back = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/scale`,
        )
        .set('Authorization', as(ALICE))
        .send({ replicas: 1 });
      expect(back.status).toBe(200);
      await waitFor('back to 1 running pod', async () => {
        const pods = await scratchPods();
        return pods.length === 1 && pods.every(isRunning);
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'rollout restart creates a new ReplicaSet',
    async () => {
      const before = await admin().apps.listNamespacedReplicaSet({
        namespace: SCRATCH_NS,
      });
      const res = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/restart`,
        )
        .set('Authorization', as(ALICE));
      expect(res.status).toBe(200);
      const known = new Set(before.items.map(rs => rs.metadata?.uid));
      await waitFor('a new ReplicaSet becomes ready', async () => {
        const l = await admin().apps.listNamespacedReplicaSet({
          namespace: SCRATCH_NS,
        });
        const fresh = l.items.find(rs => !known.has(rs.metadata?.uid));
        return fresh?.status?.readyReplicas === 1;
      });
      const d = await scratchDeployment();
      expect(
        d.spec?.template.metadata?.annotations?.[
          'kubectl.kubernetes.io/restartedAt'
        ],
      ).toBeTruthy();
    },
    TEST_TIMEOUT,
  );

  it(
    'apply: dry run returns a diff without changing anything; a bad manifest is a 400 with the apiserver message',
    async () => {
      const dry = await request(server)
        .post(`${SCRATCH_BASE}/apply`)
        .set('Authorization', as(ALICE))
        .send({
          cluster: 'dev-cluster',
          dryRun: true,
          manifest: scratchManifest({ image: 'kubemate/scratch:9.9.9' }),
        });
      expect(dry.status).toBe(200);
      expect(dry.body.dryRun).toBe(true);
      expect(dry.body.objects).toHaveLength(1);
      const [obj] = dry.body.objects;
      expect(obj.operation).toBe('configured');
      expect(obj.diff).toContain('-        - image: kubemate/scratch:1.0.0');
      expect(obj.diff).toContain('+        - image: kubemate/scratch:9.9.9');
      expect(obj.before).toContain('kubemate/scratch:1.0.0');
      expect(obj.after).toContain('kubemate/scratch:9.9.9');
      const live = await scratchDeployment();
      expect(live.spec?.template.spec?.containers[0].image).toBe(
        'kubemate/scratch:1.0.0',
      );

      const bad = await request(server)
        .post(`${SCRATCH_BASE}/apply`)
        .set('Authorization', as(ALICE))
        .send({
          cluster: 'dev-cluster',
          dryRun: true,
          manifest: scratchManifest({
            image: 'kubemate/scratch:9.9.9',
            selectorApp: 'something-else',
          }),
        });
      expect(bad.status).toBe(400);
      expect(bad.body.error.name).toBe('InputError');
      expect(bad.body.error.message).toMatch(
        /selector.*does not match template.*labels/,
      );

      const notYaml = await request(server)
        .post(`${SCRATCH_BASE}/apply`)
        .set('Authorization', as(ALICE))
        .send({ cluster: 'dev-cluster', dryRun: true, manifest: 'a: [b' });
      expect(notYaml.status).toBe(400);

      // objects that do not carry the entity's labels are refused before reaching the cluster
      const foreign = await request(server)
        .post(`${SCRATCH_BASE}/apply`)
        .set('Authorization', as(ALICE))
        .send({
          cluster: 'dev-cluster',
          dryRun: true,
          manifest: scratchManifest({ image: 'x:1' }).replace(
            `backstage.io/kubernetes-id: ${SCRATCH_ID}\nspec`,
            'backstage.io/kubernetes-id: payments-api\nspec',
          ),
        });
      expect(foreign.status).toBe(403);
    },
    TEST_TIMEOUT,
  );

  it(
    'apply for real, then rollback restores the previous template',
    async () => {
      const before = await scratchDeployment();
      const oldImage = before.spec!.template.spec!.containers[0].image;
      const applied = await request(server)
        .post(`${SCRATCH_BASE}/apply`)
        .set('Authorization', as(ALICE))
        .send({
          cluster: 'dev-cluster',
          dryRun: false,
          manifest: scratchManifest({ image: 'kubemate/scratch:2.0.0' }),
        });
      expect(applied.status).toBe(200);
      expect(applied.body.objects[0].operation).toBe('configured');
      const rolled = await waitFor('new revision of the template', async () => {
        const d = await scratchDeployment();
        return d.spec?.template.spec?.containers[0].image ===
          'kubemate/scratch:2.0.0' &&
          d.metadata?.annotations?.['deployment.kubernetes.io/revision'] !==
            before.metadata?.annotations?.['deployment.kubernetes.io/revision']
          ? d
          : undefined;
      });
      expect(rolled.spec?.template.spec?.containers[0].image).toBe(
        'kubemate/scratch:2.0.0',
      );

      const res = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/rollback`,
        )
        .set('Authorization', as(ALICE))
        .send({});
      expect(res.status).toBe(200);
      expect(res.body.message).toContain('rolled Deployment');
      const restored = await waitFor('previous template restored', async () => {
        const d = await scratchDeployment();
        return d.spec?.template.spec?.containers[0].image === oldImage
          ? d
          : undefined;
      });
      expect(
        restored.spec?.template.metadata?.annotations?.[
          'kubectl.kubernetes.io/restartedAt'
        ],
      ).toBe(
        before.spec?.template.metadata?.annotations?.[
          'kubectl.kubernetes.io/restartedAt'
        ],
      );
      await waitFor('rolled back pods running', async () => {
        const pods = await scratchPods();
        return (
          pods.length === 1 &&
          pods.every(
            p => isRunning(p) && p.spec?.containers[0].image === oldImage,
          )
        );
      });

      const unknownRevision = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/rollback`,
        )
        .set('Authorization', as(ALICE))
        .send({ revision: 999 });
      expect(unknownRevision.status).toBe(404);
    },
    TEST_TIMEOUT,
  );

  it(
    'serves a workload manifest to edit: no server-managed fields, applies back unchanged',
    async () => {
      const res = await request(server)
        .get(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/manifest`,
        )
        .set('Authorization', as(ALICE));
      expect(res.status).toBe(200);
      expect(res.body.cluster).toBe('dev-cluster');
      expect(res.body.yaml).toContain('kind: Deployment');
      expect(res.body.yaml).toContain(`name: ${SCRATCH_APP}`);
      expect(res.body.yaml).not.toContain('managedFields');
      expect(res.body.yaml).not.toContain('status:');

      const dryRun = await request(server)
        .post(`${SCRATCH_BASE}/apply`)
        .set('Authorization', as(ALICE))
        .send({
          cluster: 'dev-cluster',
          dryRun: true,
          manifest: res.body.yaml,
        });
      expect(dryRun.status).toBe(200);
      expect(dryRun.body.objects[0].operation).toBe('unchanged');

      // A Deployment of another entity is not served through this entity.
      const foreign = await request(server)
        .get(
          `${SCRATCH_BASE}/workloads/dev-cluster/payments-dev/deployments/payments-api/manifest`,
        )
        .set('Authorization', as(ALICE));
      expect(foreign.status).toBe(403);
    },
    TEST_TIMEOUT,
  );

  it(
    'deleting a pod makes its controller create a replacement',
    async () => {
      const [pod] = (await scratchPods()).filter(isRunning);
      const res = await request(server)
        .delete(
          `${SCRATCH_BASE}/pods/dev-cluster/${SCRATCH_NS}/${
            pod.metadata!.name
          }`,
        )
        .set('Authorization', as(ALICE));
      expect(res.status).toBe(200);
      await waitFor('a replacement pod running', async () => {
        const pods = await scratchPods();
        return pods.some(
          p => p.metadata?.name !== pod.metadata?.name && isRunning(p),
        );
      });
    },
    TEST_TIMEOUT,
  );

  it(
    'a user without the Backstage permission gets 403 from the portal',
    async () => {
      const res = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/scale`,
        )
        .set('Authorization', as(MALLORY))
        .send({ replicas: 5 });
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `${MALLORY} is not allowed clusters.workload.scale on dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}`,
      );
      expect((await scratchDeployment()).spec?.replicas).toBe(1);
    },
    TEST_TIMEOUT,
  );

  it(
    "a user whose Kubernetes identity lacks RBAC rights gets the apiserver's 403",
    async () => {
      const current = await admin().apps.readNamespacedDeployment({
        name: 'payments-api',
        namespace: 'payments-dev',
      });
      const res = await request(server)
        .post(
          `${PAYMENTS_BASE}/workloads/dev-cluster/payments-dev/deployments/payments-api/scale`,
        )
        .set('Authorization', as(BOB))
        .send({ replicas: current.spec?.replicas ?? 2 });
      expect(res.status).toBe(403);
      expect(res.body.error.name).toBe('NotAllowedError');
      expect(res.body.error.message).toContain(
        'User "kubemate:user:bob" cannot patch resource "deployments/scale" in API group "apps" in the namespace "payments-dev"',
      );

      const restart = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/${SCRATCH_NS}/deployments/${SCRATCH_APP}/restart`,
        )
        .set('Authorization', as(BOB));
      expect(restart.status).toBe(403);
      expect(restart.body.error.message).toContain('kubemate:user:bob');

      // objects of other entities are refused (label check) before reaching the cluster
      const foreign = await request(server)
        .post(
          `${SCRATCH_BASE}/workloads/dev-cluster/payments-dev/deployments/payments-api/restart`,
        )
        .set('Authorization', as(ALICE));
      expect(foreign.status).toBe(403);
    },
    TEST_TIMEOUT,
  );

  it(
    'audits every mutation, successful or not',
    async () => {
      const res = await request(server)
        .get('/api/clusters/audit')
        .query({ entityRef: SCRATCH_ENTITY })
        .set('Authorization', as(ALICE));
      expect(res.status).toBe(200);
      const items = res.body.items as AuditRecord[];
      const summary = items.map(i => `${i.actor} ${i.action} ${i.result}`);
      for (const expected of [
        `${ALICE} scale success`,
        `${ALICE} restart success`,
        `${ALICE} rollback success`,
        `${ALICE} delete-pod success`,
        `${ALICE} apply success`,
        `${ALICE} apply-dry-run success`,
        `${ALICE} apply-dry-run failure`,
        `${ALICE} rollback failure`,
        `${MALLORY} scale failure`,
        `${BOB} restart failure`,
      ]) {
        expect(summary).toContain(expected);
      }
      const scale = items.find(
        i => i.action === 'scale' && i.result === 'success',
      )!;
      expect(scale).toMatchObject({
        cluster: 'dev-cluster',
        namespace: SCRATCH_NS,
        kind: 'Deployment',
        name: SCRATCH_APP,
        entityRef: SCRATCH_ENTITY,
      });
      expect(new Date(scale.createdAt).getTime()).toBeGreaterThan(0);

      const payments = await request(server)
        .get('/api/clusters/audit')
        .query({ entityRef: 'component:default/payments-api' })
        .set('Authorization', as(ALICE));
      const bobScale = (payments.body.items as AuditRecord[]).find(
        i => i.actor === BOB && i.action === 'scale',
      );
      expect(bobScale?.result).toBe('failure');
      expect(bobScale?.message).toContain('cannot patch resource');
    },
    TEST_TIMEOUT,
  );

  it(
    'lists clusters and gives a cluster overview',
    async () => {
      const list = await request(server)
        .get('/api/clusters/clusters')
        .set('Authorization', as(BOB));
      expect(list.status).toBe(200);
      expect(
        list.body.clusters.map((c: { name: string }) => c.name).sort(),
      ).toEqual(['dev-cluster', 'prod-cluster']);

      const overview = await request(server)
        .get('/api/clusters/clusters/dev-cluster/overview')
        .set('Authorization', as(BOB));
      expect(overview.status).toBe(200);
      expect(overview.body.nodes.length).toBeGreaterThanOrEqual(5);
      expect(overview.body.totals.allocatable.cpu).toBeGreaterThan(0);
      expect(overview.body.totals.requests.cpu).toBeGreaterThan(0);
      expect(overview.body.podsByPhase.Running).toBeGreaterThan(0);
      expect(
        overview.body.namespaces.map((n: { name: string }) => n.name),
      ).toEqual(expect.arrayContaining(['payments-dev', 'risk-dev']));

      const unknown = await request(server)
        .get('/api/clusters/clusters/nope/overview')
        .set('Authorization', as(BOB));
      expect(unknown.status).toBe(404);
    },
    TEST_TIMEOUT,
  );
});
