import type { ParsedDocument } from './parse';
import { SECTION_SEPARATOR } from './parse';
import { countTokens, wordPieces } from './tokens';

/** One chunk of a document: what is stored (text, section) and what is embedded. */
export interface Chunk {
  /** 0-based, in document order */
  index: number;
  /** the section's heading path ('' when it has none) */
  section: string;
  /** the chunk's own text, as in the document (line breaks kept) */
  text: string;
  /** approximate WordPiece tokens of `text` */
  tokens: number;
  /** `<document title> › <section>\n<text>`: short passages keep their context */
  embedText: string;
}

export interface ChunkOptions {
  /** target chunk size in tokens (default 200) */
  chunkTokens?: number;
  /** tokens repeated from the end of the previous chunk of the same section (default 40) */
  overlapTokens?: number;
}

interface Word {
  start: number;
  end: number;
  tokens: number;
  /** a sentence or paragraph ends after this word */
  boundary: boolean;
}

const WORDS = /\S+/g;
const PIECES = /[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]/gu;

/** The words of a text with their offsets, token counts and sentence ends. */
function wordsOf(text: string): Word[] {
  const words: Word[] = [];
  for (const m of text.matchAll(WORDS)) {
    let tokens = 0;
    for (const p of m[0].matchAll(PIECES)) tokens += wordPieces(p[0]);
    const end = m.index! + m[0].length;
    words.push({
      start: m.index!,
      end,
      tokens,
      boundary:
        /[.!?:;]["')\]]*$/.test(m[0]) ||
        /^\s*\n/.test(text.slice(end, end + 2)),
    });
  }
  return words;
}

/**
 * Splits one section into chunks of at most `size` tokens: a chunk ends at the last sentence
 * (or line) end that fits when that keeps it at least half full, otherwise between words; a word
 * longer than a chunk is a chunk of its own. The next chunk starts up to `overlap` tokens before
 * the end of the previous one, at a sentence start when the overlap holds one, and always at least
 * one word further than the previous start (so it always ends).
 */
function splitSection(
  text: string,
  size: number,
  overlap: number,
): Array<{ text: string; tokens: number }> {
  const words = wordsOf(text);
  const out: Array<{ text: string; tokens: number }> = [];
  let from = 0;
  while (from < words.length) {
    let to = from;
    let tokens = 0;
    let lastBoundary = -1;
    while (
      to < words.length &&
      (to === from || tokens + words[to].tokens <= size)
    ) {
      tokens += words[to].tokens;
      if (words[to].boundary) lastBoundary = to;
      to++;
    }
    // `to` is exclusive; prefer ending at a sentence when the chunk stays at least half full
    let end = to;
    if (to < words.length && lastBoundary >= from) {
      const upTo = words
        .slice(from, lastBoundary + 1)
        .reduce((n, w) => n + w.tokens, 0);
      if (upTo * 2 >= size) end = lastBoundary + 1;
    }
    const chunkTokens = words
      .slice(from, end)
      .reduce((n, w) => n + w.tokens, 0);
    out.push({
      text: text.slice(words[from].start, words[end - 1].end),
      tokens: chunkTokens,
    });
    if (end >= words.length) break;
    // the overlap: walk back from the end while it fits
    let next = end;
    let back = 0;
    while (next - 1 > from && back + words[next - 1].tokens <= overlap) {
      back += words[next - 1].tokens;
      next--;
    }
    // start at a sentence start inside the overlap when there is one
    for (let i = next; i < end; i++) {
      if (i > 0 && words[i - 1].boundary) {
        next = i;
        break;
      }
    }
    from = Math.max(next, from + 1);
  }
  return out;
}

/** What is embedded for a chunk: the document title and section, then the chunk. */
export function embedTextOf(
  title: string,
  section: string,
  text: string,
): string {
  // a first heading that repeats the title is not said twice
  const parts = section ? section.split(SECTION_SEPARATOR) : [];
  if (parts[0]?.trim() === title.trim()) parts.shift();
  return `${[title, ...parts].join(SECTION_SEPARATOR)}\n${text}`;
}

/**
 * Token-aware chunks with overlap, per section (a chunk never crosses a section boundary), in
 * document order; see {@link countTokens} for how tokens are counted.
 */
export function chunkDocument(
  doc: ParsedDocument,
  options: ChunkOptions = {},
): Chunk[] {
  const size = Math.max(8, options.chunkTokens ?? 200);
  const overlap = Math.min(
    Math.max(0, options.overlapTokens ?? 40),
    Math.floor(size / 2),
  );
  const chunks: Chunk[] = [];
  for (const section of doc.sections) {
    for (const piece of splitSection(section.text, size, overlap)) {
      chunks.push({
        index: chunks.length,
        section: section.path,
        text: piece.text,
        tokens: piece.tokens,
        embedText: embedTextOf(doc.title, section.path, piece.text),
      });
    }
  }
  return chunks;
}

export { countTokens };
