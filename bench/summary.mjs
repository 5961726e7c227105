#!/usr/bin/env node
/*
 * Prints the performance comparisons of the last bench runs side by side (run by `./kubemate bench`
 * after the benches, or alone with `./kubemate bench summary`).
 *
 * Each comparing bench writes e2e/artifacts/bench/<bench>.json at the end of its run:
 *   { bench, at, comparisons: [{ name, ours: {label, value}, other: {label, value}, unit, ratio,
 *     goal, met }] }
 * This script only reads those files: every number in the table comes from a run, with its time.
 * A bench that has not run (no file) is listed as missing; the exit code is 0 either way, since a
 * goal not reached is a result, not a failure of the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from './backend.mjs';

export const summaryDir = join(root, 'e2e/artifacts/bench');

/** The benches `./kubemate bench` runs for the comparisons, in the order it runs them. */
export const comparingBenches = [
  'memory',
  'cluster-ops',
  'metrics',
  'logs-query',
  'logs-list',
];

const fmt = v =>
  typeof v !== 'number'
    ? String(v ?? '–')
    : Math.abs(v) >= 100
    ? v.toFixed(0)
    : Math.abs(v) >= 10
    ? v.toFixed(1)
    : v.toFixed(2);

function readSummary(bench) {
  const file = join(summaryDir, `${bench}.json`);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    return { bench, error: `unreadable ${file}: ${e.message}` };
  }
}

/** Rows of the table: one per comparison, or one saying why a bench has none. */
export function summaryRows(benches = comparingBenches) {
  const rows = [];
  for (const bench of benches) {
    const s = readSummary(bench);
    if (!s) {
      rows.push({
        bench,
        missing: `no run yet (./kubemate bench ${bench.replace(
          /^logs-.*/,
          'logs',
        )})`,
      });
      continue;
    }
    if (s.error || !Array.isArray(s.comparisons)) {
      rows.push({ bench, missing: s.error ?? 'no comparisons in the file' });
      continue;
    }
    for (const c of s.comparisons) {
      const ratio =
        typeof c.ratio === 'number'
          ? c.ratio
          : c.other?.value
          ? c.ours?.value / c.other.value
          : undefined;
      rows.push({
        bench,
        at: s.at,
        name: c.name,
        ours: `${fmt(c.ours?.value)} (${c.ours?.label ?? 'ours'})`,
        other: `${fmt(c.other?.value)} (${c.other?.label ?? 'other'})`,
        unit: c.unit ?? '',
        ratio: ratio === undefined ? '–' : `${fmt(ratio)}×`,
        goal: c.goal ?? '',
        met: c.met === true ? 'yes' : c.met === false ? 'NO' : '–',
      });
    }
  }
  return rows;
}

function printTable(rows) {
  const cols = [
    'bench',
    'name',
    'unit',
    'ours',
    'other',
    'ratio',
    'goal',
    'met',
  ];
  const full = rows.filter(r => !r.missing);
  const width = Object.fromEntries(
    cols.map(c => [
      c,
      Math.max(c.length, ...full.map(r => String(r[c]).length)),
    ]),
  );
  const line = r => cols.map(c => String(r[c]).padEnd(width[c])).join(' | ');
  console.log(line(Object.fromEntries(cols.map(c => [c, c]))));
  console.log(cols.map(c => '-'.repeat(width[c])).join('-|-'));
  for (const r of full) console.log(line(r));
  for (const r of rows.filter(x => x.missing))
    console.log(`${r.bench}: ${r.missing}`);
  const times = [...new Set(full.map(r => `${r.bench} ${r.at}`))];
  if (times.length) console.log(`\nruns: ${times.join('; ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `Kubemate Portal — performance comparisons (ours vs the alternative, ratio = ours / other), from ${summaryDir}\n`,
  );
  printTable(summaryRows());
}
