import type { RenderedReport, ReportInput } from './types';
import { reportFilename } from './model';

/** The run (with its findings), the diff, the trend and the register, pretty-printed. */
export function renderJson(input: ReportInput): RenderedReport {
  const { run, diff, trend, exemptions, generatedAt, generatedBy } = input;
  const body = JSON.stringify(
    {
      run,
      diff,
      trend,
      exemptions,
      generatedAt: generatedAt.toISOString(),
      generatedBy,
    },
    null,
    2,
  );
  return {
    contentType: 'application/json; charset=utf-8',
    filename: reportFilename(run.id, generatedAt, 'json'),
    body: Buffer.from(`${body}\n`, 'utf8'),
  };
}
