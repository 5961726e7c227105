import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DefaultReportRenderer } from './DefaultReportRenderer';
import { PDF_MAX_FINDINGS } from './pdf';
import { reportInput } from './testInput';

const run = promisify(execFile);

/** poppler-utils must be installed: this test fails (never skips) without it. */
function requirePoppler() {
  for (const tool of ['pdftoppm', 'pdfinfo', 'pdftotext']) {
    const probe = spawnSync(tool, ['-v']);
    if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      throw new Error(
        `${tool} is not installed: the PDF report test renders pages with poppler. Install Debian's poppler-utils (apt-get install -y poppler-utils).`,
      );
    }
  }
}

/** A binary PGM (P5, 8 bit) as pdftoppm -gray writes it. */
function parsePgm(data: Buffer): {
  width: number;
  height: number;
  pixels: Buffer;
} {
  const tokens: string[] = [];
  let i = 0;
  while (tokens.length < 4) {
    while (/\s/.test(String.fromCharCode(data[i]))) i++;
    if (data[i] === 0x23 /* # */) {
      while (data[i] !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (!/\s/.test(String.fromCharCode(data[i])))
      token += String.fromCharCode(data[i++]);
    tokens.push(token);
  }
  i++; // the single whitespace after maxval
  const [magic, w, h, max] = tokens;
  if (magic !== 'P5' || max !== '255') {
    throw new Error(`not an 8-bit binary PGM: ${tokens.join(' ')}`);
  }
  const width = Number(w);
  const height = Number(h);
  const pixels = data.subarray(i, i + width * height);
  if (pixels.length !== width * height) throw new Error('PGM truncated');
  return { width, height, pixels };
}

describe('PDF export', () => {
  let dir: string;

  beforeAll(async () => {
    requirePoppler();
    dir = await mkdtemp(join(tmpdir(), 'inspections-pdf-'));
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function render(input: ReturnType<typeof reportInput>, name: string) {
    const out = await new DefaultReportRenderer().render('pdf', input);
    const file = join(dir, `${name}.pdf`);
    await writeFile(file, out.body);
    const info = (await run('pdfinfo', [file])).stdout;
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    const text = async (first: number, last = first) =>
      (
        await run(
          'pdftotext',
          ['-f', String(first), '-l', String(last), '-layout', file, '-'],
          { maxBuffer: 64 * 1024 * 1024 },
        )
      ).stdout;
    return { out, file, pages, text };
  }

  it('renders a realistic run: cover with the grade, all sections, page numbers, page 1 not blank', async () => {
    const input = reportInput(200);
    const { out, file, pages, text } = await render(input, 'realistic');
    expect(out.contentType).toBe('application/pdf');
    expect(out.filename).toBe('inspection-3f2a9c1e-20261201.pdf');
    expect(out.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // cover, scores, diff, trend, findings (several pages), register
    expect(pages).toBeGreaterThanOrEqual(8);

    const cover = await text(1);
    expect(cover).toContain('Inspection report');
    expect(cover).toContain(input.run.id);
    expect(cover).toContain(input.run.scores!.overall.toFixed(1));
    expect(cover).toContain(`Page 1 of ${pages}`);
    const all = await text(1, pages);
    for (const section of [
      'Scores',
      'By cluster',
      'Changes since the previous run',
      'Trend',
      'Findings by owner (200)',
      'group:default/team-payments',
      'Exemption register (3)',
      'CHG-1010',
    ]) {
      expect(all).toContain(section);
    }
    // WinAnsi only: `≥` is written as `>=`
    expect(all).toContain('(>= threshold)');
    expect(await text(pages)).toContain(`Page ${pages} of ${pages}`);

    // page 1 as a 30 dpi greyscale image: the cover's text and grade badge are ink
    const base = join(dir, 'page1');
    await run('pdftoppm', [
      '-gray',
      '-r',
      '30',
      '-f',
      '1',
      '-l',
      '1',
      '-singlefile',
      file,
      base,
    ]);
    const { width, height, pixels } = parsePgm(await readFile(`${base}.pgm`));
    expect(width).toBeGreaterThan(200);
    expect(height).toBeGreaterThan(300);
    let ink = 0;
    for (const p of pixels) if (p < 200) ink++;
    const share = ink / pixels.length;
    expect(share).toBeGreaterThan(0.03);
    expect(share).toBeLessThan(0.6);
  }, 60_000);

  it('renders a run without findings, diff, trend or exemptions', async () => {
    const input = {
      ...reportInput(0),
      diff: undefined,
      trend: [],
      exemptions: [],
    };
    const { pages, text } = await render(input, 'empty');
    expect(pages).toBe(6);
    const all = await text(1, pages);
    expect(all).toContain('No findings');
    expect(all).toContain('There is no previous finished run');
    expect(all).toContain('No finished runs to draw a trend from yet.');
    expect(all).toContain('No exemptions.');
  }, 60_000);

  it(`caps thousands of findings at ${PDF_MAX_FINDINGS} and says where the rest are`, async () => {
    const input = reportInput(5000);
    const { pages, text } = await render(input, 'large');
    expect(pages).toBeGreaterThan(50);
    const last = await text(pages - 2, pages);
    expect(last).toContain(`${5000 - PDF_MAX_FINDINGS} more in the CSV export`);
  }, 120_000);
});
