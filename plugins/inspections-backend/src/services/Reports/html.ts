import type {
  CheckCategory,
  Exemption,
  Finding,
  Grade,
  RunScores,
  Severity,
} from '@kubemate/plugin-inspections-common';
import { CHECK_CATEGORIES } from '@kubemate/plugin-inspections-common';
import type { RenderedReport, ReportInput } from './types';
import {
  bySeverity,
  checksById,
  compareFindings,
  formatTime,
  groupBy,
  objectLabel,
  reportFilename,
  scopeLabel,
  triggerLabel,
} from './model';
import { GRADE_COLORS, SEVERITY_COLORS } from './colors';
import { trendGeometry } from './trendChart';
import { escapeMarkup as e } from './xml';

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;color:#222;margin:2em auto;max-width:1100px;padding:0 1em;line-height:1.4}
h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;width:100%;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f4f4f4}
.meta td:first-child{width:12em;font-weight:bold;border:none}.meta td{border:none;padding:2px 6px}
.grade{display:inline-block;min-width:1.4em;text-align:center;color:#fff;font-weight:bold;border-radius:4px;padding:0 .3em}
.big{font-size:3em;padding:.1em .4em}
.sev{color:#fff;border-radius:3px;padding:0 .35em;font-size:.85em;text-transform:uppercase}
.check{margin:1em 0;padding:.5em 1em;border-left:4px solid #ddd;background:#fafafa}
.doc{white-space:pre-wrap;font-size:.9em;color:#444}
code,.q{font-family:Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
.muted{color:#777}.exempted{color:#777;font-style:italic}
`;

const grade = (g: Grade, big = false) =>
  `<span class="grade${big ? ' big' : ''}" style="background:${
    GRADE_COLORS[g]
  }">${e(g)}</span>`;

const severity = (s: string) =>
  `<span class="sev" style="background:${
    SEVERITY_COLORS[s as Severity] ?? '#555'
  }">${e(s)}</span>`;

function table(headers: string[], rows: string[][]): string {
  return `<table><thead><tr>${headers
    .map(h => `<th>${e(h)}</th>`)
    .join('')}</tr></thead><tbody>${rows
    .map(r => `<tr>${r.map(c => `<td>${c}</td>`).join('')}</tr>`)
    .join('\n')}</tbody></table>`;
}

function scoresTable(scores: RunScores): string {
  const categories = CHECK_CATEGORIES.filter(c => scores.byCategory[c]);
  return table(
    ['category', 'score', 'grade', 'passed', 'failed', 'errors', 'skipped'],
    categories.map(c => {
      const s = scores.byCategory[c as CheckCategory]!;
      return [
        e(c),
        e(s.score.toFixed(1)),
        grade(s.grade),
        e(s.passed),
        e(s.failed),
        e(s.errors),
        e(s.skipped),
      ];
    }),
  );
}

function findingRow(f: Finding): string[] {
  const evidence = [
    f.evidence.measured ? `measured <b>${e(f.evidence.measured)}</b>` : '',
    f.evidence.expected ? `expected ${e(f.evidence.expected)}` : '',
    f.evidence.query ? `<div class="q">${e(f.evidence.query)}</div>` : '',
    f.evidence.details ? `<div class="doc">${e(f.evidence.details)}</div>` : '',
  ].filter(Boolean);
  return [
    `<span class="${f.status}">${e(objectLabel(f.object))}</span>`,
    `${e(f.message)}${
      f.status === 'exempted'
        ? ` <span class="exempted">(exempted${
            f.exemptionId ? ` by ${e(f.exemptionId)}` : ''
          })</span>`
        : ''
    }`,
    evidence.join('<br>'),
    [f.entityRef, f.owner].filter(Boolean).map(e).join('<br>') ||
      '<span class="muted">no owner</span>',
  ];
}

const findingHeaders = ['object', 'message', 'evidence', 'entity / owner'];

function diffSection(input: ReportInput): string {
  const { diff } = input;
  if (!diff) {
    return '<p class="muted">No previous finished run over the same clusters to compare with.</p>';
  }
  const list = (title: string, findings: Finding[]) =>
    findings.length === 0
      ? ''
      : `<h3>${e(title)} (${findings.length})</h3>${table(
          ['severity', 'check', ...findingHeaders],
          [...findings]
            .sort(compareFindings)
            .map(f => [severity(f.severity), e(f.checkId), ...findingRow(f)]),
        )}`;
  return [
    `<p>Compared with run <code>${e(diff.base.id)}</code> of ${e(
      formatTime(diff.base.finishedAt ?? diff.base.startedAt),
    )}${
      diff.base.scores
        ? ` (score ${e(diff.base.scores.overall.toFixed(1))} ${grade(
            diff.base.scores.grade,
          )})`
        : ''
    }.</p>`,
    diff.comparable
      ? ''
      : `<p><b>Not fully comparable:</b> ${diff.reasons.map(e).join('; ')}</p>`,
    table(
      ['new', 'resolved', 'unchanged', 'not comparable'],
      [
        [
          e(diff.new.length),
          e(diff.resolved.length),
          e(diff.unchanged.length),
          e(diff.notComparable.length),
        ],
      ],
    ),
    list('New findings', diff.new),
    list('Resolved findings', diff.resolved),
  ].join('\n');
}

function trendSection(input: ReportInput): string {
  const width = 720;
  const height = 200;
  const geo = trendGeometry(input.trend, width, height);
  if (geo.series.length === 0) return '<p class="muted">No trend yet.</p>';
  const pad = 40;
  const grid = geo.gridScores
    .map(
      s =>
        `<line x1="0" x2="${width}" y1="${geo.y(s)}" y2="${geo.y(
          s,
        )}" stroke="#ddd"/><text x="-6" y="${
          geo.y(s) + 4
        }" font-size="10" text-anchor="end" fill="#777">${s}</text>`,
    )
    .join('');
  const lines = geo.series
    .map(
      s =>
        `<polyline fill="none" stroke="${
          s.color
        }" stroke-width="2" points="${s.points
          .map(p => `${p.x.toFixed(1)},${p.y.toFixed(1)}`)
          .join(' ')}"/>${s.points
          .map(
            p =>
              `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(
                1,
              )}" r="3" fill="${s.color}"><title>${e(
                `${s.cluster} ${formatTime(p.at)}: ${p.score}`,
              )}</title></circle>`,
          )
          .join('')}`,
    )
    .join('');
  const legend = geo.series
    .map(
      s =>
        `<span style="color:${s.color};font-weight:bold">■ ${e(
          s.cluster,
        )}</span>`,
    )
    .join(' &nbsp; ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${
    width + pad + 10
  }" height="${
    height + 30
  }" role="img" aria-label="score trend"><g transform="translate(${pad},8)">${grid}${lines}<text x="0" y="${
    height + 18
  }" font-size="10" fill="#777">${e(
    formatTime(geo.from),
  )}</text><text x="${width}" y="${
    height + 18
  }" font-size="10" fill="#777" text-anchor="end">${e(
    formatTime(geo.to),
  )}</text></g></svg><p>${legend}</p>`;
}

function findingsSection(input: ReportInput): string {
  const checks = checksById(input.checks);
  if (input.run.findings.length === 0) {
    return '<p>No findings.</p>';
  }
  return bySeverity(input.run.findings)
    .map(([sev, findings]) => {
      const perCheck = groupBy(findings, f => f.checkId)
        .map(([checkId, list]) => {
          const check = checks.get(checkId);
          return `<div class="check"><h4>${severity(sev)} ${e(
            check?.title ?? list[0].title,
          )} <code>${e(checkId)}</code> — ${list.length}</h4>${
            check?.description
              ? `<div class="doc">${e(check.description)}</div>`
              : ''
          }${
            check?.remediation
              ? `<p><b>Remediation</b></p><div class="doc">${e(
                  check.remediation,
                )}</div>`
              : ''
          }${table(findingHeaders, list.map(findingRow))}</div>`;
        })
        .join('\n');
      return `<h3>${severity(sev)} ${findings.length}</h3>${perCheck}`;
    })
    .join('\n');
}

function exemptionsSection(exemptions: Exemption[]): string {
  if (exemptions.length === 0) return '<p>No exemptions.</p>';
  return table(
    [
      'status',
      'check',
      'object',
      'entity',
      'reason',
      'ticket',
      'requested',
      'decided',
      'expires',
    ],
    [...exemptions]
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
      .map(x => [
        e(x.status),
        `<code>${e(x.checkId)}</code>`,
        e(objectLabel(x.object)),
        e(x.entityRef ?? ''),
        e(x.reason),
        e(x.ticket),
        `${e(x.requestedBy)}<br>${e(formatTime(x.requestedAt))}`,
        x.decidedBy
          ? `${e(x.decidedBy)}<br>${e(formatTime(x.decidedAt))}${
              x.decisionComment ? `<br><i>${e(x.decisionComment)}</i>` : ''
            }`
          : '',
        e(formatTime(x.expiresAt)),
      ]),
  );
}

function errorsSection(input: ReportInput): string {
  const errors = input.run.checks.filter(r => r.status === 'error');
  if (errors.length === 0) return '';
  return `<h2>Check errors (${
    errors.length
  })</h2><p>An error never counts as a pass: these executions score 0.</p>${table(
    ['check', 'cluster', 'message'],
    errors.map(r => [
      `<code>${e(r.checkId)}</code>`,
      e(r.cluster ?? ''),
      e(r.message ?? ''),
    ]),
  )}`;
}

/** A self-contained page: inline CSS and SVG, no scripts, no external resources; all text escaped. */
export function renderHtml(input: ReportInput, title: string): RenderedReport {
  const { run } = input;
  const clusters = Object.entries(run.clusterScores ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  const clusterCategories = CHECK_CATEGORIES.filter(c =>
    clusters.some(([, s]) => s.byCategory[c]),
  );
  const clusterTable = table(
    ['cluster', 'score', 'grade', ...clusterCategories],
    clusters.map(([cluster, s]) => [
      e(cluster),
      e(s.overall.toFixed(1)),
      grade(s.grade),
      ...clusterCategories.map(c => {
        const cs = s.byCategory[c];
        return cs ? `${e(cs.score.toFixed(1))} ${grade(cs.grade)}` : '–';
      }),
    ]),
  );
  const meta: Array<[string, string]> = [
    ['Run', `<code>${e(run.id)}</code> (${e(run.status)})`],
    ['Scope', e(scopeLabel(run))],
    ['Trigger', e(triggerLabel(run))],
    ['Started', e(formatTime(run.startedAt))],
    ['Finished', e(formatTime(run.finishedAt))],
    [
      'Coverage',
      e(
        `${run.coverage.executed} of ${run.coverage.planned} executions, ${run.coverage.errors} errors, ${run.coverage.skipped} skipped`,
      ),
    ],
    ['Ruleset', `<code>${e(run.rulesetHash)}</code>`],
    [
      'Generated',
      e(
        `${formatTime(input.generatedAt)}${
          input.generatedBy ? ` for ${input.generatedBy}` : ''
        }`,
      ),
    ],
  ];
  const body = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${e(`${title} — ${run.id}`)}</title>
<style>${STYLE}</style></head><body>
<h1>${e(title)}</h1>
<table class="meta">${meta
    .map(([k, v]) => `<tr><td>${e(k)}</td><td>${v}</td></tr>`)
    .join('')}</table>
${
  run.hiddenFindings > 0
    ? `<p class="muted">${e(
        run.hiddenFindings,
      )} findings are outside the namespaces you may see and left out.</p>`
    : ''
}
<h2>Scores</h2>
${
  run.scores
    ? `<p>Overall ${grade(run.scores.grade, true)} <b>${e(
        run.scores.overall.toFixed(1),
      )}</b> / 100</p>${scoresTable(run.scores)}`
    : '<p class="muted">The run has no scores (it did not finish).</p>'
}
${clusters.length > 0 ? `<h3>Per cluster</h3>${clusterTable}` : ''}
<h2>Changes since the previous run</h2>
${diffSection(input)}
<h2>Trend</h2>
${trendSection(input)}
${errorsSection(input)}
<h2>Findings (${run.findings.length})</h2>
${findingsSection(input)}
<h2>Exemption register (${input.exemptions.length})</h2>
${exemptionsSection(input.exemptions)}
</body></html>
`;
  return {
    contentType: 'text/html; charset=utf-8',
    filename: reportFilename(run.id, input.generatedAt, 'html'),
    body: Buffer.from(body, 'utf8'),
  };
}
