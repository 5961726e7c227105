/*
 * An approximate WordPiece token count, the unit of the embedding model's input limit
 * (all-MiniLM-L6-v2: BERT's uncased 30,522-piece vocabulary, 256 pieces per input).
 *
 * How: like BERT's basic tokenizer, text splits on whitespace, and every punctuation or symbol
 * character is a token of its own; each remaining word is one piece when it is short (the
 * vocabulary holds nearly every common English word of up to 7 letters whole) and one more piece
 * per further 4 characters when longer (longer and rarer words split into `##` pieces of about
 * that length); digit runs split every 3 digits; a non-Latin letter (CJK, …) is a piece each.
 * Measured against Ollama's own count (`prompt_eval_count` of /api/embed, minus [CLS]/[SEP]) on
 * 48 paragraphs of the seed runbooks (deploy/dev/seed/rag) in 6 batches of 8: 2,701 estimated vs
 * 2,791 real pieces (−3 %; each batch between −6 % and −0.4 %). A chunk of 200 estimated tokens
 * plus its title line stays under the model's 256-piece input.
 */

const WORD = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;
const DIGITS = /^\p{N}+$/u;
const LATIN = /^[\p{Script=Latin}\p{M}\p{N}]+$/u;

/** Approximate WordPiece pieces of one word (letters/digits) or one punctuation character. */
export function wordPieces(word: string): number {
  if (word.length === 1) return 1;
  if (DIGITS.test(word)) return Math.ceil(word.length / 3);
  if (!LATIN.test(word)) return [...word].length;
  return word.length <= 7 ? 1 : 1 + Math.ceil((word.length - 7) / 4);
}

/** Approximate WordPiece token count of a text (without the [CLS]/[SEP] markers). */
export function countTokens(text: string): number {
  let n = 0;
  for (const m of text.matchAll(WORD)) n += wordPieces(m[0]);
  return n;
}
