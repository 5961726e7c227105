import { chunkDocument, embedTextOf } from './chunking';
import type { ParsedDocument } from './parse';
import { countTokens } from './tokens';

const sentence = (i: number) =>
  `Sentence ${i} explains how the payments service recovers from failure.`;

describe('chunkDocument', () => {
  it('keeps a short section in one chunk, with the title and section embedded', () => {
    const doc: ParsedDocument = {
      title: 'payments-api: restart',
      sections: [
        {
          path: 'payments-api: restart › Roll back',
          text: 'Run kubectl rollout undo.',
        },
      ],
    };
    expect(chunkDocument(doc)).toEqual([
      {
        index: 0,
        section: 'payments-api: restart › Roll back',
        text: 'Run kubectl rollout undo.',
        tokens: countTokens('Run kubectl rollout undo.'),
        embedText:
          'payments-api: restart › Roll back\nRun kubectl rollout undo.',
      },
    ]);
  });

  it('splits long sections at sentence ends within the token budget, with overlap', () => {
    const text = Array.from({ length: 40 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkDocument(
      { title: 'T', sections: [{ path: 'S', text }] },
      { chunkTokens: 60, overlapTokens: 15 },
    );
    expect(chunks.length).toBeGreaterThan(5);
    chunks.forEach((c, i) => {
      expect(c.index).toBe(i);
      expect(c.tokens).toBeLessThanOrEqual(60);
      expect(c.tokens).toBe(countTokens(c.text));
      // ends at a sentence end, starts at a sentence start
      expect(c.text).toMatch(/^Sentence \d+ .*failure\.$/s);
      expect(c.embedText).toBe(`T › S\n${c.text}`);
    });
    // consecutive chunks share their boundary sentence (the overlap) and cover everything
    for (let i = 1; i < chunks.length; i++) {
      const lastOfPrevious = chunks[i - 1].text.split('. ').pop()!;
      expect(chunks[i].text.startsWith(lastOfPrevious.replace(/\.$/, ''))).toBe(
        true,
      );
    }
    const seen = new Set(
      chunks.flatMap(c =>
        [...c.text.matchAll(/Sentence (\d+)/g)].map(m => m[1]),
      ),
    );
    expect(seen.size).toBe(40);
  });

  it('never lets a chunk cross a section boundary', () => {
    const chunks = chunkDocument(
      {
        title: 'T',
        sections: [
          { path: 'A', text: 'alpha one. alpha two.' },
          { path: 'B', text: 'beta one. beta two.' },
        ],
      },
      { chunkTokens: 200 },
    );
    expect(chunks.map(c => [c.section, c.text])).toEqual([
      ['A', 'alpha one. alpha two.'],
      ['B', 'beta one. beta two.'],
    ]);
  });

  it('cuts between words when a sentence is longer than a chunk, and always advances', () => {
    const text = Array.from({ length: 100 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkDocument(
      { title: 'T', sections: [{ path: '', text }] },
      { chunkTokens: 20, overlapTokens: 5 },
    );
    for (const c of chunks) expect(c.tokens).toBeLessThanOrEqual(20);
    expect(chunks[0].text.startsWith('word0 ')).toBe(true);
    expect(chunks[chunks.length - 1].text.endsWith('word99')).toBe(true);
    // a giant word is a chunk of its own rather than a loop
    const giant = chunkDocument(
      { title: 'T', sections: [{ path: '', text: `a ${'x'.repeat(500)} b` }] },
      { chunkTokens: 20, overlapTokens: 5 },
    );
    expect(giant.map(c => c.text.length)).toEqual([1, 500, 1]);
  });

  it('keeps line breaks (lists, code) inside a chunk', () => {
    const [c] = chunkDocument({
      title: 'T',
      sections: [
        { path: 'S', text: '- one\n- two\n\nkubectl get pods\n  -n x' },
      ],
    });
    expect(c.text).toBe('- one\n- two\n\nkubectl get pods\n  -n x');
  });

  it('is deterministic: the same document gives the same chunks', () => {
    const doc: ParsedDocument = {
      title: 'T',
      sections: [
        {
          path: 'S',
          text: Array.from({ length: 30 }, (_, i) => sentence(i)).join(' '),
        },
      ],
    };
    expect(chunkDocument(doc, { chunkTokens: 50 })).toEqual(
      chunkDocument(doc, { chunkTokens: 50 }),
    );
  });
});

describe('embedTextOf', () => {
  it('does not repeat a first heading equal to the title', () => {
    expect(embedTextOf('Runbook', 'Runbook › Steps', 'x')).toBe(
      'Runbook › Steps\nx',
    );
    expect(embedTextOf('Runbook', '', 'x')).toBe('Runbook\nx');
    expect(embedTextOf('Runbook', 'page 2', 'x')).toBe('Runbook › page 2\nx');
  });
});
