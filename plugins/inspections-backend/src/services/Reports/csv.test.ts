import { DefaultReportRenderer } from './DefaultReportRenderer';
import { CSV_COLUMNS, csvField } from './csv';
import { finding, reportInput } from './testInput';

/** A minimal RFC 4180 reader (quoted fields with doubled quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') {
        quoted = false;
      } else {
        field += ch;
      }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += ch;
    }
  }
  if (field || row.length) throw new Error('the last row has no CRLF');
  return rows;
}

describe('CSV export', () => {
  it('quotes fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(undefined)).toBe('');
  });

  it('keeps spreadsheets from running a field as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvField('-5 %')).toBe('-5 %');
    expect(csvField('-cmd')).toBe(`'-cmd`);
  });

  it('writes a BOM, a header and one row per finding that reads back to the same values', async () => {
    const input = reportInput(12);
    input.run.findings[3] = finding(3, {
      message: 'He said "no", then:\r\nrestarted, twice',
      evidence: { query: 'sum(rate(x{a="b,c"}[5m]))' },
    });
    const out = await new DefaultReportRenderer().render('csv', input);
    expect(out.contentType).toBe('text/csv; charset=utf-8');
    expect(out.filename).toBe('inspection-3f2a9c1e-20261201.csv');
    const text = out.body.toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual(CSV_COLUMNS.map(([name]) => name));
    expect(rows).toHaveLength(13);
    expect(rows.every(r => r.length === CSV_COLUMNS.length)).toBe(true);
    const row = rows.find(r => r[0] === input.run.findings[3].fingerprint)!;
    const col = (name: string) =>
      row[CSV_COLUMNS.findIndex(([n]) => n === name)];
    expect(col('message')).toBe('He said "no", then:\r\nrestarted, twice');
    expect(col('query')).toBe('sum(rate(x{a="b,c"}[5m]))');
    expect(col('cluster')).toBe(input.run.findings[3].object.cluster);
    // most severe first
    const severities = rows.slice(1).map(r => r[1]);
    expect(severities.indexOf('critical')).toBeLessThan(
      severities.indexOf('medium'),
    );
  });

  it('writes only the header for a run without findings', async () => {
    const out = await new DefaultReportRenderer().render('csv', reportInput(0));
    expect(parseCsv(out.body.toString('utf8').slice(1))).toHaveLength(1);
  });
});
