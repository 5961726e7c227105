/*
 * pdfkit is required at the first PDF report, not when the plugin or the report renderer loads
 * (bench/memory.mjs): the mock's factory (the real pdfkit) runs only when it is required.
 */
import '../../plugin';
import { DefaultReportRenderer } from './DefaultReportRenderer';
import { reportInput } from './testInput';

const mockLoaded: string[] = [];

jest.mock('pdfkit', () => {
  mockLoaded.push('pdfkit');
  return jest.requireActual('pdfkit');
});

describe('pdfkit', () => {
  it('is loaded at the first PDF report only', async () => {
    const renderer = new DefaultReportRenderer();
    await renderer.render('html', reportInput(3));
    expect(mockLoaded).toEqual([]);

    const out = await renderer.render('pdf', reportInput(3));
    expect(out.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(mockLoaded).toEqual(['pdfkit']);
  });
});
