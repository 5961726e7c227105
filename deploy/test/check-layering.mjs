#!/usr/bin/env node
// Package layering of Kubemate Portal, checked in the lint step (`./kubemate test`).
//
//   base          plugins/kubemate-common, kubemate-node, kubemate-react: depend on the base only
//   capability    plugins/<cap>, <cap>-backend, <cap>-common, <cap>-node: on the base and their own <cap>-* only,
//                 and on the -common package (contract, pure logic) of a capability it is declared to
//                 build on in BUILDS_ON below
//   composition   packages/*, plugins/*-backend-module-* (scaffolder actions, inspections checks, ...):
//                 on anything, but on another capability only through its -common package (the
//                 HTTP contract) or its -node package (its extension points) — except the app and
//                 backend packages, which install the plugins themselves
//
// Prints the graph of internal dependencies and exits 1 on a violation.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BASE = new Set(['kubemate-common', 'kubemate-node', 'kubemate-react']);
const TEST_HELPERS = new Set(['@kubemate/dev-stack']);
// Capabilities built on another one: they may use its -common package (fine-tuning queues its jobs
// through Kueue and reuses the GPU capability's Workload mapping and constants)
const BUILDS_ON = { finetuning: ['gpu'] };

const packages = [];
for (const parent of ['plugins', 'packages']) {
  for (const dir of readdirSync(join(root, parent))) {
    const file = join(root, parent, dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8'));
    packages.push({ parent, dir, pkg });
  }
}
const byName = new Map(packages.map(p => [p.pkg.name, p]));

function layerOf({ parent, dir }) {
  if (parent === 'packages') return { layer: 'host' };
  if (BASE.has(dir)) return { layer: 'base' };
  if (dir.includes('-backend-module-')) return { layer: 'composition' };
  return {
    layer: 'capability',
    cap: dir.replace(/-(backend|common|node)$/, ''),
  };
}

const violations = [];
const lines = [];
for (const p of packages.sort((a, b) => a.pkg.name.localeCompare(b.pkg.name))) {
  const from = layerOf(p);
  const deps = Object.keys({ ...p.pkg.dependencies, ...p.pkg.devDependencies })
    .filter(d => byName.has(d) && !TEST_HELPERS.has(d))
    .sort();
  lines.push(`${p.pkg.name} -> ${deps.join(', ') || '(none)'}`);
  for (const d of deps) {
    const target = byName.get(d);
    const to = layerOf(target);
    const fail = why =>
      violations.push(`${p.pkg.name} depends on ${d}: ${why}`);
    if (from.layer === 'host') continue;
    if (to.layer === 'base') continue;
    if (from.layer === 'base') fail('the base depends on nothing but the base');
    else if (from.layer === 'capability') {
      const buildsOn =
        to.layer === 'capability' &&
        target.dir.endsWith('-common') &&
        (BUILDS_ON[from.cap] ?? []).includes(to.cap);
      if (!buildsOn && (to.layer !== 'capability' || to.cap !== from.cap)) {
        fail(
          `capability ${from.cap} may depend on the base, its own packages and the -common of what it builds on (BUILDS_ON) only`,
        );
      }
    } else if (from.layer === 'composition') {
      if (to.layer !== 'capability' || !/-(common|node)$/.test(target.dir)) {
        fail(
          'a composition module uses other capabilities through their -common and -node packages only',
        );
      }
    }
  }
}

console.log(lines.join('\n'));
if (violations.length) {
  console.error(`\nlayering violations:\n  ${violations.join('\n  ')}`);
  process.exit(1);
}
console.log(`\nlayering ok: ${packages.length} packages`);
