#!/usr/bin/env node
// Fuzzes every backend plugin's OpenAPI contract with Schemathesis (PyPI, installed by
// deploy/reliability/schemathesis.sh) against the running BUILT backend, as each demo user
// (admin, alice, bob) and with no token. Schemathesis checks no 5xx and that every response
// matches the spec (status code, content type, body schema, invalid input rejected); this script
// then reads its HAR report and applies the portal's own oracles:
//   - no token: 401 on every operation but the declared `x-kubemate-auth: unauthenticated` ones;
//   - no 2xx where the user lacks the operation's `x-kubemate-permission` (decisions from the
//     RBAC plugin's /api/rbac/what-can; a conditional (namespace-scoped) decision: the namespace
//     the request named must be in the user's scope, and an entity the request named must be one
//     the user may read it on, via /api/rbac/check);
//   - error bodies in Backstage's shape ({error:{name,message},request,response:{statusCode}}).
// Mutating operations are fuzzed fully only with no token and as users without their permission;
// a user holding it gets invalid (negative) data only, and never a DELETE — the shared dev stack
// stays as it was.
//
//   node deploy/reliability/fuzz.mjs            quick: few examples per operation (as in CI)
//   node deploy/reliability/fuzz.mjs --full     the full run (./kubemate check reliability fuzz)
//   options: --url <backend> (use a running backend instead of starting one on port 7050),
//            --port <n>, --plugins a,b  --users admin,alice,bob,anonymous  --examples <n>
//            --out <dir> (default e2e/artifacts/reliability)
// Writes <out>/fuzz.json and <out>/fuzz.md; exits non-zero when there are findings.
import { execFileSync, spawn } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUTOMATION_TOKEN, root, signIn, startBackend } from './backend.mjs';

const require = createRequire(join(root, 'package.json'));
const YAML = require('yaml');

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const FULL = args.includes('--full');
const PORT = Number(opt('port', '7050'));
const OUT = opt('out', join(root, 'e2e/artifacts/reliability'));
const EXAMPLES = Number(opt('examples', FULL ? '12' : '2'));
const USERS = opt('users', 'admin,alice,bob,anonymous').split(',');
const ONLY_PLUGINS = opt('plugins', '')?.split(',').filter(Boolean) ?? [];
const MUTATING = new Set(['post', 'put', 'patch', 'delete']);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const SCHEMATHESIS_CHECKS = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
];

const log = (...a) => console.log(...a);

/** Every backend plugin's spec: { plugin, spec } (plugin = the /api/<plugin> id). */
export function loadSpecs() {
  const specs = [];
  for (const dir of readdirSync(join(root, 'plugins')).sort()) {
    const file = join(root, 'plugins', dir, 'src/schema/openapi.yaml');
    if (!dir.endsWith('-backend') || !existsSync(file)) continue;
    const plugin = dir.replace(/-backend$/, '');
    if (ONLY_PLUGINS.length && !ONLY_PLUGINS.includes(plugin)) continue;
    specs.push({ plugin, spec: YAML.parse(readFileSync(file, 'utf8')) });
  }
  return specs;
}

/** The operations of the specs: { plugin, method, path (with /api/<plugin>), op, regex }. */
export function operationsOf(specs) {
  const ops = [];
  for (const { plugin, spec } of specs) {
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const full = `/api/${plugin}${path}`;
        const params = (path.match(/\{[^}]+\}/g) ?? []).length;
        const regex = new RegExp(
          `^${full
            .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
            .replace(/\\?\{[^}]+\\?\}/g, '([^/]+)')}$`,
        );
        const names = (path.match(/\{([^}]+)\}/g) ?? []).map(n =>
          n.slice(1, -1),
        );
        ops.push({
          plugin,
          method,
          path: full,
          key: `${method.toUpperCase()} ${full}`,
          op,
          params,
          names,
          regex,
          permission: op['x-kubemate-permission'],
          auth: op['x-kubemate-auth'],
        });
      }
    }
  }
  return ops;
}

/** The operation a request was for (the most specific path template that matches). */
function matchOperation(ops, method, pathname) {
  let best;
  for (const o of ops) {
    if (o.method !== method.toLowerCase()) continue;
    const m = o.regex.exec(pathname);
    if (!m) continue;
    if (!best || o.params < best.op.params) {
      const values = {};
      o.names.forEach((n, i) => {
        try {
          values[n] = decodeURIComponent(m[i + 1]);
        } catch {
          values[n] = m[i + 1];
        }
      });
      best = { op: o, values };
    }
  }
  return best;
}

/** Known identifiers, so the examples phase reaches real objects (not only 404s). */
const EXAMPLE_VALUES = {
  kind: 'component',
  namespace: 'default',
  name: 'payments-api',
  cluster: 'dev-cluster',
  ns: 'payments-dev',
};

/**
 * One spec with the operations `keep` selects, every plugin's paths under /api/<plugin> and its
 * components renamed <plugin>_<name> (so the specs of all plugins can be fuzzed in one run).
 */
function mergedSpec(specs, keep, withExamples) {
  const merged = {
    openapi: '3.0.3',
    info: { title: 'Kubemate backend plugins', version: '1' },
    paths: {},
    components: {},
  };
  const rename = (plugin, value) => {
    if (Array.isArray(value)) return value.map(v => rename(plugin, v));
    if (value && typeof value === 'object') {
      const out = {};
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string') {
          out[k] = v.replace(
            /^#\/components\/([^/]+)\/(.+)$/,
            (_, type, name) => `#/components/${type}/${plugin}_${name}`,
          );
        } else out[k] = rename(plugin, v);
      }
      return out;
    }
    return value;
  };
  for (const { plugin, spec } of specs) {
    for (const [type, entries] of Object.entries(spec.components ?? {})) {
      merged.components[type] ??= {};
      for (const [name, value] of Object.entries(entries)) {
        merged.components[type][`${plugin}_${name}`] = rename(plugin, value);
      }
    }
    for (const [path, item] of Object.entries(spec.paths ?? {})) {
      const out = {};
      for (const [k, v] of Object.entries(item)) {
        if (METHODS.includes(k)) {
          if (keep(`${k.toUpperCase()} /api/${plugin}${path}`))
            out[k] = rename(plugin, v);
        } else out[k] = rename(plugin, v);
      }
      if (!METHODS.some(m => out[m])) continue;
      if (withExamples) {
        for (const m of METHODS) {
          for (const p of out[m]?.parameters ?? []) {
            if (p.in === 'path' && EXAMPLE_VALUES[p.name] && !p.example) {
              p.example = EXAMPLE_VALUES[p.name];
            }
          }
        }
      }
      merged.paths[`/api/${plugin}${path}`] = out;
    }
  }
  return merged;
}

/** user → permission → { result, scope } (RBAC plugin's what-can, asked with the automation token). */
async function decisionsOf(baseUrl, user) {
  const res = await fetch(
    `${baseUrl}/api/rbac/what-can?user=${encodeURIComponent(
      `user:default/${user}`,
    )}`,
    { headers: { authorization: `Bearer ${AUTOMATION_TOKEN}` } },
  );
  if (!res.ok)
    throw new Error(`what-can ${user}: ${res.status} ${await res.text()}`);
  const body = await res.json();
  return new Map(
    body.items.map(i => [i.permission, { result: i.result, scope: i.scope }]),
  );
}

const glob = pattern =>
  new RegExp(
    `^${pattern.replace(/[.+?^$()|[\]\\{}]/g, '\\$&').replace(/\*/g, '.*')}$`,
  );

/**
 * Runs Schemathesis once; resolves to { cases, errors, seconds, output }: every test case
 * (operation, request, response, Schemathesis's failed checks) from its NDJSON event report.
 */
async function runSchemathesis(st, { specFile, baseUrl, token, mode, dir }) {
  const ndjson = join(dir, 'events.ndjson');
  const checks = [...SCHEMATHESIS_CHECKS];
  if (mode === 'negative') checks.push('negative_data_rejection');
  const argv = [
    'run',
    specFile,
    '--url',
    baseUrl,
    '--workers',
    '1',
    '--max-examples',
    String(EXAMPLES),
    '--mode',
    mode,
    '--phases',
    FULL ? 'examples,coverage,fuzzing' : 'examples,fuzzing',
    '--checks',
    checks.join(','),
    '--continue-on-failure',
    '--suppress-health-check',
    'all',
    '--request-timeout',
    '30',
    '--seed',
    '20',
    '--generation-database',
    'none',
    '--no-color',
    '--warnings',
    'off',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    ndjson,
    ...(token ? ['--header', `Authorization: Bearer ${token}`] : []),
  ];
  const t0 = Date.now();
  const output = await new Promise((resolveRun, reject) => {
    const p = spawn(st, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    p.stdout.on('data', d => (text += d));
    p.stderr.on('data', d => (text += d));
    p.on('error', reject);
    p.on('exit', () => resolveRun(text));
  });
  const seconds = (Date.now() - t0) / 1000;
  if (!existsSync(ndjson)) {
    throw new Error(`schemathesis wrote no report:\n${output.slice(-3000)}`);
  }
  const cases = [];
  const errors = [];
  for (const line of readFileSync(ndjson, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const event = JSON.parse(line);
    if (event.NonFatalError || event.FatalError) {
      const e = event.NonFatalError ?? event.FatalError;
      errors.push({
        label: e.label ?? '?',
        message: String(
          e.info?.message ?? e.value?.message ?? JSON.stringify(e),
        ),
      });
    }
    const scenario = event.ScenarioFinished;
    if (!scenario?.recorder) continue;
    const { label, interactions = {}, checks = {} } = scenario.recorder;
    for (const [id, interaction] of Object.entries(interactions)) {
      if (!interaction?.response) continue;
      cases.push({
        id,
        label,
        request: interaction.request,
        response: interaction.response,
        failed: (checks[id] ?? [])
          .filter(c => c.status === 'failure')
          .map(c => ({ name: c.name, ...c.failure_info?.failure })),
      });
    }
  }
  return { cases, errors, seconds, output };
}

const header = (response, name) => {
  const entry = Object.entries(response.headers ?? {}).find(
    ([k]) => k.toLowerCase() === name,
  );
  return entry ? [entry[1]].flat().join(', ') : '';
};

const bodyText = response => {
  const content = response.content;
  if (typeof content === 'string') return content;
  if (content?.$base64)
    return Buffer.from(content.$base64, 'base64').toString('utf8');
  return '';
};

function parseBody(response) {
  try {
    return JSON.parse(bodyText(response));
  } catch {
    return undefined;
  }
}

/** Backstage's error shape, or what is missing from it. */
function errorShapeProblem(response) {
  const status = response.status_code;
  if (!header(response, 'content-type').includes('application/json')) {
    return `status ${status} without a JSON error body (content-type ${
      header(response, 'content-type') || 'none'
    })`;
  }
  const body = parseBody(response);
  if (
    typeof body?.error?.name !== 'string' ||
    typeof body?.error?.message !== 'string'
  ) {
    return `status ${status}: body has no error.name/error.message`;
  }
  if (body?.response?.statusCode !== status) {
    return `status ${status}: response.statusCode is ${body?.response?.statusCode}`;
  }
  return undefined;
}

const short = (s, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Schemathesis's failed checks and the portal's own oracles over the test cases of one run. */
async function applyOracles({
  cases,
  ops,
  user,
  decisions,
  baseUrl,
  stats,
  findings,
}) {
  for (const c of cases) {
    const url = new URL(c.request.uri);
    const status = c.response.status_code;
    const match = matchOperation(ops, c.request.method, url.pathname);
    const plugin = match?.op.plugin ?? url.pathname.split('/')[2] ?? '?';
    const s = (stats[`${plugin} ${user}`] ??= newStats(plugin, user));
    s.requests++;
    const request = `${c.request.method} ${url.pathname}${url.search}`;
    const responseText = short(bodyText(c.response), 300);
    const operation = match?.op.key ?? c.label;
    const add = (check, message) => {
      s.failures[check] = (s.failures[check] ?? 0) + 1;
      findings.push({
        plugin,
        user,
        operation,
        check,
        status,
        request: short(request, 400),
        response: responseText,
        message,
      });
    };
    if (status >= 500) {
      s.serverErrors++;
      add('server_error', `${status} ${responseText}`);
    }
    for (const f of c.failed) {
      if (f.name === 'not_a_server_error') continue; // counted above
      add(f.name, `${f.title ?? ''}: ${short(String(f.message ?? ''), 400)}`);
    }
    if (!match) continue; // a method or path the spec does not declare (Schemathesis probes)
    const { op, values } = match;
    s.operations.add(op.key);
    if (status >= 400) {
      if (op.auth !== 'unauthenticated') {
        const problem = errorShapeProblem(c.response);
        if (problem) add('error_shape', problem);
      }
    }
    if (user === 'anonymous') {
      if (op.auth !== 'unauthenticated' && status !== 401) {
        add('unauthenticated_access', `no token, got ${status} instead of 401`);
      }
      continue;
    }
    if (status < 200 || status >= 300) continue;
    const perm = op.permission;
    if (!perm || perm === 'none') continue;
    const decision = decisions.get(perm);
    if (!decision || decision.result === 'DENY') {
      add(
        'permission_leak',
        `${user} lacks ${perm} (${
          decision?.result ?? 'unknown permission'
        }) but got ${status}`,
      );
      s.leaks++;
      continue;
    }
    if (decision.result !== 'CONDITIONAL') continue;
    // a namespaced object the request named must be in the user's namespace scope
    const namespace = op.path.includes('/entity/')
      ? values.ns
      : values.namespace ?? values.ns;
    if (namespace && Array.isArray(decision.scope)) {
      if (!decision.scope.some(p => glob(p).test(namespace))) {
        add(
          'permission_leak',
          `${user} has ${perm} only in ${decision.scope.join(
            ', ',
          )}, got ${status} for namespace ${namespace}`,
        );
        s.leaks++;
        continue;
      }
    }
    // the body must hold nothing of a namespace outside the scope (an entity of another team
    // answers 200 with only what the user's own namespaces hold, e.g. no traces)
    if (Array.isArray(decision.scope)) {
      const outside = [...namespacesIn(parseBody(c.response))].filter(
        ns => !decision.scope.some(p => glob(p).test(ns)),
      );
      if (outside.length) {
        add(
          'permission_leak',
          `${user} has ${perm} only in ${decision.scope.join(
            ', ',
          )}, the ${status} answer holds objects of ${outside.join(', ')}`,
        );
        s.leaks++;
      }
    }
  }
}

/** The values of every `namespace` field of a JSON body. */
function namespacesIn(body, found = new Set()) {
  const stack = [body];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'namespace' && typeof x === 'string' && x) found.add(x);
        else stack.push(x);
      }
    }
  }
  return found;
}

function newStats(plugin, user) {
  return {
    plugin,
    user,
    operations: new Set(),
    skipped: [],
    requests: 0,
    serverErrors: 0,
    leaks: 0,
    failures: {},
  };
}

async function main() {
  const t0 = Date.now();
  const st = execFileSync(
    'bash',
    [join(root, 'deploy/reliability/schemathesis.sh')],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  ).trim();
  mkdirSync(OUT, { recursive: true });
  let backend;
  let baseUrl = opt('url');
  if (!baseUrl) {
    log(
      `starting the built backend on port ${PORT} (log: ${OUT}/fuzz-backend.log)`,
    );
    backend = await startBackend({
      port: PORT,
      log: join(OUT, 'fuzz-backend.log'),
    });
    baseUrl = backend.baseUrl;
  }
  const work = mkdtempSync(join(tmpdir(), 'kubemate-fuzzrun-'));
  const stats = {};
  const findings = [];
  const runs = [];
  try {
    const specs = loadSpecs();
    const ops = operationsOf(specs);
    const unannotated = ops.filter(o => !o.permission);
    for (const o of unannotated) {
      findings.push({
        plugin: o.plugin,
        user: '-',
        operation: o.key,
        check: 'spec',
        message: 'no x-kubemate-permission',
      });
    }
    for (const user of USERS) {
      const anonymous = user === 'anonymous';
      const token = anonymous ? undefined : await signIn(baseUrl, user);
      const decisions = anonymous
        ? new Map()
        : await decisionsOf(baseUrl, user);
      const mayDo = o =>
        !anonymous &&
        o.permission &&
        o.permission !== 'none' &&
        ['ALLOW', 'CONDITIONAL'].includes(decisions.get(o.permission)?.result);
      // reads, and mutations the user may not do: everything; mutations the user may do:
      // invalid data only, never a DELETE
      const fullSet = new Set();
      const negativeSet = new Set();
      for (const o of ops) {
        const s = (stats[`${o.plugin} ${user}`] ??= newStats(o.plugin, user));
        if (!MUTATING.has(o.method) || !mayDo(o)) fullSet.add(o.key);
        else if (o.method === 'delete') {
          s.skipped.push(
            `${o.key}: DELETE as a user holding ${o.permission} (would delete real objects)`,
          );
        } else negativeSet.add(o.key);
      }
      for (const [mode, set] of [
        ['all', fullSet],
        ['negative', negativeSet],
      ]) {
        if (!set.size) continue;
        const dir = join(work, `${user}-${mode}`);
        mkdirSync(dir, { recursive: true });
        const specFile = join(dir, 'spec.json');
        writeFileSync(
          specFile,
          JSON.stringify(mergedSpec(specs, k => set.has(k), mode === 'all')),
        );
        log(
          `schemathesis: ${user}, ${set.size} operations, mode ${mode}, ${EXAMPLES} examples each`,
        );
        const run = await runSchemathesis(st, {
          specFile,
          baseUrl,
          token,
          mode,
          dir,
        });
        log(`  ${run.cases.length} requests in ${run.seconds.toFixed(0)} s`);
        runs.push({
          user,
          mode,
          operations: set.size,
          requests: run.cases.length,
          seconds: run.seconds,
          errors: run.errors.length,
        });
        for (const e of run.errors) {
          findings.push({
            plugin: e.label.split('/')[2] ?? '?',
            user,
            operation: e.label,
            check: 'schemathesis_error',
            message: short(e.message, 500),
          });
        }
        await applyOracles({
          cases: run.cases,
          ops,
          user,
          decisions,
          baseUrl,
          stats,
          findings,
        });
      }
    }
  } finally {
    if (backend) await backend.stop();
    if (!args.includes('--keep'))
      rmSync(work, { recursive: true, force: true });
  }
  const seconds = (Date.now() - t0) / 1000;
  const rows = Object.values(stats)
    .map(s => ({ ...s, operations: s.operations.size }))
    .sort(
      (a, b) =>
        a.plugin.localeCompare(b.plugin) ||
        USERS.indexOf(a.user) - USERS.indexOf(b.user),
    );
  const totals = {
    requests: rows.reduce((n, r) => n + r.requests, 0),
    serverErrors: rows.reduce((n, r) => n + r.serverErrors, 0),
    leaks: rows.reduce((n, r) => n + r.leaks, 0),
    findings: findings.length,
  };
  const result = {
    mode: FULL ? 'full' : 'quick',
    examplesPerOperation: EXAMPLES,
    users: USERS,
    seconds,
    totals,
    runs,
    rows,
    findings,
  };
  writeFileSync(join(OUT, 'fuzz.json'), JSON.stringify(result, null, 2));
  // formatted as the repository's Prettier would (the report is committed as bench/reports/fuzz.md)
  const prettier = require('prettier');
  writeFileSync(
    join(OUT, 'fuzz.md'),
    await prettier.format(markdown(result), { parser: 'markdown' }),
  );
  log(markdown(result).split('\n## Findings')[0]);
  log(
    `fuzz: ${totals.requests} requests, ${totals.serverErrors} 5xx, ${
      totals.leaks
    } permission leaks, ${findings.length} findings in ${seconds.toFixed(
      0,
    )} s; report ${join(OUT, 'fuzz.md')}`,
  );
  process.exitCode = findings.length ? 1 : 0;
}

const CHECK_COLUMNS = [
  ['status_code_conformance', 'status'],
  ['content_type_conformance', 'content type'],
  ['response_schema_conformance', 'schema'],
  ['negative_data_rejection', 'invalid accepted'],
  ['error_shape', 'error shape'],
  ['unauthenticated_access', 'no-token access'],
];

function markdown(r) {
  const lines = [
    `# Fuzz run (${r.mode})`,
    '',
    `Schemathesis ${'4.32.5'} against the built backend, every backend plugin's spec, as admin, alice, bob and with no token ` +
      `(${r.examplesPerOperation} examples per operation${
        r.mode === 'full'
          ? ', phases examples, coverage, fuzzing'
          : ', phases examples, fuzzing'
      }); ` +
      `${r.totals.requests} requests in ${Math.round(r.seconds)} s: ${
        r.totals.serverErrors
      } 5xx, ${r.totals.leaks} permission leaks, ${
        r.totals.findings
      } findings.`,
    '',
    `| plugin | user | operations | requests | 5xx | ${CHECK_COLUMNS.map(
      c => c[1],
    ).join(' | ')} | permission leaks | skipped |`,
    `|---|---|---:|---:|---:|${CHECK_COLUMNS.map(() => '---:').join(
      '|',
    )}|---:|---:|`,
  ];
  for (const row of r.rows) {
    lines.push(
      `| ${row.plugin} | ${row.user} | ${row.operations} | ${row.requests} | ${
        row.serverErrors
      } | ${CHECK_COLUMNS.map(c => row.failures[c[0]] ?? 0).join(' | ')} | ${
        row.leaks
      } | ${row.skipped.length} |`,
    );
  }
  lines.push(
    '',
    '## Runs',
    '',
    '| user | mode | operations | requests | seconds |',
    '|---|---|---:|---:|---:|',
  );
  for (const run of r.runs) {
    lines.push(
      `| ${run.user} | ${run.mode} | ${run.operations} | ${
        run.requests
      } | ${Math.round(run.seconds)} |`,
    );
  }
  const skipped = r.rows.flatMap(row =>
    row.skipped.map(s => `${row.user}: ${s}`),
  );
  if (skipped.length)
    lines.push('', '## Skipped', '', ...skipped.map(s => `- ${s}`));
  lines.push('', '## Findings', '');
  if (!r.findings.length) lines.push('None.');
  const grouped = new Map();
  for (const f of r.findings) {
    const key = `${f.operation} ${f.check} ${f.message}`;
    if (!grouped.has(key))
      grouped.set(key, { ...f, users: new Set(), count: 0 });
    const g = grouped.get(key);
    g.users.add(f.user);
    g.count++;
  }
  for (const g of grouped.values()) {
    lines.push(
      `- **${g.operation}** — ${g.check} (${[...g.users].join(', ')}; ${
        g.count
      }×): ${g.message.replace(/\n/g, ' ')}${
        g.request
          ? `\n  - e.g. \`${g.request.replace(/`/g, "'").replace(/\n/g, ' ')}\``
          : ''
      }`,
    );
  }
  return `${lines.join('\n')}\n`;
}

await main();
