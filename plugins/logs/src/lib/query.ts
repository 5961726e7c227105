import { parser } from '@grafana/lezer-logql';
import { describeSyntaxError } from '@kubemate/plugin-kubemate-react';

export type Level = '' | 'error' | 'warn' | 'info' | 'debug';
export type FilterOp = '|=' | '!=' | '|~' | '!~';
export type Parser = '' | 'json' | 'logfmt';

export interface Builder {
  level: Level;
  filterOp: FilterOp;
  filter: string;
  parser: Parser;
}

/** The LogQL of the builder over the entity's stream matchers. */
export function buildQuery(matchers: string, b: Builder): string {
  const selector = `{${[matchers, b.level ? `level="${b.level}"` : '']
    .filter(Boolean)
    .join(', ')}}`;
  const filter = b.filter ? ` ${b.filterOp} ${JSON.stringify(b.filter)}` : '';
  const parse = b.parser ? ` | ${b.parser}` : '';
  return `${selector}${filter}${parse}`;
}

/** Where LogQL stops parsing, by Grafana's grammar; undefined when it parses. */
export function validateLogQL(query: string): string | undefined {
  return describeSyntaxError(q => parser.parse(q), query, 'LogQL query');
}

/** The fields of a logfmt or JSON line (empty when it is neither). */
export function parseFields(line: string): Record<string, string> {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const v = JSON.parse(trimmed);
      if (v && typeof v === 'object') {
        return Object.fromEntries(
          Object.entries(v).map(([k, x]) => [
            k,
            typeof x === 'string' ? x : JSON.stringify(x),
          ]),
        );
      }
    } catch {
      // not JSON: try logfmt
    }
  }
  const out: Record<string, string> = {};
  const re = /([\w.-]+)=("(?:[^"\\]|\\.)*"|\S*)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    out[m[1]] = m[2].startsWith('"') ? JSON.parse(m[2]) : m[2];
  }
  return out;
}

/** `HH:MM:SS.mmm` of a nanosecond timestamp. */
export function formatTs(ts: string): string {
  const d = new Date(Number(BigInt(ts) / 1_000_000n));
  return `${d.toLocaleTimeString('en-GB', { hour12: false })}.${String(
    d.getMilliseconds(),
  ).padStart(3, '0')}`;
}
