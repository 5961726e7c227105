import { open } from 'node:fs/promises';

const CHUNK = 64 * 1024;

/**
 * The last `count` lines of a file, oldest first, reading backwards in chunks and at most
 * `maxBytes` from its end (a longer last line is cut at its start). `truncated`: the file holds
 * more than what is returned.
 */
export async function tailLines(
  path: string,
  count: number,
  maxBytes = 4 * 1024 * 1024,
): Promise<{ lines: string[]; truncated: boolean }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const chunks: Buffer[] = [];
    let start = size;
    let newlines = 0;
    // count + 1 newlines: the one that ends the file plus one before the first line kept
    while (start > 0 && size - start < maxBytes && newlines <= count) {
      const length = Math.min(CHUNK, start, maxBytes - (size - start));
      start -= length;
      const buf = Buffer.alloc(length);
      await handle.read(buf, 0, length, start);
      chunks.unshift(buf);
      for (const b of buf) if (b === 0x0a) newlines++;
    }
    let lines = Buffer.concat(chunks).toString('utf8').split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    let truncated = start > 0;
    if (lines.length > count) {
      lines = lines.slice(lines.length - count);
      truncated = true;
    } else if (start > 0 && lines.length > 1) {
      // the first line read is probably partial: drop it
      lines = lines.slice(1);
    }
    return { lines, truncated };
  } finally {
    await handle.close();
  }
}
