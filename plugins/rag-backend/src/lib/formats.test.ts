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

  it('reads a file without an extension by its content type, then the PDF signature', () => {
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

  it('refuses other extensions whatever the content type, naming the file and what is supported', () => {
    expect(() =>
      detectFormat({
        filename: 'design.docx',
        contentType: 'text/plain',
        body: Buffer.from('PK\u0003\u0004'),
      }),
    ).toThrow(
      'design.docx: unsupported file type; upload Markdown (.md, .markdown), HTML (.html, .htm), plain text (.txt) or PDF (.pdf)',
    );
    expect(() =>
      detectFormat({ filename: 'blob', contentType: 'image/png' }),
    ).toThrow(/^blob: unsupported file type/);
  });
});
