/*
 * Integration test of the "Kubemate service" golden path (templates/kubemate-service and the
 * kubemate:* actions of plugins/scaffolder-backend-module-kubemate) on the REAL backend process,
 * the REAL clusters of deploy/dev (kube-apiserver + etcd with RBAC; the provisioner identity of
 * the seed) and the REAL local Git host (git http-backend): the template runs through the
 * scaffolder API as alice; everything it creates is read back from the apiservers, the Git host
 * and the catalog; a second run changes nothing; bad parameters are refused before anything
 * exists; a namespace outside alice's scope is refused before anything exists.
 */
import { randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevStack, repoRoot, requireStack, waitFor } from '@kubemate/dev-stack';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  RbacAuthorizationV1Api,
} from '@kubernetes/client-node';
import {
  assertPortFree,
  BuiltBackend,
  backendApi,
  buildBackend,
  signIn as signInAt,
  startBuiltBackend,
  stopBackend,
} from './__testUtils__/builtBackend';

jest.setTimeout(10 * 60_000);

const BASE = 'http://localhost:7057';
const INSTANCE = 'kubemate-st';
const TEMPLATE = 'template:default/kubemate-service';
const suffix = randomBytes(3).toString('hex');
const SERVICE = `payments-st-${suffix}`;
const FOREIGN = `risk-st-${suffix}`;
const DRY = `payments-dry-${suffix}`;

let stack: DevStack;
let backend: BuiltBackend | undefined;
let alice: string;
let admin: string;

const k8s = (cluster: string) => {
  const kc = stack.kubeConfigFor(cluster, 'admin');
  return {
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
  };
};
const absent = (p: Promise<unknown>) =>
  p.then(
    () => false,
    e => e?.code === 404,
  );

const api = backendApi(BASE);

const values = (overrides: Record<string, unknown> = {}) => ({
  name: SERVICE,
  description: 'Ledger of the payments team (integration test)',
  owner: 'group:default/team-payments',
  runtime: 'go',
  environments: ['dev', 'prod'],
  cpu: '2',
  memory: '4Gi',
  gpu: 1,
  ...overrides,
});

/** Runs the template as alice and waits for the task to end; returns status and log lines. */
async function runTemplate(v: Record<string, unknown>) {
  const created = await api('POST', '/api/scaffolder/v2/tasks', alice, {
    templateRef: TEMPLATE,
    values: v,
  });
  expect([created.status, created.body]).toEqual([
    201,
    { id: expect.any(String) },
  ]);
  const id = created.body.id;
  const status = await waitFor(
    `scaffolder task ${id}`,
    async () => {
      const t = await api('GET', `/api/scaffolder/v2/tasks/${id}`, alice);
      return ['completed', 'failed', 'cancelled'].includes(t.body.status)
        ? t.body.status
        : undefined;
    },
    5 * 60_000,
    1000,
  );
  const events = await api(
    'GET',
    `/api/scaffolder/v2/tasks/${id}/events`,
    alice,
  );
  const log: string[] = events.body
    .filter((e: any) => e.type === 'log')
    .map((e: any) => `${e.body.stepId ?? ''}: ${e.body.message}`);
  const completion = events.body.find((e: any) => e.type === 'completion');
  return {
    status: status as string,
    log,
    output: completion?.body?.output ?? {},
  };
}

/** resourceVersions of everything the template applies, to prove a second run changes nothing. */
async function versions() {
  const out: Record<string, string | undefined> = {};
  for (const [cluster, env] of [
    ['dev-cluster', 'dev'],
    ['prod-cluster', 'prod'],
  ]) {
    const c = k8s(cluster);
    const ns = `${SERVICE}-${env}`;
    out[`${ns}/namespace`] = (
      await c.core.readNamespace({ name: ns })
    ).metadata?.resourceVersion;
    out[`${ns}/quota`] = (
      await c.core.readNamespacedResourceQuota({
        name: 'kubemate-quota',
        namespace: ns,
      })
    ).metadata?.resourceVersion;
    out[`${ns}/deployment`] = (
      await c.apps.readNamespacedDeployment({ name: SERVICE, namespace: ns })
    ).metadata?.resourceVersion;
    out[`${ns}/service`] = (
      await c.core.readNamespacedService({ name: SERVICE, namespace: ns })
    ).metadata?.resourceVersion;
    for (const [group, version, plural, name] of [
      ['tekton.dev', 'v1', 'pipelines', `${SERVICE}-ci`],
      ['triggers.tekton.dev', 'v1beta1', 'triggertemplates', `${SERVICE}-run`],
      ['triggers.tekton.dev', 'v1beta1', 'triggerbindings', `${SERVICE}-push`],
      [
        'triggers.tekton.dev',
        'v1beta1',
        'eventlisteners',
        `${SERVICE}-listener`,
      ],
    ]) {
      const o: any = await c.custom.getNamespacedCustomObject({
        group,
        version,
        namespace: ns,
        plural,
        name,
      });
      out[`${ns}/${plural}`] = o.metadata.resourceVersion;
    }
  }
  return out;
}

async function cleanUp() {
  for (const svc of [SERVICE, FOREIGN, DRY]) {
    for (const [cluster, env] of [
      ['dev-cluster', 'dev'],
      ['dev-cluster', 'staging'],
      ['prod-cluster', 'prod'],
    ]) {
      await k8s(cluster)
        .core.deleteNamespace({ name: `${svc}-${env}` })
        .catch(() => undefined);
    }
    if (stack.git)
      rmSync(join(stack.git.reposDir, `${svc}.git`), {
        recursive: true,
        force: true,
      });
  }
}

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes', 'git'] });
  if (!stack.git)
    throw new Error('the dev stack has no Git host (stack.sh up --only git)');
  await assertPortFree(BASE);
  buildBackend();
  backend = await startBuiltBackend({
    baseUrl: BASE,
    configs: [
      resolve(repoRoot, 'app-config.yaml'),
      stack.appConfig,
      resolve(repoRoot, 'deploy/test/app-config.scaffolder-test.yaml'),
    ],
    env: {
      KUBEMATE_DATA_DIR: mkdtempSync(
        join(tmpdir(), 'kubemate-scaffolder-test-'),
      ),
    },
  });
  alice = await signInAt(BASE, 'alice');
  admin = await signInAt(BASE, 'admin');
  // the template is a catalog entity: wait until the catalog has ingested it
  await waitFor('the kubemate-service template in the catalog', async () => {
    const r = await api(
      'GET',
      '/api/catalog/entities/by-name/template/default/kubemate-service',
      alice,
    );
    return r.status === 200;
  });
});

afterAll(async () => {
  if (backend) {
    await api('DELETE', `/api/rbac/roles/${SERVICE}-team`, admin).catch(
      () => undefined,
    );
  }
  await stopBackend(backend);
  if (stack) await cleanUp();
});

/** The template directory as the dry-run API takes it (what the template editor uploads). */
function directoryContents(
  dir: string,
  prefix = '',
): Array<{ path: string; base64Content: string }> {
  return readdirSync(dir).flatMap(name => {
    const full = join(dir, name);
    const path = prefix ? `${prefix}/${name}` : name;
    return statSync(full).isDirectory()
      ? directoryContents(full, path)
      : [{ path, base64Content: readFileSync(full).toString('base64') }];
  });
}

describe('the Kubemate service template through the scaffolder API', () => {
  it('dry-runs every step against the real apiservers and stores nothing', async () => {
    const template = await api(
      'GET',
      '/api/catalog/entities/by-name/template/default/kubemate-service',
      admin,
    );
    const res = await api('POST', '/api/scaffolder/v2/dry-run', admin, {
      template: template.body,
      values: values({ name: DRY }),
      directoryContents: directoryContents(
        resolve(repoRoot, 'templates/kubemate-service'),
      ),
    });
    expect(res.status).toBe(200);
    const log: string[] = res.body.log.map(
      (l: any) => `${l.body.stepId ?? ''}: ${l.body.message}`,
    );
    for (const action of [
      'kubemate:namespace:ensure',
      'kubemate:quota:apply',
      'kubemate:tekton:pipeline',
      'kubemate:deployment:apply',
    ]) {
      expect(log).toContainEqual(
        expect.stringMatching(
          new RegExp(
            `${action}: created \\d+, .*\\(dry run: nothing was stored\\)`,
          ),
        ),
      );
    }
    expect(log).toContainEqual(
      expect.stringContaining(
        `dry run: would publish to ${stack.git!.url}/git/${DRY}.git`,
      ),
    );
    // the rendered skeleton comes back, and nothing exists anywhere
    expect(res.body.directoryContents.map((f: any) => f.path)).toEqual(
      expect.arrayContaining(['catalog-info.yaml', 'main.go']),
    );
    expect(
      await absent(
        k8s('dev-cluster').core.readNamespace({ name: `${DRY}-dev` }),
      ),
    ).toBe(true);
    expect(
      await absent(
        k8s('prod-cluster').core.readNamespace({ name: `${DRY}-prod` }),
      ),
    ).toBe(true);
    expect(
      (await fetch(`${stack.git!.url}/raw/${DRY}/main/catalog-info.yaml`))
        .status,
    ).toBe(404);
    expect(
      (await api('GET', `/api/rbac/roles/${DRY}-team`, admin)).status,
    ).toBe(404);
  });

  it('refuses bad parameters before anything is created', async () => {
    for (const bad of [
      { name: 'Payments_Ledger' },
      { cpu: 'lots' },
      { environments: [] },
      { environments: ['qa'] },
      { gpu: 100 },
    ]) {
      const res = await api('POST', '/api/scaffolder/v2/tasks', alice, {
        templateRef: TEMPLATE,
        values: values(bad),
      });
      expect([JSON.stringify(bad), res.status]).toEqual([
        JSON.stringify(bad),
        400,
      ]);
      expect(JSON.stringify(res.body)).toMatch(
        /does not match|does not meet|is not one of|must be/,
      );
    }
    expect(
      await absent(
        k8s('dev-cluster').core.readNamespace({ name: `${SERVICE}-dev` }),
      ),
    ).toBe(true);
  });

  it("refuses a service outside alice's namespaces before anything is created", async () => {
    const run = await runTemplate(values({ name: FOREIGN }));
    expect(run.status).toBe('failed');
    expect(run.log.join('\n')).toContain(
      `You are not allowed provisioning.namespace.ensure on dev-cluster/${FOREIGN}-dev, prod-cluster/${FOREIGN}-prod`,
    );
    expect(
      await absent(
        k8s('dev-cluster').core.readNamespace({ name: `${FOREIGN}-dev` }),
      ),
    ).toBe(true);
    expect(
      await absent(
        k8s('prod-cluster').core.readNamespace({ name: `${FOREIGN}-prod` }),
      ),
    ).toBe(true);
    const repo = await fetch(
      `${stack.git!.url}/raw/${FOREIGN}/main/catalog-info.yaml`,
    );
    expect(repo.status).toBe(404);
  });

  it('provisions namespaces, quota, RBAC, pipeline, deployment, repository and entity; a second run changes nothing', async () => {
    const first = await runTemplate(values());
    expect([
      first.status,
      first.log.filter(l => /error|fail/i.test(l)),
    ]).toEqual(['completed', []]);

    for (const [cluster, env] of [
      ['dev-cluster', 'dev'],
      ['prod-cluster', 'prod'],
    ]) {
      const c = k8s(cluster);
      const ns = `${SERVICE}-${env}`;
      const namespace = await c.core.readNamespace({ name: ns });
      expect(namespace.metadata?.labels).toMatchObject({
        'kubemate.io/team': 'team-payments',
        'kubemate.io/service': SERVICE,
        'kubemate.io/environment': env,
        'app.kubernetes.io/managed-by': 'kubemate-scaffolder',
      });
      const quota = await c.core.readNamespacedResourceQuota({
        name: 'kubemate-quota',
        namespace: ns,
      });
      expect(quota.spec?.hard).toMatchObject({
        'requests.cpu': '2',
        'limits.memory': '4Gi',
        'requests.nvidia.com/gpu': '1',
      });
      const deployment = await c.apps.readNamespacedDeployment({
        name: SERVICE,
        namespace: ns,
      });
      expect(deployment.spec?.template.metadata?.annotations).toEqual({
        'linkerd.io/inject': 'enabled',
      });
      expect(
        deployment.spec?.template.metadata?.labels?.[
          'backstage.io/kubernetes-id'
        ],
      ).toBe(SERVICE);
      expect(deployment.spec?.template.spec?.containers[0].image).toBe(
        `registry.kubemate.local/${SERVICE}:latest`,
      );
      const pipeline: any = await c.custom.getNamespacedCustomObject({
        group: 'tekton.dev',
        version: 'v1',
        namespace: ns,
        plural: 'pipelines',
        name: `${SERVICE}-ci`,
      });
      expect(
        pipeline.spec.tasks.map(
          (t: any) => `${t.name}<${(t.runAfter ?? []).join(',')}`,
        ),
      ).toEqual([
        'clone<',
        'test<clone',
        'scan<clone',
        'build<test,scan',
        'deploy<build',
      ]);
      expect(pipeline.spec.tasks[1].taskSpec.steps[0].image).toBe(
        'golang:1.26',
      );
      const listener: any = await c.custom.getNamespacedCustomObject({
        group: 'triggers.tekton.dev',
        version: 'v1beta1',
        namespace: ns,
        plural: 'eventlisteners',
        name: `${SERVICE}-listener`,
      });
      expect(listener.spec.triggers[0]).toMatchObject({
        bindings: [{ ref: `${SERVICE}-push` }],
        template: { ref: `${SERVICE}-run` },
      });
      // the RBAC plugin's sync binds the owner team's members (alice) in the new namespaces
      const rb = await waitFor(
        `RoleBinding ${INSTANCE}:${SERVICE}-team in ${cluster}/${ns}`,
        () =>
          c.rbac
            .readNamespacedRoleBinding({
              name: `${INSTANCE}:${SERVICE}-team`,
              namespace: ns,
            })
            .catch(() => undefined),
      );
      expect(rb.subjects?.map(s => `${s.kind}:${s.name}`)).toEqual(
        expect.arrayContaining([`User:${INSTANCE}:user:alice`]),
      );
    }
    // no staging: only the environments asked for
    expect(
      await absent(
        k8s('dev-cluster').core.readNamespace({ name: `${SERVICE}-staging` }),
      ),
    ).toBe(true);

    // the repository on the Git host has the rendered skeleton
    const info = await fetch(
      `${stack.git!.url}/raw/${SERVICE}/main/catalog-info.yaml`,
    );
    expect(info.status).toBe(200);
    expect(await info.text()).toContain(
      `backstage.io/kubernetes-id: ${SERVICE}`,
    );
    expect(
      (await fetch(`${stack.git!.url}/raw/${SERVICE}/main/main.go`)).status,
    ).toBe(200);
    const commits = await (
      await fetch(`${stack.git!.url}/api/repos/${SERVICE}/commits`)
    ).json();
    expect(commits.commits).toHaveLength(1);

    // the entity is in the catalog, owned by the team, and its Pipelines tab has both pipelines
    const entity = await waitFor('the new entity in the catalog', async () => {
      const r = await api(
        'GET',
        `/api/catalog/entities/by-name/component/default/${SERVICE}`,
        alice,
      );
      return r.status === 200 ? r.body : undefined;
    });
    expect(entity.spec.owner).toBe('group:default/team-payments');
    const pipelines = await api(
      'GET',
      `/api/pipelines/entity/component/default/${SERVICE}/pipelines`,
      alice,
    );
    expect(pipelines.status).toBe(200);
    expect(
      pipelines.body.pipelines
        .map((p: any) => `${p.cluster}/${p.namespace}/${p.name}`)
        .sort(),
    ).toEqual([
      `dev-cluster/${SERVICE}-dev/${SERVICE}-ci`,
      `prod-cluster/${SERVICE}-prod/${SERVICE}-ci`,
    ]);

    // the role is the database role the scaffolder made, scoped to exactly the new namespaces
    const role = await api('GET', `/api/rbac/roles/${SERVICE}-team`, admin);
    expect(role.body).toMatchObject({
      source: 'database',
      createdBy: 'plugin:scaffolder',
      scope: {
        type: 'namespaces',
        namespaces: [`${SERVICE}-dev`, `${SERVICE}-prod`],
      },
      members: ['group:default/team-payments'],
    });

    // second run with the same answers: nothing changes anywhere
    const before = await versions();
    const locations = (await api('GET', '/api/catalog/locations', admin)).body
      .length;
    const second = await runTemplate(values());
    expect(second.status).toBe('completed');
    expect(second.output.links).toContainEqual(
      expect.objectContaining({ entityRef: `component:default/${SERVICE}` }),
    );
    expect(
      second.log.filter(l => /^\S+: (created|configured):/.test(l)),
    ).toEqual([]);
    expect(
      second.log.some(l => /unchanged: .*already has this content/.test(l)),
    ).toBe(true);
    expect(await versions()).toEqual(before);
    expect(
      (
        await (
          await fetch(`${stack.git!.url}/api/repos/${SERVICE}/commits`)
        ).json()
      ).commits,
    ).toHaveLength(1);
    expect(
      (await api('GET', '/api/catalog/locations', admin)).body.length,
    ).toBe(locations);
    expect(
      (await api('GET', `/api/rbac/roles/${SERVICE}-team`, admin)).body
        .updatedAt,
    ).toBe(role.body.updatedAt);
  });
});
