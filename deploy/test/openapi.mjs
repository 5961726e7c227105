#!/usr/bin/env node
// OpenAPI specs of the backend plugins: every `plugins/*-backend/src/schema/openapi.yaml` is the
// plugin's HTTP contract. This script turns each into `src/schema/openapi.generated.ts` — the spec
// as a typed constant and `createOpenApiRouter()`, the typed router with request validation of
// `@backstage/backend-openapi-utils` (the same shape `backstage-repo-tools package schema openapi
// generate --server` writes, without its Java-based client generator).
//
//   node deploy/test/openapi.mjs            regenerate every generated file
//   node deploy/test/openapi.mjs --check    fail when a generated file is stale, a backend plugin
//                                           has no spec, or a route and the spec disagree (lint
//                                           step of ./kubemate test)
//
// Route coverage: every route a backend plugin registers in its source (`router.get('/path', …)`,
// `.post`, `.put`, `.patch`, `.delete`, found with the TypeScript parser) must be an operation of its
// spec, and every operation of the spec must have a route. A route whose path is not a literal cannot
// be checked and is an error too. Routes are declared on the spec's typed router, so each one is
// validated against the spec (query, path parameters and body: 400 on a mismatch).
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'package.json'));
const YAML = require('yaml');
const prettier = require('prettier');

const ts = require('typescript');

const check = process.argv.includes('--check');
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Source files of a backend plugin that can register routes (not tests, not the generated schema). */
function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return ['schema', '__testUtils__', '__fixtures__'].includes(entry.name)
        ? []
        : sourceFiles(path);
    }
    return /\.ts$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)
      ? [path]
      : [];
  });
}

/**
 * The routes a plugin's source registers: `<router>.<method>('/path', …)` where the receiver is an
 * identifier named `router` (the plugin's typed router, by convention in every backend plugin).
 * Returns `METHOD /spec/{style}` keys, and problems for routes that cannot be read statically.
 */
function registeredRoutes(srcDir) {
  const routes = new Map();
  const unreadable = [];
  for (const file of sourceFiles(srcDir)) {
    const sf = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const visit = node => {
      if (
        ts.isCallExpression(node) &&
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'router' &&
        [...HTTP_METHODS, 'all', 'use'].includes(node.expression.name.text)
      ) {
        const method = node.expression.name.text;
        const arg = node.arguments[0];
        const where = `${relative(root, file)}:${
          sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
        }`;
        const literal =
          arg &&
          (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg));
        if (method === 'use' || method === 'all') {
          // router.use(middleware) is fine; a path-mounted sub-router or app is not checkable
          if (literal)
            unreadable.push(
              `${where}: router.${method}('${arg.text}') is not checkable`,
            );
        } else if (!literal) {
          unreadable.push(
            `${where}: router.${method}() with a path that is not a literal`,
          );
        } else {
          const path = arg.text.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
          routes.set(`${method.toUpperCase()} ${path}`, where);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { routes, unreadable };
}

function specOperations(spec) {
  const ops = new Set();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) {
      if (item?.[method]) ops.add(`${method.toUpperCase()} ${path}`);
    }
  }
  return ops;
}
let routeCount = 0;
const problems = [];
let count = 0;

for (const dir of readdirSync(join(root, 'plugins')).sort()) {
  const pkgFile = join(root, 'plugins', dir, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (pkg.backstage?.role !== 'backend-plugin') continue;
  const specFile = join(root, 'plugins', dir, 'src', 'schema', 'openapi.yaml');
  const outFile = join(
    root,
    'plugins',
    dir,
    'src',
    'schema',
    'openapi.generated.ts',
  );
  if (!existsSync(specFile)) {
    problems.push(`${pkg.name}: no src/schema/openapi.yaml`);
    continue;
  }
  const spec = YAML.parse(readFileSync(specFile, 'utf8'));
  for (const key of ['openapi', 'info', 'paths']) {
    if (!spec?.[key])
      problems.push(`${relative(root, specFile)}: missing ${key}`);
  }
  const { routes, unreadable } = registeredRoutes(
    join(root, 'plugins', dir, 'src'),
  );
  const operations = specOperations(spec);
  problems.push(...unreadable);
  for (const [route, where] of routes) {
    if (!operations.has(route)) {
      problems.push(
        `${where}: route ${route} is not in ${relative(root, specFile)}`,
      );
    }
  }
  for (const op of operations) {
    if (!routes.has(op)) {
      problems.push(
        `${relative(
          root,
          specFile,
        )}: operation ${op} has no route in the plugin's source`,
      );
    }
  }
  routeCount += routes.size;
  const source = `// Generated by deploy/test/openapi.mjs from openapi.yaml: do not edit, run
// \`node deploy/test/openapi.mjs\` after changing the spec.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = ${JSON.stringify(spec, null, 2)} as const;

/** The plugin's typed router: requests are validated against {@link spec} (400 on a mismatch). */
export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
`;
  const config = await prettier.resolveConfig(outFile);
  const formatted = await prettier.format(source, {
    ...config,
    filepath: outFile,
  });
  count++;
  if (check) {
    const current = existsSync(outFile) ? readFileSync(outFile, 'utf8') : '';
    if (current !== formatted) {
      problems.push(
        `${relative(root, outFile)} is stale: run node deploy/test/openapi.mjs`,
      );
    }
  } else {
    writeFileSync(outFile, formatted);
  }
}

if (problems.length) {
  console.error(`OpenAPI specs:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(
  `OpenAPI specs: ${count} backend plugin(s) ${
    check ? 'up to date' : 'generated'
  }; ${routeCount} routes, each an operation of its plugin's spec`,
);
