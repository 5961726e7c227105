import type {
  CheckRunResult,
  Finding,
} from '@kubemate/plugin-inspections-common';
import { CHECK_CATEGORIES } from '@kubemate/plugin-inspections-common';
import type { RenderedReport, ReportInput } from './types';
import {
  compareFindings,
  evidenceLine,
  findingsOf,
  groupBy,
  objectLabel,
  reportFilename,
} from './model';
import { escapeMarkup as x } from './xml';

function findingLine(f: Finding): string {
  const evidence = evidenceLine(f);
  return `[${f.severity}] ${objectLabel(f.object)}: ${f.message}${
    evidence ? ` (${evidence})` : ''
  }${f.owner ? ` owner ${f.owner}` : ''}`;
}

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3);

function testcase(
  result: CheckRunResult,
  findings: Finding[],
  classname: string,
): string {
  const name = result.cluster
    ? `${result.checkId} [${result.cluster}]`
    : result.checkId;
  const mine = findingsOf(result, findings).sort(compareFindings);
  const failed = mine.filter(f => f.status === 'failed');
  const exempted = mine.filter(f => f.status === 'exempted');
  const lines: string[] = [];
  if (result.status === 'failed') {
    const hidden = result.failed - failed.length;
    const text = [
      ...failed.map(findingLine),
      ...(hidden > 0
        ? [`${hidden} more outside the namespaces you may see`]
        : []),
    ].join('\n');
    lines.push(
      `      <failure message="${x(
        `${result.failed} finding${result.failed === 1 ? '' : 's'}`,
      )}" type="${x(result.severity)}">${x(text)}</failure>`,
    );
  } else if (result.status === 'error') {
    lines.push(
      `      <error message="${x(
        result.message ?? 'check error',
      )}" type="error">${x(result.message ?? '')}</error>`,
    );
  } else if (result.status === 'skipped') {
    lines.push(`      <skipped message="${x(result.message ?? 'skipped')}"/>`);
  }
  if (exempted.length > 0) {
    const text = exempted
      .map(f => `exempted (${f.exemptionId ?? 'exemption'}): ${findingLine(f)}`)
      .join('\n');
    lines.push(`      <system-out>${x(text)}</system-out>`);
  }
  const open = `    <testcase classname="${x(classname)}" name="${x(
    name,
  )}" time="${seconds(result.durationMs)}"`;
  return lines.length === 0
    ? `${open}/>`
    : `${open}>\n${lines.join('\n')}\n    </testcase>`;
}

/**
 * JUnit XML as CI systems import it: a testsuite per category, a testcase per check execution
 * (`<check id> [<cluster>]`); failed → `<failure>` listing its findings, error → `<error>`,
 * skipped → `<skipped>`, exempted findings in `<system-out>`.
 */
export function renderJunit(input: ReportInput): RenderedReport {
  const { run } = input;
  const timestamp = (run.finishedAt ?? run.startedAt).replace(/\.\d+Z$/, 'Z');
  const count = (results: CheckRunResult[], s: CheckRunResult['status']) =>
    results.filter(r => r.status === s).length;
  const totals = (results: CheckRunResult[]) =>
    `tests="${results.length}" failures="${count(
      results,
      'failed',
    )}" errors="${count(results, 'error')}" skipped="${count(
      results,
      'skipped',
    )}" time="${seconds(results.reduce((t, r) => t + r.durationMs, 0))}"`;

  const suites = groupBy(run.checks, r => r.category, CHECK_CATEGORIES).map(
    ([category, results]) => {
      const sorted = [...results].sort(
        (a, b) =>
          a.checkId.localeCompare(b.checkId) ||
          (a.cluster ?? '').localeCompare(b.cluster ?? ''),
      );
      return [
        `  <testsuite name="${x(category)}" ${totals(results)} timestamp="${x(
          timestamp,
        )}">`,
        ...sorted.map(r =>
          testcase(r, run.findings, `inspections.${category}`),
        ),
        '  </testsuite>',
      ].join('\n');
    },
  );
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`Kubemate inspection ${run.id}`)}" ${totals(
      run.checks,
    )}>`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
  return {
    contentType: 'application/xml; charset=utf-8',
    filename: reportFilename(run.id, input.generatedAt, 'xml'),
    body: Buffer.from(body, 'utf8'),
  };
}
