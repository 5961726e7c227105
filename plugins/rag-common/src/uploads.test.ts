import {
  documentFormatOf,
  emptyUploadMessage,
  formatBytes,
  unsupportedFormatMessage,
  uploadTooLargeMessage,
} from './uploads';

describe('uploads', () => {
  it('reads the format from the extension, case-insensitively', () => {
    expect(documentFormatOf('restart.md')).toBe('markdown');
    expect(documentFormatOf('Guide.MARKDOWN')).toBe('markdown');
    expect(documentFormatOf('page.htm')).toBe('html');
    expect(documentFormatOf('a.b.html')).toBe('html');
    expect(documentFormatOf('notes.txt')).toBe('text');
    expect(documentFormatOf('manual.PDF')).toBe('pdf');
    expect(documentFormatOf('image.png')).toBeUndefined();
    expect(documentFormatOf('README')).toBeUndefined();
  });

  it('formats byte counts', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(20 * 1024 * 1024)).toBe('20 MiB');
    expect(formatBytes(150 * 1024 * 1024)).toBe('150 MiB');
  });

  it('says why a file is refused', () => {
    expect(uploadTooLargeMessage('big.pdf', 21 * 1024 * 1024, 20971520)).toBe(
      'big.pdf is 21 MiB, more than the upload limit of 20 MiB',
    );
    expect(unsupportedFormatMessage('a.png')).toBe(
      'a.png: unsupported file type; upload Markdown (.md, .markdown), HTML (.html, .htm), plain text (.txt) or PDF (.pdf)',
    );
    expect(emptyUploadMessage('a.md')).toBe('a.md is empty');
  });
});
