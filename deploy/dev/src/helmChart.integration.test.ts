/*
 * Chart tests of deploy/helm against the REAL dev stack: the Helm CLI built from its Go module
 * (part `helm`, servers/87-helm.sh) and dev-cluster's / prod-cluster's real apiservers. Nothing is
 * mocked.
 *   1. `helm lint` of both charts (default values, values-ha.yaml) exits 0.
 *   2. `helm template` (default and HA): the object list (kinds and names), replicas, probes, PDB,
 *      HPA, NetworkPolicy, the security context, no Secret and no credential in plain text (every
 *      password/secret/token is a secretKeyRef or a ${...} placeholder of the overlay).
 *   3. Every rendered object of both renders is accepted by dev-cluster's apiserver in a server-side
 *      dry run (dryRun=All: admission, validation and defaulting run, nothing is stored), in a
 *      scratch namespace.
 *   4. `helm install` of kubemate-portal into a scratch namespace of dev-cluster (external
 *      PostgreSQL values pointing at a host that does not exist: kwok simulates the nodes and runs
 *      no container, so readiness does not matter and the install does not wait), the objects read
 *      back with the Kubernetes client, the pods created by the real controllers and bound by the
 *      real scheduler to kwok's fake nodes; `helm upgrade` to the HA values rolls the pods (the
 *      config checksum) and adds the HPA; `helm uninstall` removes everything.
 *   5. kubemate-target installed into prod-cluster: the apiserver's SubjectAccessReviews say its
 *      ServiceAccount may impersonate users/groups/serviceaccounts and may not delete nodes or
 *      create pods; its token (issued by the real token controller into the chart's Secret) reads
 *      namespaces, and a request with it impersonating a portal user is made as that user.
 *   6. Bad values fail with the schema's (or the chart's) message.
 *   7. The rendered overlay and the Deployment's command and environment (its secretKeyRefs resolved
 *      as the kubelet would, from test values) boot the real built backend from the repository root
 *      (the image's /app) on the stack's PostgreSQL with a cluster of the stack: it becomes ready,
 *      creates its plugin databases under the chart's database settings and ingests the catalog of
 *      app-config.production.yaml's paths.
 * The scratch namespaces are deleted in afterAll, also when a test failed.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request as httpsRequest } from 'node:https';
import {
  AppsV1Api,
  AuthorizationV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  KubernetesObject,
  KubernetesObjectApi,
  NetworkingV1Api,
  PolicyV1Api,
  RbacAuthorizationV1Api,
  V1Pod,
} from '@kubernetes/client-node';
import { parse, parseAllDocuments } from 'yaml';
import { DevStack, repoRoot, requireStack, waitFor } from './index';

const DEV = 'dev-cluster';
const PROD = 'prod-cluster';
const PORTAL_CHART = resolve(repoRoot, 'deploy/helm/kubemate-portal');
const TARGET_CHART = resolve(repoRoot, 'deploy/helm/kubemate-target');
const HA_VALUES = join(PORTAL_CHART, 'values-ha.yaml');
const RELEASE = 'kubemate-portal';
const STEP_TIMEOUT = 3 * 60_000;

const id = randomBytes(3).toString('hex');
const dryRunNs = `kubemate-test-helm-dry-${id}`;
const installNs = `kubemate-test-helm-${id}`;
const targetNs = `kubemate-test-target-${id}`;
const targetRelease = `kmt-${id}`;

let stack: DevStack;
let helmHome: string;
const namespaces: Array<{ cluster: string; name: string }> = [];

type K8sObject = KubernetesObject & {
  spec?: any;
  data?: Record<string, string>;
  [key: string]: any;
};

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the stack's helm with its own (scratch) home directories. */
function helm(args: string[], kubeconfig?: string): Promise<Run> {
  const bin = stack.helm?.bin;
  if (!bin) throw new Error('stack.json has no helm.bin (part helm)');
  return new Promise(resolvePromise => {
    execFile(
      bin,
      [...args, ...(kubeconfig ? ['--kubeconfig', kubeconfig] : [])],
      {
        maxBuffer: 32 * 1024 * 1024,
        timeout: STEP_TIMEOUT,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: helmHome,
          HELM_CACHE_HOME: join(helmHome, 'cache'),
          HELM_CONFIG_HOME: join(helmHome, 'config'),
          HELM_DATA_HOME: join(helmHome, 'data'),
        },
      },
      (error, stdout, stderr) => {
        let code = 0;
        if (error) {
          const c = (error as { code?: unknown }).code;
          code = typeof c === 'number' ? c : 1;
        }
        resolvePromise({ code, stdout, stderr });
      },
    );
  });
}

async function helmOk(args: string[], kubeconfig?: string): Promise<string> {
  const r = await helm(args, kubeconfig);
  if (r.code !== 0) {
    throw new Error(`helm ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  }
  return r.stdout;
}

async function render(
  chart: string,
  release: string,
  extra: string[] = [],
): Promise<K8sObject[]> {
  const out = await helmOk(['template', release, chart, ...extra]);
  return parseAllDocuments(out)
    .map(d => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => !!o);
}

const kindsAndNames = (objs: K8sObject[]) =>
  objs.map(o => `${o.kind}/${o.metadata?.name}`).sort();

const find = (objs: K8sObject[], kind: string) => {
  const o = objs.find(x => x.kind === kind);
  if (!o) throw new Error(`no ${kind} in the render`);
  return o;
};

const adminKubeconfig = (cluster: string) =>
  stack.cluster(cluster).kubeconfigs.admin;

async function createNamespace(cluster: string, name: string) {
  const core = stack.kubeConfigFor(cluster, 'admin').makeApiClient(CoreV1Api);
  namespaces.push({ cluster, name });
  await core.createNamespace({
    body: {
      metadata: { name, labels: { 'kubemate.io/test': 'helm-chart' } },
    },
  });
}

/** Sensitive-looking env names must never carry a plain value. */
const SENSITIVE = /PASSWORD|SECRET|TOKEN|KEY/i;

function assertNoPlainSecrets(objs: K8sObject[]) {
  expect(objs.filter(o => o.kind === 'Secret')).toEqual([]);
  const deployment = find(objs, 'Deployment');
  for (const c of deployment.spec.template.spec.containers) {
    for (const e of c.env ?? []) {
      if (SENSITIVE.test(e.name)) {
        expect({ name: e.name, value: e.value }).toEqual({
          name: e.name,
          value: undefined,
        });
        expect(e.valueFrom?.secretKeyRef?.name).toBeTruthy();
      }
    }
  }
  // the overlay holds ${ENV} placeholders where credentials go, never values
  const overlay = parse(
    find(objs, 'ConfigMap').data!['app-config.chart.yaml'],
  ) as any;
  const credentials: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) walk(child, `${path}.${k}`);
    } else if (/password|secret|token/i.test(path.split('.').pop() ?? '')) {
      credentials.push(`${path}=${String(v)}`);
    }
  };
  walk(overlay, '');
  for (const c of credentials) expect(c).toMatch(/=\$\{[A-Z0-9_]+\}$/);
}

/** An HTTPS request to a cluster's apiserver with a bearer token and extra headers. */
function apiRequest(
  cluster: string,
  method: string,
  path: string,
  token: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const c = stack.cluster(cluster);
  const url = new URL(path, c.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolvePromise, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        ca: Buffer.from(c.caData, 'base64'),
        headers: {
          Authorization: `Bearer ${token}`,
          Accept: 'application/json',
          ...(payload ? { 'Content-Type': 'application/json' } : {}),
          ...headers,
        },
        timeout: 30_000,
      },
      res => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', d => {
          data += d;
        });
        res.on('end', () =>
          resolvePromise({ status: res.statusCode ?? 0, body: data }),
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${method} ${url} timed out`)),
    );
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'helm', 'postgres'] });
  helmHome = mkdtempSync(join(tmpdir(), 'kubemate-helm-'));
}, 45 * 60_000);

afterAll(async () => {
  if (!stack) return;
  // uninstall first (cluster-scoped objects of the target chart), then the namespaces
  await helm(['uninstall', RELEASE, '-n', installNs], adminKubeconfig(DEV));
  await helm(
    ['uninstall', targetRelease, '-n', targetNs],
    adminKubeconfig(PROD),
  );
  for (const ns of namespaces) {
    await stack
      .kubeConfigFor(ns.cluster, 'admin')
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: ns.name })
      .catch(() => undefined);
  }
  if (helmHome) rmSync(helmHome, { recursive: true, force: true });
}, STEP_TIMEOUT);

describe('helm lint', () => {
  it.each([
    ['kubemate-portal (default values)', PORTAL_CHART, []],
    ['kubemate-portal (values-ha.yaml)', PORTAL_CHART, ['-f', HA_VALUES]],
    ['kubemate-target', TARGET_CHART, []],
  ])(
    '%s exits 0',
    async (_name, chart, extra) => {
      const r = await helm(['lint', '--strict', chart, ...extra]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    },
    STEP_TIMEOUT,
  );
});

describe('helm template', () => {
  it(
    'default values: the objects, 2 replicas, probes, PDB, NetworkPolicy, no plain secrets',
    async () => {
      const objs = await render(PORTAL_CHART, RELEASE);
      expect(kindsAndNames(objs)).toEqual([
        'ConfigMap/kubemate-portal-app-config',
        'Deployment/kubemate-portal',
        'Ingress/kubemate-portal',
        'NetworkPolicy/kubemate-portal',
        'PodDisruptionBudget/kubemate-portal',
        'Service/kubemate-portal',
        'ServiceAccount/kubemate-portal',
      ]);
      const d = find(objs, 'Deployment');
      expect(d.spec.replicas).toBe(2);
      expect(d.spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 1, maxUnavailable: 0 },
      });
      const pod = d.spec.template.spec;
      const c = pod.containers[0];
      expect(c.livenessProbe.httpGet).toEqual({
        path: '/.backstage/health/v1/liveness',
        port: 'http',
      });
      expect(c.readinessProbe.httpGet).toEqual({
        path: '/.backstage/health/v1/readiness',
        port: 'http',
      });
      expect(c.startupProbe.httpGet.path).toBe(
        '/.backstage/health/v1/readiness',
      );
      expect(c.ports).toEqual([
        { name: 'http', containerPort: 7007, protocol: 'TCP' },
      ]);
      expect(c.resources.requests).toEqual({ cpu: '250m', memory: '768Mi' });
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: {} });
      // the built app is served from a writable copy (the runtime config is injected at start)
      expect(pod.initContainers[0].command).toEqual([
        'cp',
        '-a',
        'packages/app/dist/.',
        '/app-dist/',
      ]);
      expect(c.volumeMounts).toContainEqual({
        name: 'app-dist',
        mountPath: '/app/packages/app/dist',
      });
      expect(
        pod.affinity.podAntiAffinity
          .preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm
          .topologyKey,
      ).toBe('kubernetes.io/hostname');
      expect(c.command.slice(-2)).toEqual([
        '--config',
        '/etc/kubemate/app-config.chart.yaml',
      ]);
      expect(
        d.spec.template.metadata.annotations['checksum/app-config'],
      ).toMatch(/^[0-9a-f]{64}$/);
      const env = Object.fromEntries(
        c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]),
      );
      expect(env.POSTGRES_PASSWORD).toEqual({
        secretKeyRef: { name: 'kubemate-postgresql', key: 'password' },
      });
      expect(env.OIDC_CLIENT_SECRET).toEqual({
        secretKeyRef: { name: 'kubemate-oidc', key: 'clientSecret' },
      });

      expect(find(objs, 'PodDisruptionBudget').spec.minAvailable).toBe(1);
      const np = find(objs, 'NetworkPolicy');
      expect(np.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(np.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({
        'kubernetes.io/metadata.name': 'ingress-nginx',
      });
      const egressPorts = np.spec.egress.flatMap((r: any) =>
        r.ports.map((p: any) => `${p.port}/${p.protocol}`),
      );
      expect(egressPorts).toEqual(
        expect.arrayContaining([
          '53/UDP',
          '53/TCP',
          '5432/TCP',
          '443/TCP',
          '6443/TCP',
        ]),
      );
      const overlay = parse(
        find(objs, 'ConfigMap').data!['app-config.chart.yaml'],
      ) as any;
      expect(overlay.app.baseUrl).toBe('http://kubemate.example.com');
      expect(overlay.backend.database.client).toBe('pg');
      // /metrics is unauthenticated and the Ingress routes every path: off unless asked for
      expect(overlay.kubemate.backendMetrics).toEqual({ enabled: false });
      expect(overlay.auth.providers.oidc.production.metadataUrl).toBe(
        '${OIDC_METADATA_URL}',
      );
      assertNoPlainSecrets(objs);
    },
    STEP_TIMEOUT,
  );

  it(
    'values-ha.yaml: HPA 3..10 (no fixed replicas), PDB minAvailable 2, TLS ingress, clusters',
    async () => {
      const objs = await render(PORTAL_CHART, RELEASE, ['-f', HA_VALUES]);
      expect(kindsAndNames(objs)).toEqual([
        'ConfigMap/kubemate-portal-app-config',
        'Deployment/kubemate-portal',
        'HorizontalPodAutoscaler/kubemate-portal',
        'Ingress/kubemate-portal',
        'NetworkPolicy/kubemate-portal',
        'PodDisruptionBudget/kubemate-portal',
        'Service/kubemate-portal',
        'ServiceAccount/kubemate-portal',
      ]);
      expect(find(objs, 'Deployment').spec.replicas).toBeUndefined();
      const hpa = find(objs, 'HorizontalPodAutoscaler');
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec).toMatchObject({
        minReplicas: 3,
        maxReplicas: 10,
        scaleTargetRef: { kind: 'Deployment', name: 'kubemate-portal' },
      });
      expect(find(objs, 'PodDisruptionBudget').spec.minAvailable).toBe(2);
      const ing = find(objs, 'Ingress');
      expect(ing.spec.ingressClassName).toBe('nginx');
      expect(ing.spec.tls).toEqual([
        { hosts: ['portal.example.com'], secretName: 'portal-example-com-tls' },
      ]);
      const overlay = parse(
        find(objs, 'ConfigMap').data!['app-config.chart.yaml'],
      ) as any;
      expect(overlay.app.baseUrl).toBe('https://portal.example.com');
      expect(
        overlay.kubernetes.clusterLocatorMethods[0].clusters.map(
          (c: any) => `${c.name}:${c.serviceAccountToken}`,
        ),
      ).toEqual([
        'prod-cluster:${KUBEMATE_CLUSTER_0_TOKEN}',
        'dev-cluster:${KUBEMATE_CLUSTER_1_TOKEN}',
      ]);
      expect(overlay.kubemate.rbac.kubernetes.credentials).toEqual([
        {
          cluster: 'prod-cluster',
          serviceAccountToken: '${KUBEMATE_CLUSTER_0_RBAC_SYNC_TOKEN}',
        },
        {
          cluster: 'dev-cluster',
          serviceAccountToken: '${KUBEMATE_CLUSTER_1_RBAC_SYNC_TOKEN}',
        },
      ]);
      expect(overlay.backend.auth.externalAccess[0].options.token).toBe(
        '${KUBEMATE_AUTOMATION_TOKEN}',
      );
      assertNoPlainSecrets(objs);
    },
    STEP_TIMEOUT,
  );

  it(
    'a changed overlay changes the pods’ checksum annotation (config changes roll the pods)',
    async () => {
      const checksum = async (extra: string[]) =>
        find(await render(PORTAL_CHART, RELEASE, extra), 'Deployment').spec
          .template.metadata.annotations['checksum/app-config'];
      const a = await checksum([]);
      expect(await checksum([])).toBe(a);
      expect(
        await checksum(['--set', 'baseUrl=https://other.example.com']),
      ).not.toBe(a);
    },
    STEP_TIMEOUT,
  );

  it(
    'every object of both renders and of kubemate-target passes a server-side dry run on dev-cluster',
    async () => {
      await createNamespace(DEV, dryRunNs);
      const api = KubernetesObjectApi.makeApiClient(
        stack.kubeConfigFor(DEV, 'admin'),
      );
      const renders = [
        await render(PORTAL_CHART, RELEASE, ['-n', dryRunNs]),
        await render(PORTAL_CHART, RELEASE, ['-n', dryRunNs, '-f', HA_VALUES]),
        await render(TARGET_CHART, `dry-${id}`, ['-n', dryRunNs]),
      ];
      const accepted: string[] = [];
      for (const objs of renders) {
        for (const o of objs) {
          const namespaced = !/^Cluster(Role|RoleBinding)$/.test(o.kind!);
          const body = {
            ...o,
            metadata: {
              ...o.metadata,
              ...(namespaced ? { namespace: dryRunNs } : {}),
            },
          };
          // dryRun=All: authentication, admission, validation and defaulting, not stored
          const res = await api.create(body, undefined, 'All');
          expect(res.metadata?.name).toBe(o.metadata?.name);
          accepted.push(`${o.kind}/${o.metadata?.name}`);
        }
      }
      expect(accepted.length).toBe(
        renders.reduce((n, objs) => n + objs.length, 0),
      );
      // nothing was stored
      const core = stack.kubeConfigFor(DEV, 'admin').makeApiClient(CoreV1Api);
      const cms = await core.listNamespacedConfigMap({ namespace: dryRunNs });
      expect(
        cms.items
          .map(c => c.metadata?.name)
          .filter(n => n !== 'kube-root-ca.crt'),
      ).toEqual([]);
    },
    STEP_TIMEOUT,
  );
});

describe('helm install into dev-cluster', () => {
  it(
    'installs kubemate-portal, the objects read back, kwok runs its pods; upgrade to HA; uninstall',
    async () => {
      const kubeconfig = adminKubeconfig(DEV);
      await createNamespace(DEV, installNs);
      // PostgreSQL "anywhere": kwok's fake nodes run no container, nothing connects to it
      await helmOk(
        [
          'install',
          RELEASE,
          PORTAL_CHART,
          '-n',
          installNs,
          '--wait=false',
          '--set',
          'database.host=postgres.example.invalid',
          '--set',
          'ingress.host=portal.dev.example.com',
        ],
        kubeconfig,
      );
      const kc = stack.kubeConfigFor(DEV, 'admin');
      const apps = kc.makeApiClient(AppsV1Api);
      const core = kc.makeApiClient(CoreV1Api);
      const net = kc.makeApiClient(NetworkingV1Api);
      const policy = kc.makeApiClient(PolicyV1Api);
      const autoscaling = kc.makeApiClient(AutoscalingV2Api);
      const ns = installNs;

      const d = await apps.readNamespacedDeployment({
        name: RELEASE,
        namespace: ns,
      });
      expect(d.spec?.replicas).toBe(2);
      expect(d.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
      const svc = await core.readNamespacedService({
        name: RELEASE,
        namespace: ns,
      });
      expect(svc.spec?.ports?.[0]).toMatchObject({
        port: 80,
        targetPort: 'http',
      });
      const ing = await net.readNamespacedIngress({
        name: RELEASE,
        namespace: ns,
      });
      expect(ing.spec?.rules?.[0].host).toBe('portal.dev.example.com');
      expect(ing.spec?.ingressClassName).toBe('nginx');
      const pdb = await policy.readNamespacedPodDisruptionBudget({
        name: RELEASE,
        namespace: ns,
      });
      expect(pdb.spec?.minAvailable).toBe(1);
      // stored, not enforced: the dev clusters have no network plugin
      const np = await net.readNamespacedNetworkPolicy({
        name: RELEASE,
        namespace: ns,
      });
      expect(np.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
      const cm = await core.readNamespacedConfigMap({
        name: `${RELEASE}-app-config`,
        namespace: ns,
      });
      const overlay = parse(cm.data!['app-config.chart.yaml']) as any;
      expect(overlay.backend.baseUrl).toBe('http://portal.dev.example.com');
      expect(overlay.backend.database.connection.host).toBe('${POSTGRES_HOST}');
      const env = d.spec!.template.spec!.containers[0].env!;
      expect(env.find(e => e.name === 'POSTGRES_HOST')?.value).toBe(
        'postgres.example.invalid',
      );

      // The Deployment and ReplicaSet controllers create the pods, the scheduler binds them to the
      // nodes kwok simulates (annotated kwok.x-k8s.io/node=fake); kwok reports them running.
      const selector = 'app.kubernetes.io/instance=kubemate-portal';
      const bound = async (n: number) =>
        waitFor(
          `${n} portal pods bound to kwok nodes`,
          async () => {
            const pods = (
              await core.listNamespacedPod({
                namespace: ns,
                labelSelector: selector,
              })
            ).items.filter(p => !p.metadata?.deletionTimestamp);
            return pods.length === n && pods.every(p => p.spec?.nodeName)
              ? pods
              : undefined;
          },
          STEP_TIMEOUT,
        );
      const pods: V1Pod[] = await bound(2);
      for (const p of pods) {
        const node = await core.readNode({ name: p.spec!.nodeName! });
        expect(node.metadata?.annotations?.['kwok.x-k8s.io/node']).toBe('fake');
      }
      const before =
        d.spec!.template.metadata!.annotations!['checksum/app-config'];

      // HA values: the HPA (min 3) takes over the replica count; the new overlay rolls the pods
      await helmOk(
        [
          'upgrade',
          RELEASE,
          PORTAL_CHART,
          '-n',
          ns,
          '--wait=false',
          '-f',
          HA_VALUES,
        ],
        kubeconfig,
      );
      const hpa = await autoscaling.readNamespacedHorizontalPodAutoscaler({
        name: RELEASE,
        namespace: ns,
      });
      expect(hpa.spec).toMatchObject({ minReplicas: 3, maxReplicas: 10 });
      expect(
        (
          await policy.readNamespacedPodDisruptionBudget({
            name: RELEASE,
            namespace: ns,
          })
        ).spec?.minAvailable,
      ).toBe(2);
      const ingHa = await net.readNamespacedIngress({
        name: RELEASE,
        namespace: ns,
      });
      expect(ingHa.spec?.tls?.[0].secretName).toBe('portal-example-com-tls');
      const d2 = await apps.readNamespacedDeployment({
        name: RELEASE,
        namespace: ns,
      });
      expect(
        d2.spec!.template.metadata!.annotations!['checksum/app-config'],
      ).not.toBe(before);
      // the HPA controller raises the Deployment to its minimum (no metrics needed for that)
      await waitFor(
        'the HPA to scale the Deployment to 3',
        async () =>
          (
            await apps.readNamespacedDeployment({
              name: RELEASE,
              namespace: ns,
            })
          ).spec?.replicas === 3,
        STEP_TIMEOUT,
      );

      const status = await helmOk(
        ['status', RELEASE, '-n', ns, '-o', 'json'],
        kubeconfig,
      );
      expect(JSON.parse(status).info.status).toBe('deployed');
      await helmOk(['uninstall', RELEASE, '-n', ns, '--wait'], kubeconfig);
      await expect(
        apps.readNamespacedDeployment({ name: RELEASE, namespace: ns }),
      ).rejects.toThrow(/404|not found/i);
      await expect(
        core.readNamespacedConfigMap({
          name: `${RELEASE}-app-config`,
          namespace: ns,
        }),
      ).rejects.toThrow(/404|not found/i);
    },
    4 * STEP_TIMEOUT,
  );
});

describe('kubemate-target in prod-cluster', () => {
  it(
    'its ServiceAccount may impersonate and read, not delete nodes; its token acts as a portal user',
    async () => {
      const kubeconfig = adminKubeconfig(PROD);
      await createNamespace(PROD, targetNs);
      await helmOk(
        [
          'install',
          targetRelease,
          TARGET_CHART,
          '-n',
          targetNs,
          '--wait=false',
        ],
        kubeconfig,
      );
      const kc = stack.kubeConfigFor(PROD, 'admin');
      const authz = kc.makeApiClient(AuthorizationV1Api);
      const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
      const core = kc.makeApiClient(CoreV1Api);

      const sa = `system:serviceaccount:${targetNs}:kubemate-portal`;
      const saGroups = [
        'system:serviceaccounts',
        `system:serviceaccounts:${targetNs}`,
        'system:authenticated',
      ];
      const can = async (
        user: string,
        attrs: {
          verb: string;
          resource: string;
          group?: string;
          namespace?: string;
        },
      ) =>
        (
          await authz.createSubjectAccessReview({
            body: {
              spec: {
                user,
                groups: saGroups,
                resourceAttributes: {
                  verb: attrs.verb,
                  resource: attrs.resource,
                  group: attrs.group ?? '',
                  namespace: attrs.namespace,
                },
              },
            },
          })
        ).status?.allowed ?? false;

      expect(await can(sa, { verb: 'impersonate', resource: 'users' })).toBe(
        true,
      );
      expect(await can(sa, { verb: 'impersonate', resource: 'groups' })).toBe(
        true,
      );
      expect(
        await can(sa, { verb: 'impersonate', resource: 'serviceaccounts' }),
      ).toBe(true);
      expect(
        await can(sa, { verb: 'list', resource: 'deployments', group: 'apps' }),
      ).toBe(true);
      expect(await can(sa, { verb: 'delete', resource: 'nodes' })).toBe(false);
      expect(
        await can(sa, {
          verb: 'create',
          resource: 'pods',
          namespace: 'default',
        }),
      ).toBe(false);
      expect(
        await can(sa, {
          verb: 'update',
          resource: 'secrets',
          namespace: 'default',
        }),
      ).toBe(false);
      const sync = `system:serviceaccount:${targetNs}:kubemate-rbac-sync`;
      expect(
        await can(sync, {
          verb: 'bind',
          resource: 'clusterroles',
          group: 'rbac.authorization.k8s.io',
        }),
      ).toBe(true);
      expect(await can(sync, { verb: 'delete', resource: 'nodes' })).toBe(
        false,
      );
      const roles = await rbac.listClusterRole({
        labelSelector: `app.kubernetes.io/instance=${targetRelease}`,
      });
      expect(roles.items.map(r => r.metadata?.name).sort()).toEqual([
        `${targetRelease}-portal`,
        `${targetRelease}-provisioner`,
        `${targetRelease}-rbac-sync`,
      ]);

      // The real token controller issues the token into the chart's Secret.
      const token = await waitFor(
        "the portal ServiceAccount's token",
        async () => {
          const s = await core.readNamespacedSecret({
            name: `${targetRelease}-portal-token`,
            namespace: targetNs,
          });
          const t = s.data?.token;
          return t ? Buffer.from(t, 'base64').toString('utf8') : undefined;
        },
        STEP_TIMEOUT,
      );
      // as itself: reads namespaces, may not delete a node (a dry run: nothing would be deleted)
      const list = await apiRequest(
        PROD,
        'GET',
        '/api/v1/namespaces?limit=1',
        token,
      );
      expect(list.status).toBe(200);
      const nodes = JSON.parse(
        (await apiRequest(PROD, 'GET', '/api/v1/nodes?limit=1', token)).body,
      );
      const nodeName = nodes.items[0].metadata.name;
      const del = await apiRequest(
        PROD,
        'DELETE',
        `/api/v1/nodes/${nodeName}?dryRun=All`,
        token,
      );
      expect(del.status).toBe(403);
      // impersonating a portal user: the apiserver authenticates the request as that user
      const who = await apiRequest(
        PROD,
        'POST',
        '/apis/authentication.k8s.io/v1/selfsubjectreviews',
        token,
        {
          'Impersonate-User': 'kubemate:user:helm-test',
          'Impersonate-Group': 'kubemate:group:team-helm-test',
        },
        {
          apiVersion: 'authentication.k8s.io/v1',
          kind: 'SelfSubjectReview',
        },
      );
      expect(who.status).toBe(201);
      expect(JSON.parse(who.body).status.userInfo).toMatchObject({
        username: 'kubemate:user:helm-test',
        groups: expect.arrayContaining(['kubemate:group:team-helm-test']),
      });
      // ... and has only that user's rights (none here)
      const asUser = await apiRequest(
        PROD,
        'GET',
        '/api/v1/namespaces?limit=1',
        token,
        { 'Impersonate-User': 'kubemate:user:helm-test' },
      );
      expect(asUser.status).toBe(403);
      expect(asUser.body).toContain('kubemate:user:helm-test');

      await helmOk(
        ['uninstall', targetRelease, '-n', targetNs, '--wait'],
        kubeconfig,
      );
      const left = await rbac.listClusterRole({
        labelSelector: `app.kubernetes.io/instance=${targetRelease}`,
      });
      expect(left.items).toEqual([]);
    },
    2 * STEP_TIMEOUT,
  );
});

describe('bad values fail with a message', () => {
  it.each([
    [
      'replicaCount: two',
      PORTAL_CHART,
      ['--set', 'replicaCount=two'],
      /at '\/replicaCount': got string, want integer/,
    ],
    [
      'replicaCount 3 without a database',
      PORTAL_CHART,
      ['--set', 'replicaCount=3', '--set', 'database.host='],
      /PostgreSQL is required when replicaCount > 1: set database\.host/,
    ],
    [
      'autoscaling without a database',
      PORTAL_CHART,
      [
        '--set',
        'replicaCount=1',
        '--set',
        'autoscaling.enabled=true',
        '--set',
        'database.host=',
      ],
      /PostgreSQL is required when autoscaling\.enabled/,
    ],
    [
      'an invalid ingress host',
      PORTAL_CHART,
      ['--set', 'ingress.host=Not_A_Host!'],
      /at '\/ingress\/host': 'Not_A_Host!' does not match pattern/,
    ],
    [
      'an OIDC metadata URL that is not a URL',
      PORTAL_CHART,
      ['--set', 'auth.oidc.metadataUrl=sso'],
      /at '\/auth\/oidc\/metadataUrl'/,
    ],
    [
      'a PDB that blocks every eviction',
      PORTAL_CHART,
      ['--set', 'podDisruptionBudget.minAvailable=2'],
      /podDisruptionBudget\.minAvailable \(2\) must be less than the replicas \(2\)/,
    ],
    [
      'a cluster without its CA',
      PORTAL_CHART,
      [
        '--set',
        'clusters[0].name=prod',
        '--set',
        'clusters[0].url=https://prod.example.com:6443',
        '--set',
        'clusters[0].existingSecret=prod-token',
      ],
      /clusters\[0\] \(prod\): set caData/,
    ],
    [
      'kubemate-target: a subject of an unknown kind',
      TARGET_CHART,
      [
        '--set',
        'portal.extraSubjects[0].kind=Robot',
        '--set',
        'portal.extraSubjects[0].name=r2',
      ],
      /at '\/portal\/extraSubjects\/0\/kind': value must be one of 'User', 'Group'/,
    ],
  ])(
    '%s',
    async (_name, chart, extra, message) => {
      const r = await helm(['template', 'bad', chart, ...extra]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
    },
    STEP_TIMEOUT,
  );
});

/** psql on the stack's PostgreSQL (the Debian client), as the stack's user. */
function psql(database: string, sql: string): Promise<string> {
  const pg = stack.postgres!;
  return new Promise((resolvePromise, reject) => {
    execFile(
      'psql',
      [
        ...[
          '-h',
          pg.host,
          '-p',
          String(pg.port),
          '-U',
          pg.user,
          '-d',
          database,
        ],
        ...['-At', '-v', 'ON_ERROR_STOP=1', '-c', sql],
      ],
      {
        env: { ...process.env, PGPASSWORD: pg.password },
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`psql: ${stderr}`)) : resolvePromise(stdout),
    );
  });
}

describe('the rendered configuration boots the portal', () => {
  const port = 7037; // clear of a running dev portal (7007)
  const baseUrl = `http://localhost:${port}`;
  const prefix = `kubemate_helmtest_${id}_`;
  let proc: ChildProcess | undefined;
  const output: string[] = [];

  afterAll(async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise(r => proc!.once('exit', r));
      proc.kill('SIGTERM');
      await Promise.race([exited, new Promise(r => setTimeout(r, 20_000))]);
      if (proc.exitCode === null && proc.signalCode === null)
        proc.kill('SIGKILL');
    }
    if (stack?.postgres) {
      const dbs = await psql(
        'postgres',
        `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%'`,
      ).catch(() => '');
      for (const db of dbs.split('\n').filter(Boolean)) {
        await psql(
          'postgres',
          `DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`,
        ).catch(() => undefined);
      }
    }
  }, STEP_TIMEOUT);

  it(
    'the built backend starts with the overlay and env of the render, on PostgreSQL',
    async () => {
      const inUse = await fetch(
        `${baseUrl}/.backstage/health/v1/liveness`,
      ).then(
        () => true,
        () => false,
      );
      if (inUse) throw new Error(`${baseUrl} is already in use`);
      const pg = stack.postgres!;
      const dev = stack.cluster(DEV);
      const objs = await render(PORTAL_CHART, RELEASE, [
        '--set',
        `baseUrl=${baseUrl}`,
        '--set',
        `database.host=${pg.host}`,
        '--set',
        `database.port=${pg.port}`,
        '--set',
        `database.user=${pg.user}`,
        // nothing listens there: the OIDC provider reads its metadata at sign-in, not at start
        '--set',
        'auth.oidc.metadataUrl=http://127.0.0.1:9/.well-known/openid-configuration',
        '--set',
        'auth.automation.existingSecret=kubemate-automation',
        '--set-json',
        `clusters=${JSON.stringify([
          {
            name: DEV,
            url: dev.url,
            caData: dev.caData,
            existingSecret: 'kubemate-dev-cluster',
            // no rbacSync: this backend must not reconcile dev-cluster's RBAC under the dev portal
          },
        ])}`,
        '--set-json',
        `extraAppConfig=${JSON.stringify({
          backend: { database: { prefix } },
        })}`,
      ]);
      // the Secrets the chart references, as the kubelet would resolve them
      const secrets: Record<string, string> = {
        'kubemate-postgresql/password': pg.password,
        'kubemate-oidc/clientSecret': 'unused',
        'kubemate-automation/token': randomBytes(16).toString('hex'),
        'kubemate-dev-cluster/token': dev.tokens.portal,
      };
      const container = find(objs, 'Deployment').spec.template.spec
        .containers[0];
      const env: Record<string, string> = {};
      for (const e of container.env) {
        if (e.valueFrom) {
          const ref = e.valueFrom.secretKeyRef;
          const v = secrets[`${ref.name}/${ref.key}`];
          if (v === undefined)
            throw new Error(`no test value for ${ref.name}/${ref.key}`);
          env[e.name] = v;
        } else env[e.name] = e.value;
      }
      const overlayFile = join(helmHome, 'app-config.chart.yaml');
      writeFileSync(
        overlayFile,
        find(objs, 'ConfigMap').data!['app-config.chart.yaml'],
      );
      const [cmd, ...args] = container.command as string[];
      expect(cmd).toBe('node');
      const argv = args.map(a =>
        a === '/etc/kubemate/app-config.chart.yaml' ? overlayFile : a,
      );

      await new Promise<void>((resolvePromise, reject) =>
        execFile(
          'bash',
          [resolve(repoRoot, 'deploy/test/build-backend.sh')],
          { timeout: 10 * 60_000 },
          error => (error ? reject(error) : resolvePromise()),
        ),
      );
      // the image's working directory is the repository root (/app)
      proc = spawn(process.execPath, argv, {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: helmHome,
          ...env,
          // the only change to the render: the port (production listens on :7007)
          APP_CONFIG_backend_listen: `:${port}`,
        },
      });
      proc.stdout!.on('data', d => output.push(String(d)));
      proc.stderr!.on('data', d => output.push(String(d)));
      await waitFor(
        'the backend started from the render to be ready',
        async () => {
          if (proc!.exitCode !== null) {
            throw new Error(`backend exited:\n${output.join('').slice(-4000)}`);
          }
          const res = await fetch(
            `${baseUrl}/.backstage/health/v1/readiness`,
          ).catch(() => undefined);
          return res?.ok;
        },
        STEP_TIMEOUT,
      );
      const log = output.join('');
      expect(log).toContain('Configuring auth provider: oidc');
      // its plugin databases, under the chart's settings, and the catalog of the production paths
      const dbs = (
        await psql(
          'postgres',
          `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}%' ORDER BY 1`,
        )
      )
        .split('\n')
        .filter(Boolean);
      expect(dbs).toEqual(
        expect.arrayContaining([`${prefix}catalog`, `${prefix}auth`]),
      );
      const groups = await waitFor(
        'the catalog to ingest catalog/org.yaml',
        async () => {
          const n = Number(
            (
              await psql(
                `${prefix}catalog`,
                'SELECT count(*) FROM final_entities WHERE final_entity LIKE \'%"kind":"Group"%\'',
              )
            ).trim(),
          );
          return n > 0 ? n : undefined;
        },
        STEP_TIMEOUT,
      );
      expect(groups).toBeGreaterThan(0);
      expect(log).not.toMatch(/catalog\/org\.yaml does not exist/);
    },
    4 * STEP_TIMEOUT,
  );
});
