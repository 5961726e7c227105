/** A piece of an answer's text: plain text, or a `[n]` marker citing source n. */
export type AnswerPart = { text: string } | { cite: number };

// `[1]`, and lists a model writes such as `[1, 3]` or `[2,4]`
const MARKER = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

/**
 * Splits an answer into text and `[n]` markers; only numbers `isCited(n)` accepts become markers
 * (a model may write `[7]` with five sources), the rest stays text. `[1, 3]` becomes two markers.
 */
export function splitCitationMarkers(
  text: string,
  isCited: (n: number) => boolean,
): AnswerPart[] {
  const parts: AnswerPart[] = [];
  let plain = '';
  let last = 0;
  for (const m of text.matchAll(MARKER)) {
    const numbers = m[1].split(',').map(s => Number(s.trim()));
    plain += text.slice(last, m.index);
    last = m.index! + m[0].length;
    if (!numbers.every(isCited)) {
      plain += m[0];
      continue;
    }
    if (plain) parts.push({ text: plain });
    plain = '';
    for (const n of numbers) parts.push({ cite: n });
  }
  plain += text.slice(last);
  if (plain) parts.push({ text: plain });
  return parts;
}
