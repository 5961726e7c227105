import type { Finding } from '@kubemate/plugin-inspections-common';
import type { RenderedReport, ReportInput } from './types';
import { compareFindings, reportFilename } from './model';

export const CSV_COLUMNS: Array<[string, (f: Finding) => string | undefined]> =
  [
    ['fingerprint', f => f.fingerprint],
    ['severity', f => f.severity],
    ['status', f => f.status],
    ['category', f => f.category],
    ['check', f => f.checkId],
    ['cluster', f => f.object.cluster],
    ['namespace', f => f.object.namespace],
    ['kind', f => f.object.kind],
    ['name', f => f.object.name],
    ['part', f => f.object.part],
    ['entity', f => f.entityRef],
    ['owner', f => f.owner],
    ['message', f => f.message],
    ['measured', f => f.evidence.measured],
    ['expected', f => f.evidence.expected],
    ['query', f => f.evidence.query],
  ];

/**
 * One CSV field (RFC 4180): quoted when it holds a quote, comma or line break, quotes doubled.
 * A text that a spreadsheet would run as a formula (`=`, `+`, `@`, or `-` not starting a number)
 * gets a leading `'` (the usual CSV-injection guard; the value stays readable).
 */
export function csvField(value: string | undefined): string {
  let v = value ?? '';
  if (/^[=+@\t\r]/.test(v) || /^-(?![\d.\s]|$)/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One row per finding (header first), CRLF line ends, a UTF-8 BOM so Excel reads UTF-8. */
export function renderCsv(input: ReportInput): RenderedReport {
  const rows = [CSV_COLUMNS.map(([name]) => name).join(',')];
  for (const f of [...input.run.findings].sort(compareFindings)) {
    rows.push(CSV_COLUMNS.map(([, get]) => csvField(get(f))).join(','));
  }
  return {
    contentType: 'text/csv; charset=utf-8',
    filename: reportFilename(input.run.id, input.generatedAt, 'csv'),
    body: Buffer.from(`\uFEFF${rows.join('\r\n')}\r\n`, 'utf8'),
  };
}
