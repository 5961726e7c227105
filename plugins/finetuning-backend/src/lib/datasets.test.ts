import { parseCsv } from './csv';
import { validateDataset } from './datasets';

const mapping = { instruction: 'instruction', response: 'response' };
const opts = (fileName: string, extra: object = {}) => ({
  fileName,
  mapping,
  maxBytes: 10_000,
  maxRows: 100,
  keepRows: 2,
  ...extra,
});
const jsonl = (...rows: unknown[]) =>
  Buffer.from(
    rows.map(r => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n'),
  );

describe('validateDataset', () => {
  it('reads a JSONL dataset: rows, fields, mean characters, sha256, blank lines skipped', async () => {
    const body = jsonl(
      { instruction: 'Say hi', response: 'Hi', extra: 1 },
      '',
      { instruction: 'Add 2+2', response: '4' },
    );
    const s = await validateDataset(body, opts('train.jsonl'));
    expect(s).toMatchObject({
      format: 'jsonl',
      rows: 2,
      fields: ['instruction', 'response', 'extra'],
      avgChars: Math.round((6 + 2 + 7 + 1) / 2),
      bytes: body.length,
    });
    expect(s.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(s.sample).toEqual([
      { instruction: 'Say hi', response: 'Hi' },
      { instruction: 'Add 2+2', response: '4' },
    ]);
  });

  it('names the first malformed JSONL line (1-based, blank lines counted)', async () => {
    const body = jsonl(
      { instruction: 'a', response: 'b' },
      '',
      '{"instruction": "x", "response": ',
      'also bad',
    );
    await expect(validateDataset(body, opts('d.jsonl'))).rejects.toThrow(
      /^line 3: not valid JSON/,
    );
  });

  it('refuses a missing field, an empty response, a non-object and a non-string', async () => {
    await expect(
      validateDataset(jsonl({ instruction: 'a' }), opts('d.jsonl')),
    ).rejects.toThrow('line 1: field "response" is missing');
    await expect(
      validateDataset(
        jsonl(
          { instruction: 'a', response: 'b' },
          { instruction: 'a', response: '  ' },
        ),
        opts('d.jsonl'),
      ),
    ).rejects.toThrow('line 2: field "response" is empty');
    await expect(
      validateDataset(jsonl('[1,2]'), opts('d.jsonl')),
    ).rejects.toThrow('line 1: expected a JSON object, got an array');
    await expect(
      validateDataset(
        jsonl({ instruction: 3, response: 'b' }),
        opts('d.jsonl'),
      ),
    ).rejects.toThrow(
      'line 1: field "instruction" must be a string, not number',
    );
  });

  it('reads CSV with quotes, escaped quotes and newlines inside quotes', async () => {
    const body = Buffer.from(
      'instruction,response,note\n' +
        '"Say ""hi""",Hi,x\n' +
        '"Two\nlines","a, b",y\r\n' +
        'plain,text,z\n',
    );
    const s = await validateDataset(body, opts('d.csv', { keepRows: 3 }));
    expect(s).toMatchObject({
      format: 'csv',
      rows: 3,
      fields: ['instruction', 'response', 'note'],
    });
    expect(s.sample).toEqual([
      { instruction: 'Say "hi"', response: 'Hi' },
      { instruction: 'Two\nlines', response: 'a, b' },
      { instruction: 'plain', response: 'text' },
    ]);
  });

  it('names the CSV line of a wrong cell count, a missing column, an unclosed quote', async () => {
    await expect(
      validateDataset(
        Buffer.from('instruction,response\na,b\nc\n'),
        opts('d.csv'),
      ),
    ).rejects.toThrow('line 3: 1 cells, the header has 2');
    await expect(
      validateDataset(Buffer.from('prompt,response\na,b\n'), opts('d.csv')),
    ).rejects.toThrow(
      'line 1: the header has no column "instruction" (columns: prompt, response)',
    );
    await expect(
      validateDataset(
        Buffer.from('instruction,response\n"a,b\n'),
        opts('d.csv'),
      ),
    ).rejects.toThrow(
      'line 2: a quoted field is not closed before the end of the file',
    );
  });

  it('refuses an empty file, a header only, too many bytes or rows', async () => {
    await expect(
      validateDataset(Buffer.alloc(0), opts('d.jsonl')),
    ).rejects.toThrow('file: the file is empty');
    await expect(
      validateDataset(Buffer.from('instruction,response\n'), opts('d.csv')),
    ).rejects.toThrow('the dataset has no rows');
    await expect(
      validateDataset(
        Buffer.from('x'.repeat(20)),
        opts('d.jsonl', { maxBytes: 10 }),
      ),
    ).rejects.toThrow('file: larger than 10 bytes');
    await expect(
      validateDataset(
        jsonl(
          ...Array.from({ length: 3 }, () => ({
            instruction: 'a',
            response: 'b',
          })),
        ),
        opts('d.jsonl', { maxRows: 2 }),
      ),
    ).rejects.toThrow('the dataset has more than 2 rows');
  });

  it('detects the format from the content when the extension says nothing', async () => {
    const s = await validateDataset(
      jsonl({ instruction: 'a', response: 'b' }),
      opts('data.txt'),
    );
    expect(s.format).toBe('jsonl');
  });
});

describe('parseCsv', () => {
  it('keeps empty cells and refuses a quote inside an unquoted field', () => {
    expect(parseCsv('a,,c').map(r => r.cells)).toEqual([['a', '', 'c']]);
    expect(() => parseCsv('a,b"c')).toThrow(
      'line 1: a quote inside an unquoted field',
    );
  });
});
