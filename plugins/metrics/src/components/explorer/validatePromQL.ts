import { parser } from '@prometheus-io/lezer-promql';

/** Where the query stops parsing, by Prometheus's own grammar; undefined when it parses. */
export function validatePromQL(query: string): string | undefined {
  if (!query.trim()) return 'Enter a PromQL query';
  const tree = parser.parse(query);
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
