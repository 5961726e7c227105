import { useCallback } from 'react';
import type { Tree } from '@lezer/common';
import { useOptionalTranslationRef } from './i18n/useOptionalTranslationRef';
import { kubemateReactTranslationRef } from './translation';

/** Why a query does not parse: empty, or where its grammar stops (1-based line and column). */
export type SyntaxProblem =
  | { kind: 'empty' }
  | { kind: 'error'; line: number; column: number; near?: string };

/**
 * Where a query stops parsing, by its language's own (lezer) grammar — PromQL, LogQL; undefined
 * when it parses.
 */
export function syntaxProblemOf(
  parse: (query: string) => Tree,
  query: string,
): SyntaxProblem | undefined {
  if (!query.trim()) return { kind: 'empty' };
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
  return { kind: 'error', line, column, ...(near ? { near } : {}) };
}

/**
 * Where a query stops parsing as an English sentence for the editor (logs, API answers);
 * undefined when it parses. The UI uses {@link useDescribeSyntaxError}.
 */
export function describeSyntaxError(
  parse: (query: string) => Tree,
  query: string,
  what = 'query',
): string | undefined {
  const p = syntaxProblemOf(parse, query);
  if (!p) return undefined;
  if (p.kind === 'empty') return `Enter a ${what}`;
  return `Syntax error at line ${p.line}, column ${p.column}${
    p.near ? ` near "${p.near}"` : ' (the query ends too early)'
  }`;
}

/** {@link describeSyntaxError} in the app's language (`what`: the query's name, translated). */
export function useDescribeSyntaxError(): (
  parse: (query: string) => Tree,
  query: string,
  what?: string,
) => string | undefined {
  const { t } = useOptionalTranslationRef(kubemateReactTranslationRef);
  return useCallback(
    (parse, query, what) => {
      const p = syntaxProblemOf(parse, query);
      if (!p) return undefined;
      if (p.kind === 'empty') {
        return t('syntax.empty', { what: what ?? t('syntax.query') });
      }
      const at = { line: String(p.line), column: String(p.column) };
      return p.near
        ? t('syntax.errorNear', { ...at, near: p.near })
        : t('syntax.errorAtEnd', at);
    },
    [t],
  );
}
