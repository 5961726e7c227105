/**
 * Kueue's pending messages, made readable without changing a word: `couldn't assign flavors to
 * pod set main: insufficient quota for nvidia.com/gpu in flavor a100-40gb, previously considered
 * podsets requests (0) + current podset request (8) > maximum capacity (4), insufficient unused
 * quota for cpu in flavor default, 3 more needed` is one head ("couldn't assign flavors to pod set
 * main") and one item per flavor or resource that did not fit. Items are split only where a new
 * statement of Kueue starts, so the continuations (`, 3 more needed`, `, previously considered …`)
 * stay with their statement.
 */
export interface ReadableReason {
  /** The part before the list, without the colon, when the message has one. */
  head?: string;
  /** The statements, verbatim; `head + ': ' + items.join(', ')` is the message. */
  items: string[];
}

/** Where Kueue starts a new statement in a flavor assignment's list of reasons. */
const STATEMENT =
  /, (?=(?:insufficient |borrowing limit |resource |flavor |Flavor |untolerated |couldn't |topology |node affinity ))/;

const HEAD = /^(couldn't assign flavors to pod set [^:]+): ([\s\S]+)$/;

export function readableReason(reason: string): ReadableReason {
  const text = reason.trim();
  const m = HEAD.exec(text);
  const head = m?.[1];
  const rest = m ? m[2] : text;
  const items = rest
    .split(/; /)
    .flatMap(part => part.split(STATEMENT))
    .map(s => s.trim())
    .filter(Boolean);
  return { head, items: items.length ? items : [text] };
}
