import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tailLines } from './tail';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'km-tail-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const file = (text: string) => {
  const p = join(dir, 'f.log');
  writeFileSync(p, text);
  return p;
};

describe('tailLines', () => {
  it('reads the last lines across chunk boundaries', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `l${i}`);
    const r = await tailLines(file(`${lines.join('\n')}\n`), 15_000);
    expect(r.lines).toEqual(lines.slice(5_000));
    expect(r.truncated).toBe(true);
  });

  it('returns a short file whole, with or without a final newline', async () => {
    expect(await tailLines(file('a\nb'), 10)).toEqual({
      lines: ['a', 'b'],
      truncated: false,
    });
    expect(await tailLines(file(''), 10)).toEqual({
      lines: [],
      truncated: false,
    });
  });

  it('stops at maxBytes and drops the partial first line', async () => {
    const r = await tailLines(file('0123456789\nabc\ndef\n'), 10, 7);
    expect(r).toEqual({ lines: ['def'], truncated: true });
  });
});
