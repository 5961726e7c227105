import { checkFile } from './useUploads';

const file = (name: string, size: number, type = '') =>
  new File(['x'.repeat(size)], name, { type });

describe('checkFile', () => {
  it('takes the formats the backend reads, within the limit', () => {
    expect(checkFile(file('restart.md', 10), 100)).toBeUndefined();
    expect(checkFile(file('Guide.HTM', 10), 100)).toBeUndefined();
    expect(checkFile(file('manual.pdf', 100), 100)).toBeUndefined();
    // no limit known yet: the backend checks it
    expect(checkFile(file('big.txt', 1000))).toBeUndefined();
    // no extension: the backend reads its content type or signature
    expect(checkFile(file('NOTES', 10, 'text/plain'), 100)).toBeUndefined();
  });

  it('refuses with the messages the backend gives', () => {
    expect(checkFile(file('diagram.png', 10), 100)).toBe(
      'diagram.png: unsupported file type; upload Markdown (.md, .markdown), HTML (.html, .htm), plain text (.txt) or PDF (.pdf)',
    );
    expect(checkFile(file('empty.md', 0), 100)).toBe('empty.md is empty');
    expect(checkFile(file('big.md', 2048), 1024)).toBe(
      'big.md is 2 KiB, more than the upload limit of 1 KiB',
    );
  });
});
