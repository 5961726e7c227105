/*
 * Integration test of the "Kubemate service" golden path (templates/kubemate-service and the
 * kubemate:* actions of plugins/scaffolder-backend-module-kubemate) on the REAL backend process,
 * the REAL clusters of deploy/dev (kube-apiserver + etcd with RBAC; the provisioner identity of
 * the seed) and the REAL local Git host (git http-backend): the template runs through the
 * scaffolder API as alice; everything it creates is read back from the apiservers, the Git host
 * and the catalog; a second run changes nothing; bad parameters are refused before anything
 * exists; a namespace outside alice's scope is refused before anything exists.
 * Push triggers on the REAL Tekton Triggers of the stack (controller, core interceptors, one
 * eventlistenersink per EventListener behind the gateway): a `git push` to a repository the
 * template made starts a PipelineRun with that commit; unsigned or badly signed events start
 * nothing (the github interceptor stops them).
 */
import { execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  DevStack,
  DevStackListener,
  repoRoot,
  requireStack,
  waitFor,
} from '@kubemate/dev-stack';
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
const PUSHED = `payments-push-${suffix}`;

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
/** Where the Git host sends a listener's events (the gateway URL the stack configured). */
const listenerUrl = (cluster: string, namespace: string, name: string) =>
  stack
    .tekton!.triggers!.gateway.listenerUrl.replace('{cluster}', cluster)
    .replace('{namespace}', namespace)
    .replace('{name}', name);

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
    out[`${ns}/webhook-secret`] = (
      await c.core.readNamespacedSecret({
        name: `${SERVICE}-webhook`,
        namespace: ns,
      })
    ).metadata?.resourceVersion;
    out[`${ns}/listener-rolebinding`] = (
      await c.rbac.readNamespacedRoleBinding({
        name: `${SERVICE}-listener`,
        namespace: ns,
      })
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
  for (const svc of [SERVICE, FOREIGN, DRY, PUSHED]) {
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
  stack = await requireStack({ only: ['kubernetes', 'git', 'triggers'] });
  if (!stack.git)
    throw new Error('the dev stack has no Git host (stack.sh up --only git)');
  if (!stack.tekton?.triggers)
    throw new Error(
      'the dev stack has no Tekton Triggers (stack.sh up --only triggers)',
    );
  await assertPortFree(BASE);
  buildBackend();
  backend = await startBuiltBackend({
    baseUrl: BASE,
    configs: [
      resolve(repoRoot, 'app-config.yaml'),
      stack.appConfigFile,
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
        'kubemate.io/team': 'payments',
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
      // container defaults, without which the quota refuses the pipeline's pods
      const limits = await c.core.readNamespacedLimitRange({
        name: 'kubemate-container-defaults',
        namespace: ns,
      });
      expect(limits.spec?.limits).toEqual([
        {
          type: 'Container',
          _default: { cpu: '500m', memory: '512Mi' },
          defaultRequest: { cpu: '100m', memory: '128Mi' },
        },
      ]);
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
        interceptors: [
          {
            ref: { name: 'github' },
            params: expect.arrayContaining([
              {
                name: 'secretRef',
                value: { secretName: `${SERVICE}-webhook`, secretKey: 'token' },
              },
            ]),
          },
          { ref: { name: 'cel' } },
        ],
      });
      expect(listener.spec.serviceAccountName).toBe(`${SERVICE}-listener`);
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
    // each environment's listener has its push webhook on the repository
    const hooks = await (
      await fetch(`${stack.git!.url}/api/repos/${SERVICE}/hooks`)
    ).json();
    expect(hooks.hooks.map((h: any) => h.url).sort()).toEqual([
      listenerUrl('dev-cluster', `${SERVICE}-dev`, `${SERVICE}-listener`),
      listenerUrl('prod-cluster', `${SERVICE}-prod`, `${SERVICE}-listener`),
    ]);

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
    expect(
      second.log.filter(l => /unchanged: push webhook/.test(l)),
    ).toHaveLength(2);
  });
});

const PIPELINERUNS = {
  group: 'tekton.dev',
  version: 'v1',
  plural: 'pipelineruns',
};

/** The PipelineRuns the push listener of PUSHED started, by their `revision` param. */
async function pushedRuns(): Promise<Map<string, any>> {
  const list: any = await k8s('dev-cluster').custom.listNamespacedCustomObject({
    ...PIPELINERUNS,
    namespace: `${PUSHED}-dev`,
    labelSelector: `triggers.tekton.dev/eventlistener=${PUSHED}-listener`,
  });
  return new Map(
    list.items.map((r: any) => [
      r.spec.params.find((p: any) => p.name === 'revision')?.value,
      r,
    ]),
  );
}

/** A push event body as the Git host sends it, for a commit that does not exist. */
const pushBody = (after: string) =>
  JSON.stringify({
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after,
    created: false,
    deleted: false,
    repository: {
      name: PUSHED,
      clone_url: `${stack.git!.url}/git/${PUSHED}.git`,
    },
    head_commit: { id: after, message: 'forged' },
  });

describe('push triggers of a service made by the template', () => {
  let listener: DevStackListener;

  beforeAll(async () => {
    const run = await runTemplate(
      values({ name: PUSHED, environments: ['dev'], gpu: 0 }),
    );
    if (run.status !== 'completed')
      throw new Error(`the template failed: ${run.log.join('\n')}`);
    // the Triggers controller made the listener's Deployment; the gateway runs its sink
    listener = await waitFor(
      `the sink of ${PUSHED}-listener`,
      async () => {
        const r = await fetch(
          `${stack.tekton!.triggers!.gateway.url}/api/listeners`,
        );
        const { listeners } = (await r.json()) as {
          listeners: DevStackListener[];
        };
        return listeners.find(
          l =>
            l.cluster === 'dev-cluster' &&
            l.namespace === `${PUSHED}-dev` &&
            l.name === `${PUSHED}-listener` &&
            l.ready,
        );
      },
      120_000,
      1000,
    );
  });

  it("a git push starts the service's pipeline with that commit and branch", async () => {
    expect(listener.serviceAccount).toBe(`${PUSHED}-listener`);
    const remote = `${stack.git!.url}/git/${PUSHED}.git`;
    const dir = mkdtempSync(join(tmpdir(), 'kubemate-push-'));
    try {
      const git = (...args: string[]) =>
        execFileSync('git', args, {
          cwd: dir,
          encoding: 'utf8',
          stdio: 'pipe',
          env: {
            ...process.env,
            GIT_AUTHOR_NAME: 'Alice',
            GIT_AUTHOR_EMAIL: 'alice@kubemate.local',
            GIT_COMMITTER_NAME: 'Alice',
            GIT_COMMITTER_EMAIL: 'alice@kubemate.local',
          },
        }).trim();
      git('clone', '--quiet', remote, '.');
      writeFileSync(
        join(dir, 'CHANGELOG.md'),
        '# Changelog\n\n- first change\n',
      );
      git('add', 'CHANGELOG.md');
      git('commit', '--quiet', '-m', 'Add a changelog');
      const sha = git('rev-parse', 'HEAD');
      git('push', '--quiet', 'origin', 'main');

      const run = await waitFor(
        `a PipelineRun of ${PUSHED}-ci with revision ${sha}`,
        async () => (await pushedRuns()).get(sha),
        90_000,
        1000,
      );
      expect(run.spec.pipelineRef).toEqual({ name: `${PUSHED}-ci` });
      expect(
        Object.fromEntries(run.spec.params.map((p: any) => [p.name, p.value])),
      ).toEqual({
        revision: sha,
        branch: 'main',
        'repo-url': remote,
        'image-tag': sha,
      });
      expect(run.metadata.labels).toMatchObject({
        'backstage.io/kubernetes-id': PUSHED,
        'triggers.tekton.dev/trigger': 'on-push',
      });
      // the Git host got the sink's answer for that delivery
      const { deliveries } = await (
        await fetch(`${stack.git!.url}/api/repos/${PUSHED}/hooks/deliveries`)
      ).json();
      expect(deliveries.find((d: any) => d.after === sha)).toMatchObject({
        event: 'push',
        url: listener.url,
        status: 202,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unsigned or badly signed push event starts nothing', async () => {
    const post = async (after: string, headers: Record<string, string>) => {
      const res = await fetch(listener.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-GitHub-Event': 'push',
          ...headers,
        },
        body: pushBody(after),
      });
      // Tekton's sink accepts every event (202 + its id) and runs the triggers after answering
      expect(res.status).toBe(202);
      return (await res.json()).eventID as string;
    };
    const sign = (secret: string, body: string) =>
      `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const fake = () => randomBytes(20).toString('hex');
    const secret = Buffer.from(
      (
        await k8s('dev-cluster').core.readNamespacedSecret({
          name: `${PUSHED}-webhook`,
          namespace: `${PUSHED}-dev`,
        })
      ).data!.token,
      'base64',
    ).toString('utf8');

    const unsigned = fake();
    const badlySigned = fake();
    const tampered = fake();
    const stopped = [
      {
        after: unsigned,
        eventId: await post(unsigned, {}),
        reason: 'no X-Hub-Signature-256 header set',
      },
      {
        after: badlySigned,
        eventId: await post(badlySigned, {
          'X-Hub-Signature-256': sign('not-the-secret', pushBody(badlySigned)),
        }),
        reason: 'payload signature check failed',
      },
      {
        // signed with the right secret, but for another body
        after: tampered,
        eventId: await post(tampered, {
          'X-Hub-Signature-256': sign(secret, pushBody(fake())),
        }),
        reason: 'payload signature check failed',
      },
    ];
    // the sink logs each event the github interceptor stopped, with the event id and the reason;
    // after that line it creates nothing for the event
    const sinkLog = listener.log;
    for (const s of stopped) {
      const line = await waitFor(
        `the sink's log of event ${s.eventId}`,
        async () =>
          readFileSync(sinkLog, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map(l => {
              try {
                return JSON.parse(l);
              } catch {
                return {};
              }
            })
            .find(
              (l: any) =>
                Object.values(l).includes(s.eventId) &&
                String(l.message).startsWith(
                  'interceptor stopped trigger processing',
                ),
            ),
        30_000,
      );
      expect(line.message).toContain(s.reason);
    }
    const runs = await pushedRuns();
    for (const s of stopped) expect(runs.has(s.after)).toBe(false);

    // the same event signed with the listener's secret does start the pipeline
    const signed = fake();
    await post(signed, {
      'X-Hub-Signature-256': sign(secret, pushBody(signed)),
    });
    await waitFor(
      `a PipelineRun with revision ${signed}`,
      async () => (await pushedRuns()).get(signed),
      60_000,
      1000,
    );
  });
});
