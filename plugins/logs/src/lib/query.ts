import { useCallback } from 'react';
import { parser } from '@grafana/lezer-logql';
import {
  describeSyntaxError,
  useDescribeSyntaxError,
} from '@kubemate/plugin-kubemate-react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { logsTranslationRef } from '../translation';

const parse = (q: string) => parser.parse(q);

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
  const parserStage = b.parser ? ` | ${b.parser}` : '';
  return `${selector}${filter}${parserStage}`;
}

/**
 * Where LogQL stops parsing, by Grafana's grammar, in English; undefined when it parses. The UI
 * shows {@link useLogQLValidator}'s message.
 */
export function validateLogQL(query: string): string | undefined {
  return describeSyntaxError(parse, query, 'LogQL query');
}

/** {@link validateLogQL} in the app's language. */
export function useLogQLValidator(): (query: string) => string | undefined {
  const describe = useDescribeSyntaxError();
  const { t } = useTranslationRef(logsTranslationRef);
  return useCallback(
    (query: string) => describe(parse, query, t('toolbar.queryName')),
    [describe, t],
  );
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
