import type { Tree } from '@lezer/common';

/**
 * Where a query stops parsing, by its language's own (lezer) grammar — PromQL, LogQL — as a
 * sentence for the editor; undefined when it parses.
 */
export function describeSyntaxError(
  parse: (query: string) => Tree,
  query: string,
  what = 'query',
): string | undefined {
  if (!query.trim()) return `Enter a ${what}`;
  const tree = parse(query);
  let at: number | undefined;
  tree.iterate({
    enter: n => {
      if (at === undefined && n.type.isError) at = n.from;
      return at === undefined;
    },
  });
  if (at === undefined) return undefined;
  const before = query.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const near = query.slice(at, at + 12).trim();
  return `Syntax error at line ${line}, column ${column}${
    near ? ` near "${near}"` : ' (the query ends too early)'
  }`;
}
