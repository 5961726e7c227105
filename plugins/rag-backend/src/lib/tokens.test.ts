import { countTokens, wordPieces } from './tokens';

describe('countTokens (approximate WordPiece)', () => {
  it('counts short words as one piece and punctuation as its own', () => {
    expect(countTokens('Restart the pods.')).toBe(4);
    expect(countTokens('kubectl rollout undo, then check!')).toBe(7);
  });

  it('splits long words, digit runs and non-Latin scripts into more pieces', () => {
    expect(wordPieces('a')).toBe(1);
    expect(wordPieces('latency')).toBe(1);
    expect(wordPieces('observability')).toBe(1 + Math.ceil(6 / 4));
    expect(wordPieces('20260101')).toBe(3);
    expect(wordPieces('知识库')).toBe(3);
    // payments (8 letters: 2) - api : 1 . 8 . 2
    expect(countTokens('payments-api:1.8.2')).toBe(10);
  });

  it('counts nothing in whitespace', () => {
    expect(countTokens('  \n\t ')).toBe(0);
  });
});
