/**
 * Text for XML 1.0 and HTML: the five markup characters as entities, and the characters XML 1.0
 * does not allow at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF) dropped.
 */
export function escapeMarkup(value: unknown): string {
  return String(value ?? '')
    .replace(
      // eslint-disable-next-line no-control-regex
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}
