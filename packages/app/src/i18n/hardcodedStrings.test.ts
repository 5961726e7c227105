/*
 * No hard-coded user-facing English in the JSX of Kubemate's frontend: text between tags, string
 * literals in user-facing attributes (title, label, placeholder, aria-label, helperText, …) and
 * string literals as JSX children must come from the plugin's translation ref. Parsed with the
 * TypeScript compiler (not a regular expression), over every .tsx file of the frontend plugins
 * and the app except tests. Allowed: text without letters (punctuation, numbers, `·`, `—`) and
 * the technical names below, which are the same in every language.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../../../..');
const SOURCES = [
  'packages/app/src',
  ...[
    'kubemate-react',
    'clusters',
    'rbac',
    'metrics',
    'logs',
    'traces',
    'pipelines',
    'canary',
    'inspections',
    'rag',
    'gpu',
    'finetuning',
    'localstack',
  ].map(p => `plugins/${p}/src`),
];

/** Attributes whose value a user reads. */
const USER_FACING = new Set([
  'title',
  'label',
  'placeholder',
  'aria-label',
  'helperText',
  'alt',
  'subheader',
  'subtitle',
  'description',
  'emptyContent',
  'message',
  'tooltip',
  'primary',
  'secondary',
  'text',
  'disabledReason',
  'verb',
  'what',
]);

/** Names and notations that stay as they are in Chinese. */
const ALLOWED = new Set([
  'Kubemate',
  'Kubernetes',
  'PromQL',
  'LogQL',
  'YAML',
  'JSON',
  'CSV',
  'PDF',
  'CPU',
  'GPU',
  'ms',
  's',
  'p50',
  'p95',
  'p99',
  'Thanos',
  'Loki',
  'Jaeger',
  'Tekton',
  'Flagger',
  'Linkerd',
  'Ollama',
  'Milvus',
  'MinIO',
  'Redis',
  'MLflow',
  'Kueue',
  'Katib',
  'PyTorchJob',
  'LoRA',
  'kubectl',
  'ID',
  'URL',
  'OK',
]);

function tsxFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== '__testUtils__' && name !== '__fixtures__') {
        out.push(...tsxFiles(p));
      }
    } else if (
      name.endsWith('.tsx') &&
      !/\.test\.tsx$|setupTests|\.stories\.tsx$/.test(name)
    ) {
      out.push(p);
    }
  }
  return out;
}

/** Whether a piece of text is something a user reads as English words. */
function isUserText(text: string): boolean {
  const t = text.trim();
  if (!/[A-Za-z]/.test(t)) return false;
  // (a single letter — a logo's monogram, a unit — is not a word)
  const words = t
    .split(/[^A-Za-z0-9]+/)
    .filter(w => /[A-Za-z]/.test(w) && w.length > 1);
  return !words.every(w => ALLOWED.has(w));
}

/**
 * The literal text an expression shows: a string or template literal, or one reached through
 * `cond ? a : b`, `a && b`, `a || b`, `a ?? b` and parentheses (not calls: `t('key')` is fine).
 */
function literalTexts(e: ts.Expression): string[] {
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) {
    return [e.text];
  }
  if (ts.isTemplateExpression(e)) {
    return [e.head.text, ...e.templateSpans.map(s => s.literal.text)].filter(
      Boolean,
    );
  }
  if (ts.isParenthesizedExpression(e)) return literalTexts(e.expression);
  if (ts.isConditionalExpression(e)) {
    return [...literalTexts(e.whenTrue), ...literalTexts(e.whenFalse)];
  }
  if (
    ts.isBinaryExpression(e) &&
    [
      ts.SyntaxKind.AmpersandAmpersandToken,
      ts.SyntaxKind.BarBarToken,
      ts.SyntaxKind.QuestionQuestionToken,
    ].includes(e.operatorToken.kind)
  ) {
    return [...literalTexts(e.left), ...literalTexts(e.right)];
  }
  return [];
}

function findings(file: string): string[] {
  const source = ts.createSourceFile(
    file,
    readFileSync(file, 'utf8'),
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TSX,
  );
  const found: string[] = [];
  const where = (n: ts.Node) =>
    `${relative(ROOT, file)}:${
      source.getLineAndCharacterOfPosition(n.getStart()).line + 1
    }`;
  const visit = (node: ts.Node) => {
    if (ts.isJsxText(node) && isUserText(node.text)) {
      found.push(`${where(node)} text "${node.text.trim()}"`);
    } else if (
      ts.isJsxAttribute(node) &&
      USER_FACING.has(node.name.getText(source)) &&
      node.initializer
    ) {
      const init = node.initializer;
      let texts: string[] = [];
      if (ts.isStringLiteral(init)) texts = [init.text];
      else if (ts.isJsxExpression(init) && init.expression) {
        texts = literalTexts(init.expression);
      }
      for (const text of texts.filter(isUserText)) {
        found.push(`${where(node)} ${node.name.getText(source)}="${text}"`);
      }
    } else if (
      ts.isJsxExpression(node) &&
      node.expression &&
      (ts.isJsxElement(node.parent) || ts.isJsxFragment(node.parent))
    ) {
      for (const text of literalTexts(node.expression).filter(isUserText)) {
        found.push(`${where(node)} {"${text}"}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('hard-coded user-facing strings', () => {
  it.each(SOURCES)('none in the JSX of %s', dir => {
    const all = tsxFiles(join(ROOT, dir)).flatMap(findings);
    expect(all).toEqual([]);
  });
});
