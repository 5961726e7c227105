import type {
  Exemption,
  Finding,
  Grade,
  RunScores,
} from '@kubemate/plugin-inspections-common';
import {
  CHECK_CATEGORIES,
  SEVERITIES,
} from '@kubemate/plugin-inspections-common';
import type { RenderedReport, ReportInput } from './types';
import { GRADE_COLORS, SEVERITY_COLORS } from './colors';
import {
  bySeverity,
  compareFindings,
  evidenceLine,
  formatTime,
  groupBy,
  objectLabel,
  reportFilename,
  scopeLabel,
  triggerLabel,
} from './model';
import { trendGeometry } from './trendChart';

/** Findings drawn in the PDF at most (the most severe first); the CSV export has them all. */
export const PDF_MAX_FINDINGS = 2000;
/** New / resolved findings listed on the diff page at most. */
export const PDF_MAX_DIFF_FINDINGS = 200;

const MARGIN = 50;
const FOOTER_HEIGHT = 30;

const WIN_ANSI_EXTRAS = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ'.split(''));
const REPLACEMENTS: Record<string, string> = {
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
  '→': '->',
  '←': '<-',
  '✓': 'ok',
  '✔': 'ok',
  '✗': 'x',
  '✘': 'x',
  '−': '-',
};

/**
 * pdfkit's built-in Helvetica encodes WinAnsi only: other characters would print as nothing.
 * Common symbols become ASCII, the rest `?`; control characters are dropped.
 */
export function pdfText(value: unknown): string {
  return Array.from(String(value ?? ''))
    .map(ch => {
      const code = ch.codePointAt(0)!;
      if (ch === '\n') return ch;
      if (ch === '\t') return ' ';
      if (code < 0x20 || (code >= 0x7f && code < 0xa0)) return '';
      if (code < 0x100 || WIN_ANSI_EXTRAS.has(ch)) return ch;
      return REPLACEMENTS[ch] ?? '?';
    })
    .join('');
}

type Doc = PDFKit.PDFDocument;

interface Column {
  header: string;
  width: number;
  align?: 'left' | 'right' | 'center';
}

/** Everything the page writers share. */
class Writer {
  readonly width: number;

  constructor(readonly doc: Doc) {
    this.width = doc.page.width - 2 * MARGIN;
  }

  get bottom(): number {
    return this.doc.page.height - MARGIN - FOOTER_HEIGHT;
  }

  /** Starts a new page unless `height` more points fit on this one. */
  ensureSpace(height: number) {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  heading(text: string) {
    this.doc
      .font('Helvetica-Bold')
      .fontSize(18)
      .fillColor('#222222')
      .text(pdfText(text), MARGIN, this.doc.y);
    this.doc.moveDown(0.5);
  }

  subheading(text: string) {
    this.ensureSpace(40);
    this.doc.moveDown(0.5);
    this.doc
      .font('Helvetica-Bold')
      .fontSize(12)
      .fillColor('#222222')
      .text(pdfText(text), MARGIN);
    this.doc.moveDown(0.3);
  }

  paragraph(text: string, options: { color?: string; size?: number } = {}) {
    this.doc
      .font('Helvetica')
      .fontSize(options.size ?? 10)
      .fillColor(options.color ?? '#222222')
      .text(pdfText(text), MARGIN, this.doc.y, { width: this.width });
  }

  /** A grade badge at (x, y). */
  badge(grade: Grade, x: number, y: number, size: number) {
    this.doc
      .save()
      .roundedRect(x, y, size, size, size / 8)
      .fill(GRADE_COLORS[grade])
      .restore();
    this.doc
      .font('Helvetica-Bold')
      .fontSize(size * 0.7)
      .fillColor('#ffffff')
      .text(grade, x, y + size * 0.17, {
        width: size,
        align: 'center',
        lineBreak: false,
      });
  }

  /** A table that continues on the next page with its header repeated. */
  table(columns: Column[], rows: string[][], fontSize = 8) {
    const { doc } = this;
    const pad = 3;
    const scale = this.width / columns.reduce((t, c) => t + c.width, 0);
    const widths = columns.map(c => c.width * scale);
    const rowHeight = (cells: string[], bold: boolean) => {
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(fontSize);
      return (
        Math.max(
          ...cells.map((c, i) =>
            doc.heightOfString(pdfText(c), { width: widths[i] - 2 * pad }),
          ),
        ) +
        2 * pad
      );
    };
    const drawRow = (cells: string[], bold: boolean, fill?: string) => {
      const h = rowHeight(cells, bold);
      const y = doc.y;
      let x = MARGIN;
      if (fill) doc.save().rect(MARGIN, y, this.width, h).fill(fill).restore();
      doc
        .save()
        .moveTo(MARGIN, y + h)
        .lineTo(MARGIN + this.width, y + h)
        .lineWidth(0.5)
        .strokeColor('#cccccc')
        .stroke()
        .restore();
      cells.forEach((c, i) => {
        doc
          .font(bold ? 'Helvetica-Bold' : 'Helvetica')
          .fontSize(fontSize)
          .fillColor('#222222')
          .text(pdfText(c), x + pad, y + pad, {
            width: widths[i] - 2 * pad,
            align: columns[i].align ?? 'left',
          });
        x += widths[i];
      });
      doc.x = MARGIN;
      doc.y = y + h;
    };
    const header = columns.map(c => c.header);
    const headerHeight = rowHeight(header, true);
    this.ensureSpace(headerHeight * 2);
    drawRow(header, true, '#eeeeee');
    for (const row of rows) {
      const h = rowHeight(row, false);
      if (doc.y + h > this.bottom) {
        doc.addPage();
        drawRow(header, true, '#eeeeee');
      }
      drawRow(row, false);
    }
    doc.moveDown(0.5);
  }

  /** One finding: severity, check and object, message, evidence, owner. */
  finding(f: Finding, withOwner: boolean) {
    const { doc } = this;
    this.ensureSpace(42);
    doc
      .font('Helvetica-Bold')
      .fontSize(9)
      .fillColor(SEVERITY_COLORS[f.severity])
      .text(`${f.severity.toUpperCase()} `, MARGIN, doc.y, {
        continued: true,
        width: this.width,
      })
      .fillColor('#222222')
      .text(
        pdfText(
          `${f.checkId}  ${objectLabel(f.object)}${
            f.status === 'exempted' ? '  (exempted)' : ''
          }`,
        ),
      );
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .text(pdfText(f.message), MARGIN + 10, doc.y, { width: this.width - 10 });
    const evidence = evidenceLine(f);
    const meta = [
      evidence,
      withOwner && f.owner ? `owner ${f.owner}` : '',
      f.entityRef ? `entity ${f.entityRef}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    if (meta) {
      doc
        .fillColor('#444444')
        .text(pdfText(meta), MARGIN + 10, doc.y, { width: this.width - 10 });
    }
    if (f.evidence.query) {
      doc
        .font('Courier')
        .fontSize(7)
        .fillColor('#555555')
        .text(pdfText(f.evidence.query.slice(0, 600)), MARGIN + 10, doc.y, {
          width: this.width - 10,
        });
    }
    doc.moveDown(0.4);
  }
}

function cover(w: Writer, input: ReportInput, title: string) {
  const { doc } = w;
  const { run } = input;
  doc.y = 140;
  doc
    .font('Helvetica-Bold')
    .fontSize(28)
    .fillColor('#222222')
    .text(pdfText(title), MARGIN, doc.y, { width: w.width });
  doc
    .font('Helvetica')
    .fontSize(14)
    .fillColor('#555555')
    .text('Inspection report', { width: w.width });
  doc.moveDown(2);
  const lines: Array<[string, string]> = [
    ['Run', `${run.id} (${run.status})`],
    ['Scope', scopeLabel(run)],
    ['Trigger', triggerLabel(run)],
    ['Started', formatTime(run.startedAt)],
    ['Finished', formatTime(run.finishedAt)],
    [
      'Coverage',
      `${run.coverage.executed} of ${run.coverage.planned} check executions, ${run.coverage.errors} errors, ${run.coverage.skipped} skipped`,
    ],
    ['Ruleset', run.rulesetHash],
    [
      'Generated',
      `${formatTime(input.generatedAt)}${
        input.generatedBy ? ` for ${input.generatedBy}` : ''
      }`,
    ],
  ];
  for (const [k, v] of lines) {
    const y = doc.y;
    doc
      .font('Helvetica-Bold')
      .fontSize(10)
      .fillColor('#222222')
      .text(k, MARGIN, y, { width: 80 });
    doc
      .font('Helvetica')
      .text(pdfText(v), MARGIN + 85, y, { width: w.width - 85 });
    doc.moveDown(0.3);
  }
  doc.moveDown(2);
  if (run.scores) {
    const y = doc.y;
    w.badge(run.scores.grade, MARGIN, y, 150);
    doc
      .font('Helvetica-Bold')
      .fontSize(36)
      .fillColor('#222222')
      .text(`${run.scores.overall.toFixed(1)}`, MARGIN + 175, y + 35, {
        lineBreak: false,
      });
    doc
      .font('Helvetica')
      .fontSize(12)
      .fillColor('#555555')
      .text('overall score out of 100', MARGIN + 175, y + 80, {
        lineBreak: false,
      });
    const counts = SEVERITIES.filter(s => run.findingsBySeverity[s] > 0)
      .map(s => `${run.findingsBySeverity[s]} ${s}`)
      .join(', ');
    doc.text(
      pdfText(counts ? `Findings: ${counts}` : 'No findings'),
      MARGIN + 175,
      y + 100,
      { width: w.width - 175 },
    );
    doc.x = MARGIN;
    doc.y = y + 170;
  } else {
    w.paragraph('The run has no scores: it did not finish.');
  }
  if (run.hiddenFindings > 0) {
    w.paragraph(
      `${run.hiddenFindings} findings are outside the namespaces you may see and left out of this report.`,
      { color: '#777777' },
    );
  }
}

function scoreRows(scores: RunScores): string[][] {
  return CHECK_CATEGORIES.filter(c => scores.byCategory[c]).map(c => {
    const s = scores.byCategory[c]!;
    return [
      c,
      s.score.toFixed(1),
      s.grade,
      String(s.passed),
      String(s.failed),
      String(s.errors),
      String(s.skipped),
    ];
  });
}

function scoresPage(w: Writer, input: ReportInput) {
  const { run } = input;
  w.doc.addPage();
  w.heading('Scores');
  if (!run.scores) {
    w.paragraph('The run has no scores: it did not finish.');
    return;
  }
  const y = w.doc.y;
  w.badge(run.scores.grade, MARGIN, y, 40);
  w.doc
    .font('Helvetica')
    .fontSize(12)
    .fillColor('#222222')
    .text(
      `Overall ${run.scores.overall.toFixed(1)} / 100`,
      MARGIN + 55,
      y + 13,
      { lineBreak: false },
    );
  w.doc.x = MARGIN;
  w.doc.y = y + 55;
  w.subheading('By category');
  w.table(
    [
      { header: 'category', width: 3 },
      { header: 'score', width: 2, align: 'right' },
      { header: 'grade', width: 1.5, align: 'center' },
      { header: 'passed', width: 2, align: 'right' },
      { header: 'failed', width: 2, align: 'right' },
      { header: 'errors', width: 2, align: 'right' },
      { header: 'skipped', width: 2, align: 'right' },
    ],
    scoreRows(run.scores),
    9,
  );
  const clusters = Object.entries(run.clusterScores ?? {}).sort(([a], [b]) =>
    a.localeCompare(b),
  );
  if (clusters.length > 0) {
    const categories = CHECK_CATEGORIES.filter(c =>
      clusters.some(([, s]) => s.byCategory[c]),
    );
    w.subheading('By cluster (cluster-scoped checks)');
    w.table(
      [
        { header: 'cluster', width: 3 },
        { header: 'overall', width: 2, align: 'right' },
        { header: 'grade', width: 1.5, align: 'center' },
        ...categories.map(c => ({
          header: c,
          width: 2,
          align: 'right' as const,
        })),
      ],
      clusters.map(([cluster, s]) => [
        cluster,
        s.overall.toFixed(1),
        s.grade,
        ...categories.map(c =>
          s.byCategory[c]
            ? `${s.byCategory[c]!.score.toFixed(1)} ${s.byCategory[c]!.grade}`
            : '-',
        ),
      ]),
      9,
    );
  }
  w.subheading('Findings by severity');
  w.table(
    SEVERITIES.map(s => ({ header: s, width: 1, align: 'right' as const })),
    [SEVERITIES.map(s => String(run.findingsBySeverity[s] ?? 0))],
    9,
  );
  const errors = run.checks.filter(r => r.status === 'error');
  if (errors.length > 0) {
    w.subheading(`Check errors (${errors.length}): never counted as a pass`);
    w.table(
      [
        { header: 'check', width: 3 },
        { header: 'cluster', width: 2 },
        { header: 'message', width: 6 },
      ],
      errors.map(r => [r.checkId, r.cluster ?? '', r.message ?? '']),
    );
  }
}

function diffPage(w: Writer, input: ReportInput) {
  const { diff } = input;
  w.doc.addPage();
  w.heading('Changes since the previous run');
  if (!diff) {
    w.paragraph(
      'There is no previous finished run over the same clusters to compare with.',
    );
    return;
  }
  w.paragraph(
    `Compared with run ${diff.base.id} of ${formatTime(
      diff.base.finishedAt ?? diff.base.startedAt,
    )}${
      diff.base.scores
        ? ` (score ${diff.base.scores.overall.toFixed(1)}, grade ${
            diff.base.scores.grade
          })`
        : ''
    }.`,
  );
  if (!diff.comparable) {
    w.paragraph(`Not fully comparable: ${diff.reasons.join('; ')}`, {
      color: '#c92a2a',
    });
  }
  w.doc.moveDown(0.5);
  w.table(
    [
      { header: 'new', width: 1, align: 'right' },
      { header: 'resolved', width: 1, align: 'right' },
      { header: 'unchanged', width: 1, align: 'right' },
      { header: 'not comparable', width: 1, align: 'right' },
    ],
    [
      [
        String(diff.new.length),
        String(diff.resolved.length),
        String(diff.unchanged.length),
        String(diff.notComparable.length),
      ],
    ],
    9,
  );
  const list = (title: string, findings: Finding[]) => {
    if (findings.length === 0) return;
    w.subheading(`${title} (${findings.length})`);
    const shown = [...findings]
      .sort(compareFindings)
      .slice(0, PDF_MAX_DIFF_FINDINGS);
    w.table(
      [
        { header: 'severity', width: 1.3 },
        { header: 'check', width: 2.5 },
        { header: 'object', width: 3.5 },
        { header: 'message', width: 5 },
      ],
      shown.map(f => [f.severity, f.checkId, objectLabel(f.object), f.message]),
    );
    if (findings.length > shown.length) {
      w.paragraph(
        `… ${findings.length - shown.length} more in the JSON export.`,
        { color: '#777777' },
      );
    }
  };
  list('New findings', diff.new);
  list('Resolved findings', diff.resolved);
}

function trendPage(w: Writer, input: ReportInput) {
  const { doc } = w;
  doc.addPage();
  w.heading('Trend');
  const chartWidth = w.width - 40;
  const chartHeight = 220;
  const geo = trendGeometry(input.trend, chartWidth, chartHeight);
  if (geo.series.length === 0) {
    w.paragraph('No finished runs to draw a trend from yet.');
    return;
  }
  w.paragraph(
    "Each cluster's score (cluster-scoped checks) over its last runs.",
    {
      color: '#555555',
    },
  );
  doc.moveDown(0.5);
  const x0 = MARGIN + 30;
  const y0 = doc.y + 5;
  for (const s of geo.gridScores) {
    const y = y0 + geo.y(s);
    doc
      .save()
      .moveTo(x0, y)
      .lineTo(x0 + chartWidth, y)
      .lineWidth(s === 0 ? 1 : 0.5)
      .strokeColor(s === 0 ? '#888888' : '#dddddd')
      .stroke()
      .restore();
    doc
      .font('Helvetica')
      .fontSize(7)
      .fillColor('#777777')
      .text(String(s), x0 - 28, y - 3, {
        width: 22,
        align: 'right',
        lineBreak: false,
      });
  }
  doc
    .save()
    .moveTo(x0, y0)
    .lineTo(x0, y0 + chartHeight)
    .lineWidth(1)
    .strokeColor('#888888')
    .stroke()
    .restore();
  for (const s of geo.series) {
    const [first, ...rest] = s.points;
    doc.save().lineWidth(1.8).strokeColor(s.color);
    doc.moveTo(x0 + first.x, y0 + first.y);
    for (const p of rest) doc.lineTo(x0 + p.x, y0 + p.y);
    if (rest.length > 0) doc.stroke();
    doc.restore();
    for (const p of s.points) {
      doc
        .save()
        .circle(x0 + p.x, y0 + p.y, 2.5)
        .fill(s.color)
        .restore();
    }
  }
  const axisY = y0 + chartHeight + 5;
  doc
    .font('Helvetica')
    .fontSize(7)
    .fillColor('#777777')
    .text(formatTime(geo.from), x0, axisY, { lineBreak: false });
  doc.text(formatTime(geo.to), x0 + chartWidth - 100, axisY, {
    width: 100,
    align: 'right',
    lineBreak: false,
  });
  let lx = x0;
  const legendY = axisY + 15;
  for (const s of geo.series) {
    doc.save().rect(lx, legendY, 8, 8).fill(s.color).restore();
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#222222')
      .text(pdfText(s.cluster), lx + 12, legendY, { lineBreak: false });
    lx += 24 + doc.widthOfString(pdfText(s.cluster));
  }
  doc.x = MARGIN;
  doc.y = legendY + 25;
  w.table(
    [
      { header: 'cluster', width: 3 },
      { header: 'runs', width: 1, align: 'right' },
      { header: 'first', width: 2, align: 'right' },
      { header: 'latest', width: 2, align: 'right' },
      { header: 'change', width: 1.5, align: 'right' },
    ],
    geo.series.map(s => {
      const first = s.points[0];
      const last = s.points[s.points.length - 1];
      const change = last.score - first.score;
      return [
        s.cluster,
        String(s.points.length),
        `${first.score.toFixed(1)}`,
        `${last.score.toFixed(1)}`,
        `${change > 0 ? '+' : ''}${change.toFixed(1)}`,
      ];
    }),
    9,
  );
}

function findingsPage(w: Writer, input: ReportInput) {
  const { run } = input;
  w.doc.addPage();
  w.heading(`Findings by owner (${run.findings.length})`);
  if (run.findings.length === 0) {
    w.paragraph('No findings.');
    return;
  }
  const shown = [...run.findings]
    .sort(compareFindings)
    .slice(0, PDF_MAX_FINDINGS);
  const NO_OWNER = '(no owner)';
  const owners = groupBy(shown, f => f.owner ?? NO_OWNER).sort(
    ([a], [b]) =>
      (a === NO_OWNER ? 1 : 0) - (b === NO_OWNER ? 1 : 0) || a.localeCompare(b),
  );
  for (const [owner, findings] of owners) {
    w.subheading(`${owner} (${findings.length})`);
    for (const [severity, list] of bySeverity(findings)) {
      w.ensureSpace(60);
      w.doc
        .font('Helvetica-Bold')
        .fontSize(10)
        .fillColor(SEVERITY_COLORS[severity])
        .text(`${severity} (${list.length})`, MARGIN, w.doc.y);
      w.doc.moveDown(0.2);
      for (const f of list) w.finding(f, false);
    }
  }
  if (run.findings.length > shown.length) {
    w.ensureSpace(30);
    w.paragraph(
      `… ${run.findings.length - shown.length} more in the CSV export.`,
      { color: '#c92a2a' },
    );
  }
}

function exemptionsPage(w: Writer, exemptions: Exemption[]) {
  w.doc.addPage();
  w.heading(`Exemption register (${exemptions.length})`);
  if (exemptions.length === 0) {
    w.paragraph('No exemptions.');
    return;
  }
  w.table(
    [
      { header: 'status', width: 1.4 },
      { header: 'check / object', width: 4 },
      { header: 'reason / ticket', width: 3.5 },
      { header: 'requested', width: 2.5 },
      { header: 'decided', width: 2.5 },
      { header: 'expires', width: 1.8 },
    ],
    [...exemptions]
      .sort((a, b) => a.expiresAt.localeCompare(b.expiresAt))
      .map(x => [
        x.status,
        `${x.checkId}\n${objectLabel(x.object)}${
          x.entityRef ? `\n${x.entityRef}` : ''
        }`,
        `${x.reason}\n${x.ticket}`,
        `${x.requestedBy}\n${formatTime(x.requestedAt)}`,
        x.decidedBy
          ? `${x.decidedBy}\n${formatTime(x.decidedAt)}${
              x.decisionComment ? `\n${x.decisionComment}` : ''
            }`
          : '',
        formatTime(x.expiresAt).slice(0, 10),
      ]),
    7.5,
  );
}

/** `Page n of N` and the run id on every page (pages are buffered until the end). */
function footers(doc: Doc, runId: string) {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + 10;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#777777')
      .text(pdfText(`Inspection ${runId}`), MARGIN, y, { lineBreak: false });
    doc.text(
      `Page ${i - range.start + 1} of ${range.count}`,
      doc.page.width - MARGIN - 100,
      y,
      { width: 100, align: 'right', lineBreak: false },
    );
    doc.page.margins.bottom = bottomMargin;
  }
}

/**
 * pdfkit (with fontkit, its fonts and crypto-js: about 23 MB of RSS in isolation), required at the
 * first PDF report rather than when the plugin loads (bench/memory.mjs).
 */
function loadPdfKit(): typeof import('pdfkit') {
  return require('pdfkit');
}

/**
 * The PDF report with pdfkit and its built-in Helvetica: cover (overall grade), scores (overall,
 * per category, per cluster), diff with the previous run, trend chart (vector graphics), findings
 * by owner then severity (at most PDF_MAX_FINDINGS), exemption register; page numbers in the
 * footer.
 */
export async function renderPdf(
  input: ReportInput,
  title: string,
): Promise<RenderedReport> {
  const PDFDocument = loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: {
      top: MARGIN,
      left: MARGIN,
      right: MARGIN,
      bottom: MARGIN + FOOTER_HEIGHT,
    },
    bufferPages: true,
    info: {
      Title: `${title} ${input.run.id}`,
      Author: 'Kubemate',
      Subject: 'Inspection report',
      CreationDate: input.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const w = new Writer(doc);
  cover(w, input, title);
  scoresPage(w, input);
  diffPage(w, input);
  trendPage(w, input);
  findingsPage(w, input);
  exemptionsPage(w, input.exemptions);
  footers(doc, input.run.id);
  doc.end();
  return {
    contentType: 'application/pdf',
    filename: reportFilename(input.run.id, input.generatedAt, 'pdf'),
    body: await done,
  };
}
