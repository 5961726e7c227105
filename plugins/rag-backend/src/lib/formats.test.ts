import { detectFormat } from './formats';

describe('detectFormat', () => {
  it('reads the format from the extension first', () => {
    expect(detectFormat({ filename: 'Runbook.MD' })).toBe('markdown');
    expect(detectFormat({ filename: 'a.markdown' })).toBe('markdown');
    expect(
      detectFormat({ filename: 'page.htm', contentType: 'text/plain' }),
    ).toBe('html');
    expect(detectFormat({ filename: 'notes.txt' })).toBe('text');
    expect(detectFormat({ filename: 'x.pdf' })).toBe('pdf');
  });

  it('falls back to the content type, then to the PDF signature', () => {
    expect(
      detectFormat({
        filename: 'README',
        contentType: 'text/markdown; charset=utf-8',
      }),
    ).toBe('markdown');
    expect(
      detectFormat({
        filename: 'download',
        contentType: 'application/octet-stream',
        body: Buffer.from('%PDF-1.7\n...'),
      }),
    ).toBe('pdf');
  });

  it('names the file and what is supported when it cannot read it', () => {
    expect(() =>
      detectFormat({
        filename: 'design.docx',
        contentType: 'application/octet-stream',
        body: Buffer.from('PK\u0003\u0004'),
      }),
    ).toThrow(
      'design.docx: .docx files are not supported; upload Markdown (.md), HTML (.html), plain text (.txt) or PDF (.pdf)',
    );
    expect(() =>
      detectFormat({ filename: 'blob', contentType: 'image/png' }),
    ).toThrow(
      /blob: files without an extension of type image\/png are not supported/,
    );
  });
});
