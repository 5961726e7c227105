import { DefaultReportRenderer } from './DefaultReportRenderer';
import { reportInput } from './testInput';

describe('JSON export', () => {
  it('is the run, diff, trend, register and generation, pretty-printed', async () => {
    const input = reportInput(5);
    const out = await new DefaultReportRenderer().render('json', input);
    expect(out.contentType).toBe('application/json; charset=utf-8');
    expect(out.filename).toBe('inspection-3f2a9c1e-20261201.json');
    const text = out.body.toString('utf8');
    expect(text).toContain('\n  "run": {');
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual([
      'run',
      'diff',
      'trend',
      'exemptions',
      'generatedAt',
      'generatedBy',
    ]);
    expect(parsed.run.findings).toHaveLength(5);
    expect(parsed.generatedAt).toBe('2026-12-01T08:15:00.000Z');
    expect(parsed.diff.base.id).toBe(input.diff!.base.id);
  });

  it('refuses an unknown format', async () => {
    await expect(
      new DefaultReportRenderer().render('docx' as any, reportInput(0)),
    ).rejects.toThrow("Unknown export format 'docx'");
  });
});
