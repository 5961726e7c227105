/*
 * Integration test of RBAC administration (plugins/rbac-backend) on the REAL backend process and
 * the REAL clusters of deploy/dev (kube-apiserver + etcd with RBAC):
 *  1. declared roles: every demo user x every registered permission, decided by the permission
 *     backend (conditions resolved by the catalog and clusters plugins), matches what
 *     catalog/rbac-roles.yaml + the bootstrap admins say - no allow without a role;
 *  2. the REST API: 400 with a message for bad input, 403 for non-admins, 409 for declared roles,
 *     service tokens (with and without accessRestrictions), audit log with before/after;
 *  3. Kubernetes sync (second backend without role files): binding alice to payments-operator
 *     (payments-*, scale) lets her impersonated identity patch deployments/scale in payments-dev
 *     (the apiserver's 200) but not in risk-dev (the apiserver's 403); a hand-deleted RoleBinding is
 *     restored; unbinding removes the RoleBinding; unlabelled objects are never touched.
 * Test instance isolation: see deploy/test/app-config.rbac-test.yaml.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { DevStack, repoRoot, requireStack, waitFor } from '@kubemate/dev-stack';
import { cleanUpRbacInstance } from './__testUtils__/rbacInstance';
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import {
  BuiltBackend,
  backendApi,
  assertPortFree,
  buildBackend,
  signIn as signInAt,
  startBuiltBackend,
  stopBackend,
} from './__testUtils__/builtBackend';

jest.setTimeout(10 * 60_000);

const BASE = 'http://localhost:7047';
const AUTOMATION = 'kubemate-rbac-test-automation-token-0001';
const READONLY_AUTOMATION = 'kubemate-rbac-test-readonly-token-0001';
const INSTANCE = 'kubemate-test';
const USERS = ['admin', 'alice', 'bob'];
const signIn = (user: string) => signInAt(BASE, user);

let stack: DevStack;
let backend: BuiltBackend | undefined;

/** A fresh embedded database per backend start: nothing left over from other runs. */
const freshDataDir = () => ({
  KUBEMATE_DATA_DIR: mkdtempSync(join(tmpdir(), 'kubemate-rbac-test-')),
});

function configs(extra: string[] = []) {
  return [
    resolve(repoRoot, 'app-config.yaml'),
    stack.appConfigFile,
    resolve(repoRoot, 'deploy/test/app-config.rbac-test.yaml'),
    ...extra.map(f => resolve(repoRoot, f)),
  ];
}

const api = backendApi(BASE);

// ------------------------------------------------------------------ the declared model

interface DeclaredRole {
  name: string;
  scope: { type: 'all' } | { type: 'namespaces'; namespaces: string[] };
  permissions: string[];
  members: string[];
}

const docs = (file: string) =>
  parseAllDocuments(readFileSync(resolve(repoRoot, file), 'utf8'))
    .map(d => d.toJSON())
    .filter(Boolean);

/** Independent reading of catalog/org.yaml: direct groups and group parents. */
function orgModel() {
  const org = docs('catalog/org.yaml');
  const parents = new Map<string, string | undefined>();
  const direct = new Map<string, string[]>();
  for (const e of org) {
    if (e.kind === 'Group') {
      parents.set(
        `group:default/${e.metadata.name}`,
        e.spec.parent ? `group:default/${e.spec.parent}` : undefined,
      );
    }
    if (e.kind === 'User') {
      direct.set(
        `user:default/${e.metadata.name}`,
        (e.spec.memberOf ?? []).map((g: string) => `group:default/${g}`),
      );
    }
  }
  const groupsOf = (user: string) => {
    const out = new Set<string>();
    for (const g of direct.get(user) ?? []) {
      for (
        let cur: string | undefined = g;
        cur && !out.has(cur);
        cur = parents.get(cur)
      ) {
        out.add(cur);
      }
    }
    return out;
  };
  return { groupsOf, directGroups: (u: string) => direct.get(u) ?? [] };
}

function declaredRoles(): DeclaredRole[] {
  const file = parseYaml(
    readFileSync(resolve(repoRoot, 'catalog/rbac-roles.yaml'), 'utf8'),
  );
  const appConfig = parseYaml(
    readFileSync(resolve(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  const admins: string[] = appConfig.kubemate.rbac.admins.groups;
  return [
    {
      name: 'bootstrap-admin',
      scope: { type: 'all' },
      permissions: ['*'],
      members: admins,
    },
    ...file.roles,
  ];
}

const matches = (pattern: string, ns: string) =>
  pattern.endsWith('*') ? ns.startsWith(pattern.slice(0, -1)) : pattern === ns;

/** Sample resources per resource type, with what the decision depends on. */
const CLUSTER_OBJECTS = [
  'dev-cluster/payments-dev/deployments/payments-api',
  'prod-cluster/payments-prod/pods/payments-api-0',
  'dev-cluster/risk-dev/deployments/risk-engine',
  'dev-cluster/ai-platform/deployments/docs-assistant',
  'dev-cluster/kube-system/deployments/coredns',
];
const ENTITIES: Record<string, string> = {
  'component:default/payments-api': 'group:default/team-payments',
  'component:default/risk-engine': 'group:default/team-risk',
  'component:default/docs-assistant': 'group:default/team-risk',
};

/**
 * Knowledge bases (team-owned `rag-collection`), as the refs of collections to be created for a
 * team: they name their owner without depending on what the rag plugin has stored yet.
 */
const RAG_COLLECTIONS: Record<string, string> = {
  'rag-collection:new:group:default/team-payments':
    'group:default/team-payments',
  'rag-collection:new:group:default/team-risk': 'group:default/team-risk',
  'rag-collection:new:group:default/platform-admins':
    'group:default/platform-admins',
};

/** One sample resource of the other resource types (scaffolder templates and actions). */
const OTHER_RESOURCES: Record<string, string> = {
  'scaffolder-template': 'template:default/register-component',
  'scaffolder-action': 'catalog:register',
  'scaffolder-task': '00000000-0000-4000-8000-000000000000',
};

/** The resources a permission is checked on: none for a basic permission. */
function samplesOf(
  resourceType: string | undefined,
): Array<string | undefined> {
  if (!resourceType) return [undefined];
  if (resourceType === 'clusters-object') return CLUSTER_OBJECTS;
  if (resourceType === 'catalog-entity') return Object.keys(ENTITIES);
  if (resourceType === 'rag-collection') return Object.keys(RAG_COLLECTIONS);
  const ref = OTHER_RESOURCES[resourceType];
  if (!ref)
    throw new Error(
      `no sample resource for resource type ${resourceType}: add one to OTHER_RESOURCES`,
    );
  return [ref];
}

function expectedDecision(
  user: string,
  permission: { name: string; resourceType?: string },
  resourceRef: string | undefined,
): 'ALLOW' | 'DENY' {
  const org = orgModel();
  const principals = new Set([user, ...org.groupsOf(user)]);
  const granting = declaredRoles().filter(
    r =>
      r.members.some(m => principals.has(m)) &&
      (r.permissions.includes('*') || r.permissions.includes(permission.name)),
  );
  if (!granting.length) return 'DENY';
  if (granting.some(r => r.scope.type === 'all')) return 'ALLOW';
  if (!permission.resourceType) return 'ALLOW';
  if (permission.resourceType === 'clusters-object') {
    const ns = resourceRef!.split('/')[1];
    return granting.some(
      r =>
        r.scope.type === 'namespaces' &&
        r.scope.namespaces.some(p => matches(p, ns)),
    )
      ? 'ALLOW'
      : 'DENY';
  }
  if (permission.resourceType === 'catalog-entity') {
    const claims = [user, ...org.directGroups(user)];
    return claims.includes(ENTITIES[resourceRef!]) ? 'ALLOW' : 'DENY';
  }
  if (permission.resourceType === 'rag-collection') {
    // team-owned: the user and every group it belongs to, nested ones too
    return principals.has(RAG_COLLECTIONS[resourceRef!]) ? 'ALLOW' : 'DENY';
  }
  return 'DENY';
}

// ------------------------------------------------------------------ Kubernetes helpers

/** A request as the impersonated portal identity of a demo user (through the portal's token). */
function asPortalUser(
  cluster: string,
  user: string,
  groups: string[],
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: string }> {
  const c = stack.cluster(cluster);
  const url = new URL(path, c.url);
  return new Promise((res, rej) => {
    const req = httpsRequest(
      url,
      {
        method,
        ca: Buffer.from(c.caData, 'base64'),
        headers: {
          authorization: `Bearer ${c.tokens.portal}`,
          'Impersonate-User': `${INSTANCE}:user:${user}`,
          ...(groups.length
            ? { 'Impersonate-Group': groups.map(g => `${INSTANCE}:group:${g}`) }
            : {}),
          'content-type': 'application/merge-patch+json',
        },
      },
      r => {
        let data = '';
        r.on('data', d => (data += d));
        r.on('end', () => res({ status: r.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', rej);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** Alice scales payments-api / risk-engine (server-side dry run: authorised, nothing persisted). */
const aliceScale = (cluster: string, ns: string, deployment: string) =>
  asPortalUser(
    cluster,
    'alice',
    ['team-payments', 'kubemate'],
    'PATCH',
    `/apis/apps/v1/namespaces/${ns}/deployments/${deployment}/scale?dryRun=All`,
    { spec: { replicas: 2 } },
  );

/**
 * The apiserver's RBAC authorizer reads bindings from its informer cache, which follows etcd with
 * a lag (noticeable on a loaded machine): after a binding changes, poll until the decision is the
 * expected one (or the deadline passes and the last status is reported).
 */
async function expectAliceScaleStatus(
  cluster: string,
  ns: string,
  deployment: string,
  expected: number,
) {
  let last = 0;
  await waitFor(
    `alice's scale of ${deployment} in ${cluster}/${ns} to get ${expected}`,
    async () => {
      last = (await aliceScale(cluster, ns, deployment)).status;
      return last === expected;
    },
    20_000,
    200,
  ).catch(() => undefined);
  expect(last).toBe(expected);
}

const admin = (cluster: string) => {
  const kc = stack.kubeConfigFor(cluster, 'admin');
  return {
    rbac: kc.makeApiClient(RbacAuthorizationV1Api),
    core: kc.makeApiClient(CoreV1Api),
  };
};

async function cleanUpInstance() {
  await cleanUpRbacInstance(stack, INSTANCE, `${INSTANCE}-users`);
  for (const c of stack.clusters) {
    const { rbac } = admin(c.name);
    await rbac
      .deleteNamespacedRoleBinding({
        name: `${INSTANCE}:foreign`,
        namespace: 'payments-dev',
      })
      .catch(() => undefined);
  }
}

beforeAll(async () => {
  stack = await requireStack({ only: ['kubernetes'] });
  await assertPortFree(BASE);
  buildBackend();
  await cleanUpInstance();
});

afterAll(async () => {
  await stopBackend(backend);
  if (stack) await cleanUpInstance();
});

describe('declared roles (catalog/rbac-roles.yaml + bootstrap admins)', () => {
  let tokens: Record<string, string>;
  let permissions: Array<{
    name: string;
    pluginId: string;
    resourceType?: string;
    action?: string;
  }>;

  beforeAll(async () => {
    backend = await startBuiltBackend({
      baseUrl: BASE,
      configs: configs(),
      env: freshDataDir(),
    });
    tokens = Object.fromEntries(
      await Promise.all(USERS.map(async u => [u, await signIn(u)])),
    );
    const res = await api('GET', '/api/rbac/permissions', tokens.admin);
    if (res.status !== 200 || res.body.unavailable.length) {
      throw new Error(
        `the permission catalogue is incomplete: ${res.status} ${JSON.stringify(
          res.body,
        )}`,
      );
    }
    permissions = res.body.items;
  });

  afterAll(async () => {
    await stopBackend(backend);
    backend = undefined;
  });

  it('every permission a declared role names is registered by some plugin', () => {
    const registered = new Set(permissions.map(p => p.name));
    const named = declaredRoles().flatMap(r =>
      r.permissions.filter(p => p !== '*'),
    );
    expect(named.filter(p => !registered.has(p))).toEqual([]);
    // the portal's own plugins are in the catalogue
    for (const plugin of [
      'catalog',
      'scaffolder',
      'kubernetes',
      'clusters',
      'rbac',
      'metrics',
      'logs',
      'traces',
      'pipelines',
    ]) {
      expect(permissions.some(p => p.pluginId === plugin)).toBe(true);
    }
  });

  it('decides demo users x every registered permission exactly as the declared roles say', async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const user of USERS) {
      const items = permissions.flatMap(p => {
        return samplesOf(p.resourceType).map(resourceRef => ({
          p,
          resourceRef,
        }));
      });
      const res = await api('POST', '/api/permission/authorize', tokens[user], {
        items: items.map(({ p, resourceRef }, i) => ({
          id: String(i),
          permission: p.resourceType
            ? {
                type: 'resource',
                name: p.name,
                attributes: p.action ? { action: p.action } : {},
                resourceType: p.resourceType,
              }
            : {
                type: 'basic',
                name: p.name,
                attributes: p.action ? { action: p.action } : {},
              },
          ...(resourceRef ? { resourceRef } : {}),
        })),
      });
      expect([res.status, res.status === 200 ? '' : res.body]).toEqual([
        200,
        '',
      ]);
      const byId = new Map<string, any>(
        res.body.items.map((i: any) => [i.id, i]),
      );
      for (const [i, { p, resourceRef }] of items.entries()) {
        checked++;
        const got = byId.get(String(i))?.result;
        const want = expectedDecision(`user:default/${user}`, p, resourceRef);
        if (got !== want) {
          mismatches.push(
            `${user} ${p.name}${
              resourceRef ? ` on ${resourceRef}` : ''
            }: got ${got}, declared ${want}`,
          );
        }
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(USERS.length * permissions.length);
  });

  it('spot checks: alice operates payments, not risk; bob the reverse; only admins administer RBAC', async () => {
    const check = async (
      user: string,
      permission: string,
      resourceRef?: string,
    ) =>
      (
        await api(
          'GET',
          `/api/rbac/check?user=user:default/${user}&permission=${permission}${
            resourceRef ? `&resourceRef=${resourceRef}` : ''
          }`,
          tokens.admin,
        )
      ).body;
    const a = await check(
      'alice',
      'clusters.workload.scale',
      'dev-cluster/payments-dev/deployments/payments-api',
    );
    expect(a).toMatchObject({
      result: 'ALLOW',
      grantingRoles: [{ name: 'payments-developer' }],
    });
    const b = await check(
      'alice',
      'clusters.workload.scale',
      'dev-cluster/risk-dev/deployments/risk-engine',
    );
    expect(b.result).toBe('DENY');
    expect(b.reason).toContain('outside');
    expect(
      (
        await check(
          'bob',
          'clusters.pod.delete',
          'prod-cluster/risk-prod/pods/x',
        )
      ).result,
    ).toBe('ALLOW');
    const c = await check('bob', 'rbac.role.create');
    expect(c).toMatchObject({ result: 'DENY', grantingRoles: [] });
    expect(c.reason).toContain('denied by default');
    const who = await api(
      'GET',
      '/api/rbac/who-can?permission=rbac.role.update',
      tokens.admin,
    );
    expect(
      who.body.items
        .filter((i: any) => i.result === 'ALLOW')
        .map((i: any) => i.user)
        .sort(),
    ).toEqual(['user:default/admin', 'user:default/carol']); // both platform-admins
    const what = await api(
      'GET',
      '/api/rbac/what-can?user=user:default/alice',
      tokens.admin,
    );
    expect(what.body.roles.sort()).toEqual([
      'payments-developer',
      'portal-user',
    ]);
    expect(what.body.groups).toEqual([
      'group:default/kubemate',
      'group:default/team-payments',
    ]);
    expect(
      what.body.items.find(
        (i: any) => i.permission === 'clusters.workload.scale',
      ),
    ).toMatchObject({
      result: 'CONDITIONAL',
      scope: ['payments-*'],
    });
  });

  it('rejects bad input with 400, non-admins with 403, declared roles with 409', async () => {
    const valid = {
      name: 'api-check',
      scope: { type: 'namespaces', namespaces: ['payments-*'] },
      permissions: ['clusters.pod.logs'],
      members: ['user:default/bob'],
    };
    const bad = async (body: unknown, message: string) => {
      const res = await api('POST', '/api/rbac/roles', tokens.admin, body);
      expect([res.status, res.body.error?.message]).toEqual([
        400,
        expect.stringContaining(message),
      ]);
    };
    await bad(
      { ...valid, name: 'Not A DNS Label' },
      'name: must be a lowercase DNS label',
    );
    await bad(
      { ...valid, permissions: ['clusters.workload.teleport'] },
      'unknown permission(s) clusters.workload.teleport',
    );
    await bad(
      { ...valid, scope: { type: 'namespaces', namespaces: [] } },
      'scope.namespaces: must list at least one namespace',
    );
    await bad(
      { ...valid, members: ['alice'] },
      'members.0: must be a user or group ref',
    );
    await bad(['not', 'an', 'object'], 'request/body must be object');
    expect(
      (
        await api(
          'GET',
          '/api/rbac/check?user=component:x&permission=rbac.role.read',
          tokens.admin,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await api(
          'GET',
          '/api/rbac/check?user=alice&permission=no.such.permission',
          tokens.admin,
        )
      ).status,
    ).toBe(400);

    for (const user of ['alice', 'bob']) {
      expect((await api('GET', '/api/rbac/roles', tokens[user])).status).toBe(
        403,
      );
      expect(
        (await api('POST', '/api/rbac/roles', tokens[user], valid)).status,
      ).toBe(403);
      expect(
        (
          await api(
            'PUT',
            '/api/rbac/roles/portal-user/members',
            tokens[user],
            { members: [] },
          )
        ).status,
      ).toBe(403);
      expect((await api('POST', '/api/rbac/sync', tokens[user])).status).toBe(
        403,
      );
    }
    expect((await api('GET', '/api/rbac/roles', undefined)).status).toBe(401);

    const declared = await api(
      'PUT',
      '/api/rbac/roles/portal-user',
      tokens.admin,
      {
        ...valid,
        name: 'portal-user',
      },
    );
    expect(declared.status).toBe(409);
    expect(declared.body.error.message).toContain('rbac-roles.yaml');
    expect(
      (await api('DELETE', '/api/rbac/roles/bootstrap-admin', tokens.admin))
        .status,
    ).toBe(409);
    expect(
      (
        await api('POST', '/api/rbac/roles', tokens.admin, {
          ...valid,
          name: 'portal-user',
        })
      ).status,
    ).toBe(409);
  });

  it('serves automation tokens within their access restrictions, and audits changes with before/after', async () => {
    const role = {
      name: 'automation-check',
      description: 'created by a service token',
      scope: { type: 'all' },
      permissions: ['clusters.overview.read'],
      members: ['group:default/team-risk'],
    };
    expect(
      (await api('GET', '/api/rbac/roles', READONLY_AUTOMATION)).status,
    ).toBe(200);
    expect(
      (await api('POST', '/api/rbac/roles', READONLY_AUTOMATION, role)).status,
    ).toBe(403);
    const created = await api('POST', '/api/rbac/roles', AUTOMATION, role);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      source: 'database',
      editable: true,
      createdBy: 'rbac-automation',
    });

    const updated = await api(
      'PUT',
      '/api/rbac/roles/automation-check/members',
      tokens.admin,
      {
        members: ['user:default/bob', 'user:default/bob'],
      },
    );
    expect(updated.body.members).toEqual(['user:default/bob']);
    expect(
      (await api('DELETE', '/api/rbac/roles/automation-check', tokens.admin))
        .status,
    ).toBe(204);
    expect(
      (await api('GET', '/api/rbac/roles/automation-check', tokens.admin))
        .status,
    ).toBe(404);

    const audit = await api(
      'GET',
      '/api/rbac/audit?role=automation-check',
      tokens.admin,
    );
    expect(audit.status).toBe(200);
    const entries = audit.body.items.map((e: any) => [e.actor, e.action]);
    expect(entries).toEqual([
      ['user:default/admin', 'role.delete'],
      ['user:default/admin', 'role.members.update'],
      ['rbac-automation', 'role.create'],
    ]);
    const members = audit.body.items[1];
    expect(members.before).toEqual({ members: ['group:default/team-risk'] });
    expect(members.after).toEqual({ members: ['user:default/bob'] });
    expect(audit.body.items[0].before).toMatchObject({
      name: 'automation-check',
      scope: { type: 'all' },
    });
    expect((await api('GET', '/api/rbac/audit', tokens.alice)).status).toBe(
      403,
    );
  });
});

describe('Kubernetes RBAC sync on the real clusters', () => {
  let adminToken: string;

  const sync = async () => {
    const res = await api('POST', '/api/rbac/sync', adminToken);
    expect([res.status, res.body.lastRun?.errors]).toEqual([200, []]);
    return res.body;
  };
  const roleBinding = (cluster: string, namespace: string, name: string) =>
    admin(cluster)
      .rbac.readNamespacedRoleBinding({ name, namespace })
      .then(
        rb => rb,
        e => {
          if (e?.code === 404) return undefined;
          throw e;
        },
      );

  beforeAll(async () => {
    backend = await startBuiltBackend({
      baseUrl: BASE,
      configs: configs(['deploy/test/app-config.rbac-k8s-test.yaml']),
      env: freshDataDir(),
    });
    adminToken = await signIn('admin');
    // someone else's object with our naming, but not our label: must survive every sync
    await admin('dev-cluster').rbac.createNamespacedRoleBinding({
      namespace: 'payments-dev',
      body: {
        metadata: { name: `${INSTANCE}:foreign` },
        roleRef: {
          apiGroup: 'rbac.authorization.k8s.io',
          kind: 'ClusterRole',
          name: 'view',
        },
        subjects: [
          {
            apiGroup: 'rbac.authorization.k8s.io',
            kind: 'User',
            name: 'somebody',
          },
        ],
      },
    });
  });

  it('binding alice to payments-operator grants deployments/scale in payments-* only; drift is repaired; unbinding removes it', async () => {
    await sync();
    // nothing grants alice anything yet (no declared roles in this backend)
    expect(
      (await aliceScale('dev-cluster', 'payments-dev', 'payments-api')).status,
    ).toBe(403);

    const created = await api('POST', '/api/rbac/roles', adminToken, {
      name: 'payments-operator',
      description: 'Scales payments workloads',
      scope: { type: 'namespaces', namespaces: ['payments-*'] },
      permissions: ['clusters.resources.read', 'clusters.workload.scale'],
      members: ['user:default/alice'],
    });
    expect(created.status).toBe(201);
    const status = await sync();
    // the role change already started a sync in the background: look at the recent changes
    const changes = status.recentChanges.map(
      (c: any) =>
        `${c.cluster} ${c.kind} ${c.namespace ?? ''}/${c.name} ${c.change}`,
    );
    expect(changes).toEqual(
      expect.arrayContaining([
        `dev-cluster RoleBinding payments-dev/${INSTANCE}:payments-operator created`,
        `prod-cluster RoleBinding payments-prod/${INSTANCE}:payments-operator created`,
        `dev-cluster ServiceAccount ${INSTANCE}-users/alice created`,
      ]),
    );
    // a Role and a RoleBinding in every payments-* namespace of each cluster: payments-dev and
    // payments-prod, plus those other suites running alongside (the scaffolder's payments-st-*)
    // may have made — counted from the apiserver, re-synced while they come and go
    const paymentsNamespaces = async (cluster: string) =>
      (await admin(cluster).core.listNamespace()).items.filter(
        n =>
          n.metadata?.name?.startsWith('payments-') &&
          n.status?.phase !== 'Terminating',
      ).length;
    let clusters: unknown;
    let expected: unknown;
    let current = status;
    await waitFor(
      'payments-operator in sync in every payments-* namespace',
      async () => {
        if (clusters !== undefined) current = await sync();
        clusters = current.roles.find(
          (r: any) => r.role === 'payments-operator',
        ).clusters;
        expected = [
          {
            cluster: 'dev-cluster',
            state: 'in-sync',
            objects: 2 * (await paymentsNamespaces('dev-cluster')),
          },
          {
            cluster: 'prod-cluster',
            state: 'in-sync',
            objects: 2 * (await paymentsNamespaces('prod-cluster')),
          },
        ];
        return JSON.stringify(clusters) === JSON.stringify(expected);
      },
      30_000,
      1_000,
    ).catch(() => undefined);
    expect(clusters).toEqual(expected);

    // the apiserver itself decides: 200 in payments-*, 403 elsewhere
    await expectAliceScaleStatus(
      'dev-cluster',
      'payments-dev',
      'payments-api',
      200,
    );
    const dev = await aliceScale('dev-cluster', 'payments-dev', 'payments-api');
    expect([dev.status, dev.body.slice(0, 300)]).toEqual([
      200,
      expect.stringContaining('"replicas":2'),
    ]);
    await expectAliceScaleStatus(
      'prod-cluster',
      'payments-prod',
      'payments-api',
      200,
    );
    const risk = await aliceScale('dev-cluster', 'risk-dev', 'risk-engine');
    expect(risk.status).toBe(403);
    expect(JSON.parse(risk.body).reason).toBe('Forbidden');

    // the objects are labelled; the role's rules are the derived verbs
    const rb = await roleBinding(
      'dev-cluster',
      'payments-dev',
      `${INSTANCE}:payments-operator`,
    );
    expect(rb!.metadata!.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'kubemate-rbac',
      'rbac.kubemate.io/instance': INSTANCE,
      'rbac.kubemate.io/role': 'payments-operator',
    });
    expect(
      rb!.subjects!.map(s => `${s.kind}:${s.namespace ?? ''}:${s.name}`).sort(),
    ).toEqual([
      `ServiceAccount:${INSTANCE}-users:alice`,
      `User::${INSTANCE}:user:alice`,
    ]);
    const role = await admin('dev-cluster').rbac.readNamespacedRole({
      name: `${INSTANCE}:payments-operator`,
      namespace: 'payments-dev',
    });
    expect(role.rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          apiGroups: ['apps'],
          resources: ['deployments/scale', 'statefulsets/scale'],
          verbs: ['get', 'patch', 'update'],
        }),
      ]),
    );

    // drift: a hand-deleted RoleBinding and a hand-edited Role are restored and reported
    await admin('dev-cluster').rbac.deleteNamespacedRoleBinding({
      name: `${INSTANCE}:payments-operator`,
      namespace: 'payments-dev',
    });
    await expectAliceScaleStatus(
      'dev-cluster',
      'payments-dev',
      'payments-api',
      403,
    );
    await admin('prod-cluster').rbac.replaceNamespacedRole({
      name: `${INSTANCE}:payments-operator`,
      namespace: 'payments-prod',
      body: {
        ...(await admin('prod-cluster').rbac.readNamespacedRole({
          name: `${INSTANCE}:payments-operator`,
          namespace: 'payments-prod',
        })),
        rules: [],
      },
    });
    const repaired = await sync();
    expect(
      repaired.lastRun.drift
        .map(
          (d: any) =>
            `${d.cluster} ${d.kind} ${d.namespace}/${d.name}: ${d.detail}`,
        )
        .sort(),
    ).toEqual([
      `dev-cluster RoleBinding payments-dev/${INSTANCE}:payments-operator: deleted by hand; re-created`,
      `prod-cluster Role payments-prod/${INSTANCE}:payments-operator: edited by hand; reverted`,
    ]);
    expect(
      await roleBinding(
        'dev-cluster',
        'payments-dev',
        `${INSTANCE}:payments-operator`,
      ),
    ).toBeDefined();
    await expectAliceScaleStatus(
      'dev-cluster',
      'payments-dev',
      'payments-api',
      200,
    );
    await expectAliceScaleStatus(
      'prod-cluster',
      'payments-prod',
      'payments-api',
      200,
    );
    const audit = await api(
      'GET',
      '/api/rbac/audit?role=payments-operator',
      adminToken,
    );
    expect(
      audit.body.items.filter((e: any) => e.action === 'sync.drift-restored'),
    ).toHaveLength(2);

    // unbinding alice removes the bindings (and her ServiceAccount); her access is gone
    const unbound = await api(
      'PUT',
      '/api/rbac/roles/payments-operator/members',
      adminToken,
      { members: [] },
    );
    expect(unbound.status).toBe(200);
    const after = await sync();
    expect(
      after.recentChanges
        .slice(0, 10)
        .filter((c: any) => c.change === 'deleted')
        .map(
          (c: any) => `${c.cluster} ${c.kind} ${c.namespace ?? ''}/${c.name}`,
        ),
    ).toEqual(
      expect.arrayContaining([
        `dev-cluster RoleBinding payments-dev/${INSTANCE}:payments-operator`,
        `prod-cluster RoleBinding payments-prod/${INSTANCE}:payments-operator`,
        `dev-cluster ServiceAccount ${INSTANCE}-users/alice`,
      ]),
    );
    expect(
      await roleBinding(
        'dev-cluster',
        'payments-dev',
        `${INSTANCE}:payments-operator`,
      ),
    ).toBeUndefined();
    await expectAliceScaleStatus(
      'dev-cluster',
      'payments-dev',
      'payments-api',
      403,
    );

    // the unlabelled look-alike was never touched
    expect(
      await roleBinding('dev-cluster', 'payments-dev', `${INSTANCE}:foreign`),
    ).toBeDefined();
    expect(
      (await api('DELETE', '/api/rbac/roles/payments-operator', adminToken))
        .status,
    ).toBe(204);
  });
});
