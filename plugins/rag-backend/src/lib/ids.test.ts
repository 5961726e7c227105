import { chunkIdOf, documentIdOf, sha256Of } from './ids';

describe('ids', () => {
  it('makes a document id from the collection and the file name', () => {
    const id = documentIdOf('payments-runbooks', 'restart.md');
    expect(id).toMatch(/^[a-f0-9]{32}$/);
    expect(documentIdOf('payments-runbooks', 'restart.md')).toBe(id);
    expect(documentIdOf('payments-runbooks', 'restart2.md')).not.toBe(id);
    expect(documentIdOf('risk-runbooks', 'restart.md')).not.toBe(id);
    // sha256("payments-runbooks/restart.md"), first 32 hex digits
    expect(id).toBe(
      sha256Of(Buffer.from('payments-runbooks/restart.md')).slice(0, 32),
    );
  });

  it('makes chunk ids that differ by generation and index, and repeat exactly', () => {
    const doc = documentIdOf('payments-runbooks', 'restart.md');
    const a = chunkIdOf('payments-runbooks', doc, 1, 0);
    expect(a).toMatch(/^[a-f0-9]{64}$/);
    expect(chunkIdOf('payments-runbooks', doc, 1, 0)).toBe(a);
    const all = new Set([
      a,
      chunkIdOf('payments-runbooks', doc, 1, 1),
      chunkIdOf('payments-runbooks', doc, 2, 0),
      chunkIdOf('risk-runbooks', doc, 1, 0),
    ]);
    expect(all.size).toBe(4);
  });
});
