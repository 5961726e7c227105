/*
 * Integration test: the backend plugins' HTTP contracts on the REAL built backend (dist, as
 * production runs it; a fresh SQLite data directory) on the REAL dev stack, as the demo users.
 *  - a short Schemathesis fuzz of every plugin's OpenAPI spec (deploy/reliability/fuzz.mjs in its
 *    quick mode: few examples per operation) as admin, alice, bob and with no token: no 5xx, every
 *    response as the spec declares it, 401 without a token, no 2xx without the permission, errors
 *    in Backstage's shape;
 *  - the hand-picked cases a generator does not find: oversized bodies, a YAML bomb, a namespace
 *    in the body that is not the entity's, another team's entity, path traversal in file names and
 *    namespaces, CR/LF and label-invalid characters in names that end up in Kubernetes or Git.
 * Each asserts the 4xx status, the message saying what is wrong, and that nothing was changed.
 * The full fuzz run is `./kubemate check reliability fuzz` (node deploy/reliability/fuzz.mjs --full).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { DevStack, repoRoot, requireStack, waitFor } from '@kubemate/dev-stack';
import {
  BuiltBackend,
  STARTUP_TIMEOUT_MS,
  assertPortFree,
  backendApi,
  buildBackend,
  signIn,
  startBuiltBackend,
  stopBackend,
} from './__testUtils__/builtBackend';

jest.setTimeout(10 * 60_000);

const PORT = 7051;
const BASE = `http://localhost:${PORT}`;
const AUTOMATION = `Bearer ${
  process.env.KUBEMATE_AUTOMATION_TOKEN ?? 'kubemate-dev-automation-token-0001'
}`;
const api = backendApi(BASE);
const ENTITY = '/entity/component/default/payments-api';

let stack: DevStack;
let backend: BuiltBackend | undefined;
let dataDir = '';
const token: Record<string, string> = {};

/** A ConfigMap of the dev cluster, or undefined when it does not exist. */
async function configMap(namespace: string, name: string) {
  const core = stack
    .kubeConfigFor('dev-cluster', 'admin')
    .makeApiClient(CoreV1Api);
  return core.readNamespacedConfigMap({ namespace, name }).catch(e => {
    if (e?.code === 404) return undefined;
    throw e;
  });
}

/** A raw request (body as given, content type as given) → status and parsed body. */
async function raw(
  method: string,
  path: string,
  user: string,
  body: string | Buffer,
  contentType: string,
) {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token[user]}`,
      'content-type': contentType,
    },
    body,
  });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed };
}

/** Backstage's error shape with this status and message. */
function expectError(
  res: { status: number; body: any },
  status: number,
  message: string | RegExp,
) {
  expect({ status: res.status, body: res.body }).toMatchObject({
    status,
    body: {
      error: { name: expect.any(String) },
      response: { statusCode: status },
    },
  });
  if (typeof message === 'string') {
    expect(res.body.error.message).toBe(message);
  } else {
    expect(res.body.error.message).toMatch(message);
  }
}

beforeAll(async () => {
  stack = await requireStack({
    only: [
      'kubernetes',
      'postgres',
      'metrics',
      'telemetry',
      'git',
      'tekton',
      'triggers',
      'canary',
      'inspections',
      'rag',
      'gpu',
      'finetuning',
    ],
  });
  await assertPortFree(BASE);
  buildBackend();
  dataDir = mkdtempSync(join(tmpdir(), 'kubemate-contract-'));
  backend = await startBuiltBackend({
    baseUrl: BASE,
    configs: [
      resolve(repoRoot, 'app-config.yaml'),
      stack.appConfigFile,
      resolve(repoRoot, 'deploy/reliability/app-config.contract-test.yaml'),
    ],
    env: { KUBEMATE_DATA_DIR: dataDir },
  });
  // as deploy/test/run-all.sh prepares the portal: the demo catalog, then one RBAC sync
  await waitFor(
    'the demo catalog',
    async () => {
      const res = await Promise.all(
        ['component/default/payments-api', 'user/default/bob'].map(e =>
          fetch(`${BASE}/api/catalog/entities/by-name/${e}`, {
            headers: { authorization: AUTOMATION },
          }),
        ),
      );
      return res.every(r => r.ok) ? true : undefined;
    },
    120_000,
  );
  const sync = await fetch(`${BASE}/api/rbac/sync`, {
    method: 'POST',
    headers: { authorization: AUTOMATION },
  });
  if (!sync.ok) {
    throw new Error(`POST /api/rbac/sync: ${sync.status} ${await sync.text()}`);
  }
  for (const user of ['admin', 'alice', 'bob']) {
    token[user] = await signIn(BASE, user);
  }
}, STARTUP_TIMEOUT_MS + 10 * 60_000);

afterAll(async () => {
  await stopBackend(backend);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('backend contracts (OpenAPI) on the built backend', () => {
  it('a short fuzz of every spec as admin, alice, bob and with no token finds nothing', async () => {
    const out = mkdtempSync(join(tmpdir(), 'kubemate-contract-fuzz-'));
    try {
      const { code, output } = await new Promise<{
        code: number | null;
        output: string;
      }>((done, fail) => {
        const p = spawn(
          process.execPath,
          [
            resolve(repoRoot, 'deploy/reliability/fuzz.mjs'),
            '--url',
            BASE,
            '--out',
            out,
          ],
          { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let text = '';
        p.stdout.on('data', d => (text += d));
        p.stderr.on('data', d => (text += d));
        p.on('error', fail);
        p.on('exit', c => done({ code: c, output: text }));
      });
      const report = JSON.parse(readFileSync(join(out, 'fuzz.json'), 'utf8'));
      // the table (per plugin and user) for the log of the run
      // eslint-disable-next-line no-console
      console.log(readFileSync(join(out, 'fuzz.md'), 'utf8'));
      expect(report.rows.length).toBeGreaterThanOrEqual(12 * 4);
      expect(report.totals.requests).toBeGreaterThan(500);
      expect(report.totals.serverErrors).toBe(0);
      expect(report.totals.leaks).toBe(0);
      expect(report.findings).toEqual([]);
      expect({ code, output: code === 0 ? '' : output.slice(-3000) }).toEqual({
        code: 0,
        output: '',
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('oversized bodies are a 400 naming the limit, not a 500', async () => {
    const before = await api(
      'GET',
      '/api/clusters/audit?entityRef=component:default/payments-api',
      token.admin,
    );
    const over = await api(
      'POST',
      `/api/clusters${ENTITY}/apply`,
      token.alice,
      {
        cluster: 'dev-cluster',
        dryRun: true,
        manifest: 'a'.repeat(1_000_001),
      },
    );
    expectError(
      over,
      400,
      'request/body/manifest must NOT have more than 1000000 characters',
    );
    // beyond the body parser's limit: refused before anything reads it
    const huge = JSON.stringify({
      cluster: 'dev-cluster',
      dryRun: true,
      manifest: 'a'.repeat(20_000_000),
    });
    for (const path of [`/api/clusters${ENTITY}/apply`, '/api/logs/query']) {
      const res = await raw('POST', path, 'alice', huge, 'application/json');
      expect([400, 413]).toContain(res.status);
      expect(res.body.error.message).toBe('request entity too large');
    }
    // a deeply nested JSON body: parsed and refused by the schema, no stack overflow
    const deep = `{"name":"x","description":${'['.repeat(100_000)}${']'.repeat(
      100_000,
    )}}`;
    expectError(
      await raw('POST', '/api/rbac/roles', 'admin', deep, 'application/json'),
      400,
      /^request\/body/,
    );
    const after = await api(
      'GET',
      '/api/clusters/audit?entityRef=component:default/payments-api',
      token.admin,
    );
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('a YAML bomb (nested aliases) to apply is a 400 saying so; nothing is applied', async () => {
    let anchors = '  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n';
    for (let i = 1; i < 9; i++) {
      anchors += `  l${i}: &l${i} [${Array(9)
        .fill(`*l${i - 1}`)
        .join(', ')}]\n`;
    }
    const manifest = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: kubemate-contract-lol',
      '  namespace: payments-dev',
      '  labels: {backstage.io/kubernetes-id: payments-api}',
      `x:\n${anchors}data:`,
      '  lol: *l8',
      '',
    ].join('\n');
    for (const dryRun of [true, false]) {
      const res = await api(
        'POST',
        `/api/clusters${ENTITY}/apply`,
        token.alice,
        { cluster: 'dev-cluster', dryRun, manifest },
      );
      expectError(
        res,
        400,
        'Invalid manifest: it expands to more than 100000 values (nested YAML aliases?)',
      );
    }
    expect(
      await configMap('payments-dev', 'kubemate-contract-lol'),
    ).toBeUndefined();
    // the backend is still up and answering
    const health = await fetch(`${BASE}/.backstage/health/v1/readiness`);
    expect(health.status).toBe(200);
  });

  it("a namespace in the body that is not the entity's is refused (403 naming it); nothing is applied", async () => {
    const manifest =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kubemate-contract-cm\n  namespace: risk-dev\n';
    // admin may apply anywhere, but not through payments-api into risk-dev
    const res = await api('POST', `/api/clusters${ENTITY}/apply`, token.admin, {
      cluster: 'dev-cluster',
      dryRun: false,
      manifest,
    });
    expectError(
      res,
      403,
      'ConfigMap risk-dev/kubemate-contract-cm does not belong to component:default/payments-api (labels do not match backstage.io/kubernetes-id=payments-api)',
    );
    expect(await configMap('risk-dev', 'kubemate-contract-cm')).toBeUndefined();
    // a pod path of another team's namespace under alice's own entity
    expectError(
      await api(
        'GET',
        `/api/clusters${ENTITY}/pods/dev-cluster/risk-dev/risk-engine-0/logs`,
        token.alice,
      ),
      403,
      'user:default/alice is not allowed clusters.pod.logs on dev-cluster/risk-dev/pods/risk-engine-0',
    );
  });

  it("another team's entity: 403, or only what the user's own scope holds (never the other team's data)", async () => {
    // bob has no canary role at all
    expectError(
      await api(
        'GET',
        '/api/canary/entity/component/default/risk-engine/releases',
        token.bob,
      ),
      403,
      'You are not allowed canary.release.read',
    );
    // alice (payments-*) on risk-engine (risk-dev); bob (risk-*, ai-platform) on payments-api
    const aliceTraces = await api(
      'GET',
      '/api/traces/entity/component/default/risk-engine/traces',
      token.alice,
    );
    expect(aliceTraces).toMatchObject({
      status: 200,
      body: { traces: [], scope: ['payments-*'] },
    });
    const bobTraces = await api(
      'GET',
      '/api/traces/entity/component/default/payments-api/traces',
      token.bob,
    );
    expect(bobTraces).toMatchObject({ status: 200, body: { traces: [] } });
    const runs = await api(
      'GET',
      '/api/pipelines/entity/component/default/risk-engine/runs',
      token.alice,
    );
    expect(runs).toMatchObject({ status: 200, body: { runs: [] } });
    const signals = await api(
      'GET',
      '/api/metrics/entity/component/default/risk-engine/golden-signals',
      token.alice,
    );
    expect(signals.status).toBe(200);
    const series = JSON.stringify(signals.body);
    expect(series).toContain(
      'You may not read metrics of namespace risk-dev (your scope: payments-*)',
    );
    expect(series).not.toMatch(/risk-engine-[0-9a-f]{6,}/); // no pod of risk-dev
    const gpu = await api(
      'GET',
      '/api/gpu/entity/component/default/payments-api',
      token.bob,
    );
    expect(gpu).toMatchObject({ status: 200, body: { workloads: [] } });
    // bob's list of datasets holds none of payments-dev
    const datasets = await api('GET', '/api/finetuning/datasets', token.bob);
    expect(datasets.status).toBe(200);
    expect(JSON.stringify(datasets.body)).not.toContain('"payments-dev"');
  });

  it('path traversal in file names, ids and namespaces is refused; nothing is stored', async () => {
    const docs = await api(
      'GET',
      '/api/rag/collections/payments-runbooks/documents',
      token.alice,
    );
    expect(docs.status).toBe(200);
    for (const filename of ['../..', '..', '/']) {
      const res = await raw(
        'POST',
        `/api/rag/collections/payments-runbooks/documents?filename=${encodeURIComponent(
          filename,
        )}`,
        'alice',
        '# runbook\n',
        'text/markdown',
      );
      expectError(res, 400, `${JSON.stringify(filename)} is not a file name`);
    }
    const after = await api(
      'GET',
      '/api/rag/collections/payments-runbooks/documents',
      token.alice,
    );
    expect(after.body.items.length).toBe(docs.body.items.length);
    // a dataset namespace of dots and slashes, even for admin (allowed everywhere)
    const form = new FormData();
    form.set('cluster', 'dev-cluster');
    form.set('namespace', '../../models');
    form.set('name', 'kubemate-contract');
    form.set(
      'file',
      new Blob(['{"instruction":"a","response":"b"}\n']),
      '../../x.jsonl',
    );
    const upload = await fetch(`${BASE}/api/finetuning/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.admin}` },
      body: form,
    });
    expectError(
      { status: upload.status, body: await upload.json() },
      400,
      "namespace: '../../models' is not a Kubernetes namespace (lowercase letters, digits and dashes, at most 63)",
    );
    const datasets = await api('GET', '/api/finetuning/datasets', token.admin);
    expect(JSON.stringify(datasets.body)).not.toContain('kubemate-contract');
    // an inspection report id with slashes names no run
    expectError(
      await api(
        'GET',
        `/api/inspections/runs/${encodeURIComponent(
          '../../etc/passwd',
        )}/export`,
        token.admin,
      ),
      404,
      'no inspection run ../../etc/passwd',
    );
  });

  it('CR/LF and label-invalid characters in names that end up in Kubernetes or Git are a 400 naming the field', async () => {
    const rolesBefore = await api('GET', '/api/rbac/roles', token.admin);
    const role = await api('POST', '/api/rbac/roles', token.admin, {
      name: 'evil\r\nX-Injected: 1',
      description: 'x',
      scope: { type: 'all' },
      permissions: ['rbac.role.read'],
      members: [],
    });
    expectError(
      role,
      400,
      'Invalid role: name: must be a lowercase DNS label (a-z, 0-9, -), e.g. payments-operator',
    );
    const rolesAfter = await api('GET', '/api/rbac/roles', token.admin);
    expect(rolesAfter.body).toEqual(rolesBefore.body);
    const run = await api('POST', `/api/pipelines${ENTITY}/runs`, token.admin, {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      pipeline: 'build\r\nx',
    });
    expectError(
      run,
      400,
      'request/body/pipeline must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"',
    );
    const job = await api('POST', '/api/finetuning/jobs', token.alice, {
      cluster: 'dev-cluster',
      namespace: 'payments-dev',
      name: 'Evil Job\nrelease: x',
      baseModel: 'smollm2-135m-instruct',
      datasetId: 'none',
      hyperparameters: {
        rank: 8,
        alpha: 16,
        learningRate: 0.0002,
        epochs: 1,
        batchSize: 4,
      },
      resources: { workers: 1, gpusPerWorker: 1 },
    });
    expectError(
      job,
      400,
      'request/body/name must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"',
    );
    const dataset = new FormData();
    dataset.set('cluster', 'dev-cluster');
    dataset.set('namespace', 'payments-dev');
    dataset.set('name', 'bad\r\nname');
    dataset.set(
      'file',
      new Blob(['{"instruction":"a","response":"b"}\n']),
      'd.jsonl',
    );
    const upload = await fetch(`${BASE}/api/finetuning/datasets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.alice}` },
      body: dataset,
    });
    const uploadBody = await upload.json();
    expect(upload.status).toBe(400);
    expect(uploadBody.error.message).toMatch(/name/);
  });
});
