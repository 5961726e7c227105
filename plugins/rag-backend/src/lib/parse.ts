import { InputError } from '@backstage/errors';
import {
  emptyUploadMessage,
  type DocumentFormat,
} from '@kubemate/plugin-rag-common';
import { Parser as HtmlParser } from 'htmlparser2';
import { Lexer, Token, Tokens } from 'marked';

/** A part of a document under one heading (or one PDF page): chunks never cross it. */
export interface Section {
  /** heading path `Install › Upgrade`, `page 3`, or '' (text before any heading, plain text) */
  path: string;
  text: string;
}

/** A parsed document: its title and its sections in order, markup stripped. */
export interface ParsedDocument {
  title: string;
  sections: Section[];
}

export const SECTION_SEPARATOR = ' › ';

const baseName = (filename: string) =>
  filename.replace(/^.*[\\/]/, '').replace(/\.[A-Za-z0-9]+$/, '') || filename;

/** Collapses runs of blank lines and trailing spaces; keeps line breaks (lists, code). */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** UTF-8 text, or an InputError when the bytes are not text (a binary file under a text name). */
function decodeText(filename: string, body: Buffer, what: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw new InputError(
      `${filename} is not readable ${what}: it is not UTF-8 text`,
    );
  }
  if (text.includes('\u0000')) {
    throw new InputError(
      `${filename} is not readable ${what}: it holds binary data (NUL bytes)`,
    );
  }
  return text.replace(/^\uFEFF/, '');
}

/** Builds sections from headings and text, in document order. */
class SectionBuilder {
  private readonly headings: string[] = [];
  private parts: string[] = [];
  readonly sections: Section[] = [];
  firstHeading?: string;

  heading(depth: number, text: string) {
    this.flush();
    const title = text.replace(/\s+/g, ' ').trim();
    if (!title) return;
    this.firstHeading ??= title;
    this.headings.length = Math.min(this.headings.length, depth - 1);
    while (this.headings.length < depth - 1) this.headings.push('');
    this.headings[depth - 1] = title;
  }

  text(text: string) {
    if (text.trim()) this.parts.push(text);
  }

  flush() {
    const text = tidy(this.parts.join('\n\n'));
    this.parts = [];
    if (text) {
      this.sections.push({
        path: this.headings.filter(Boolean).join(SECTION_SEPARATOR),
        text,
      });
    }
  }
}

// ---------------------------------------------------------------- Markdown

/** Markdown text with its HTML entities (`&amp;`, `&nbsp;`, …) decoded, by the HTML parser. */
function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  let out = '';
  const parser = new HtmlParser(
    { ontext: data => (out += data) },
    { decodeEntities: true },
  );
  parser.write(text.replace(/</g, '&lt;'));
  parser.end();
  return out;
}

/** The plain text of inline tokens: emphasis, links and code spans lose their markup. */
function inlineText(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map(t => {
      switch (t.type) {
        case 'br':
          return '\n';
        case 'image':
          return (t as Tokens.Image).text;
        case 'html':
        case 'tag':
          return htmlInlineText(t.raw);
        case 'codespan':
        case 'escape':
          return decodeEntities((t as Tokens.Codespan).text);
        default:
          return 'tokens' in t && t.tokens
            ? inlineText(t.tokens)
            : decodeEntities((t as { text?: string }).text ?? '');
      }
    })
    .join('');
}

/** The plain text of block tokens (a list item's, a blockquote's). */
function blockText(tokens: Token[]): string {
  const out: string[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case 'space':
      case 'hr':
      case 'def':
        break;
      case 'heading':
      case 'paragraph':
      case 'text':
        out.push(
          'tokens' in t && t.tokens
            ? inlineText(t.tokens)
            : (t as Tokens.Text).text,
        );
        break;
      case 'code':
        out.push((t as Tokens.Code).text);
        break;
      case 'list':
        out.push(
          (t as Tokens.List).items
            .map(item => `- ${blockText(item.tokens).replace(/\n/g, '\n  ')}`)
            .join('\n'),
        );
        break;
      case 'table': {
        const table = t as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) =>
          cells.map(c => inlineText(c.tokens).trim()).join(' | ');
        out.push([row(table.header), ...table.rows.map(row)].join('\n'));
        break;
      }
      case 'blockquote':
        out.push(blockText((t as Tokens.Blockquote).tokens));
        break;
      case 'html':
        out.push(htmlInlineText(t.raw));
        break;
      default:
        out.push(
          'tokens' in t && t.tokens
            ? inlineText(t.tokens)
            : (t as { text?: string }).text ?? '',
        );
    }
  }
  return out.filter(s => s.trim()).join('\n\n');
}

function parseMarkdown(filename: string, text: string): ParsedDocument {
  // YAML front matter is metadata, not content; its title is the document's
  let title: string | undefined;
  let source = text;
  const front = /^---\n([\s\S]*?)\n---\n/.exec(source);
  if (front) {
    title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(front[1])?.[1];
    source = source.slice(front[0].length);
  }
  const builder = new SectionBuilder();
  for (const token of new Lexer({ gfm: true }).lex(source)) {
    if (token.type === 'heading') {
      const h = token as Tokens.Heading;
      builder.heading(h.depth, inlineText(h.tokens));
    } else {
      builder.text(blockText([token]));
    }
  }
  builder.flush();
  return {
    title: title ?? builder.firstHeading ?? baseName(filename),
    sections: builder.sections,
  };
}

// ---------------------------------------------------------------- HTML

/** Elements whose content is never document text. */
const SKIPPED = new Set([
  'script',
  'style',
  'nav',
  'noscript',
  'template',
  'svg',
  'iframe',
  'object',
  'head',
  'select',
  'button',
]);
/** Elements that end a line of text. */
const BLOCKS = new Set([
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'br',
  'tr',
  'table',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'blockquote',
  'pre',
  'figure',
  'figcaption',
  'hr',
  'form',
  'address',
  'details',
  'summary',
]);
const HEADING = /^h([1-6])$/;

interface HtmlWalk {
  title?: string;
  builder: SectionBuilder;
}

/** Walks HTML: headings start sections; script/style/nav and friends are dropped; entities decoded. */
function walkHtml(source: string): HtmlWalk {
  const builder = new SectionBuilder();
  let title: string | undefined;
  // per open element: whether it started a skipped subtree (htmlparser2 closes every element it opens)
  const opened: boolean[] = [];
  let skipDepth = 0;
  let inTitle = false;
  let pre = 0;
  let heading: { depth: number; text: string } | undefined;
  let line = '';
  const lines: string[] = [];
  const endLine = () => {
    const text = pre ? line : line.replace(/\s+/g, ' ').trim();
    if (text.trim()) lines.push(text);
    line = '';
  };
  const endBlock = () => {
    endLine();
    if (lines.length) builder.text(lines.join('\n'));
    lines.length = 0;
  };
  const parser = new HtmlParser(
    {
      onopentag(name, attribs) {
        if (name === 'title') inTitle = true;
        const skip = SKIPPED.has(name) || attribs.hidden !== undefined;
        opened.push(skip);
        if (skip) skipDepth++;
        if (skipDepth) return;
        const h = HEADING.exec(name);
        if (h) {
          endBlock();
          heading = { depth: Number(h[1]), text: '' };
        } else if (name === 'li') {
          endLine();
          line = '- ';
        } else if (name === 'td' || name === 'th') {
          if (line.trim()) line += ' | ';
        } else if (BLOCKS.has(name)) {
          endLine();
          if (name === 'pre') pre++;
        }
      },
      ontext(text) {
        if (inTitle) {
          title = `${title ?? ''}${text}`;
          return;
        }
        if (skipDepth) return;
        if (heading) heading.text += text;
        else line += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (opened.pop()) {
          skipDepth--;
          return;
        }
        if (skipDepth) return;
        if (heading && HEADING.test(name)) {
          builder.heading(heading.depth, heading.text);
          heading = undefined;
        } else if (BLOCKS.has(name)) {
          endLine();
          if (name === 'pre') pre = Math.max(0, pre - 1);
          if (
            !pre &&
            /^(p|pre|table|ul|ol|blockquote|section|article)$/.test(name)
          ) {
            endBlock();
          }
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(source);
  parser.end();
  endBlock();
  builder.flush();
  return { title: title?.replace(/\s+/g, ' ').trim() || undefined, builder };
}

/** The text of an HTML fragment inside Markdown (inline tags, comments dropped). */
function htmlInlineText(html: string): string {
  const { builder } = walkHtml(html);
  return builder.sections.map(s => s.text).join('\n');
}

function parseHtml(filename: string, source: string): ParsedDocument {
  const { title, builder } = walkHtml(source);
  return {
    title: title ?? builder.firstHeading ?? baseName(filename),
    sections: builder.sections,
  };
}

// ---------------------------------------------------------------- plain text and PDF

function parseText(filename: string, source: string): ParsedDocument {
  const text = tidy(source);
  return {
    title: baseName(filename),
    sections: text ? [{ path: '', text }] : [],
  };
}

/**
 * pdf-parse (pdf.js and its native canvas binding, about 27 MB of RSS in isolation), required at
 * the first PDF rather than when the plugin loads (bench/memory.mjs).
 */
function loadPdfParse(): typeof import('pdf-parse') {
  return require('pdf-parse');
}

async function parsePdf(
  filename: string,
  body: Buffer,
): Promise<ParsedDocument> {
  const { PDFParse } = loadPdfParse();
  const pdf = new PDFParse({ data: new Uint8Array(body) });
  try {
    const text = await pdf.getText();
    let title: string | undefined;
    try {
      const info = await pdf.getInfo();
      const t = (info.info as { Title?: unknown } | undefined)?.Title;
      title = typeof t === 'string' && t.trim() ? t.trim() : undefined;
    } catch {
      // the metadata is optional
    }
    return {
      title: title ?? baseName(filename),
      sections: text.pages
        .map(p => ({ path: `page ${p.num}`, text: tidy(p.text) }))
        .filter(s => s.text),
    };
  } catch (e) {
    const message = String((e as Error)?.message ?? e).replace(/\.$/, '');
    const name = (e as Error)?.name;
    throw new InputError(
      name === 'PasswordException'
        ? `${filename} is a password-protected PDF: upload it without a password`
        : `${filename} is not a readable PDF: ${message}`,
    );
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

const FORMAT_NAMES: Record<DocumentFormat, string> = {
  markdown: 'Markdown',
  html: 'HTML',
  text: 'text',
  pdf: 'PDF',
};

/**
 * Parses a document into its title and sections: Markdown (headings → section path, markup
 * stripped, code kept), HTML (script/style/nav dropped, headings → sections, entities decoded),
 * plain text (one section), PDF (pdf-parse, one section per page: `page N`). An empty file, a
 * file without text, or bytes that are not the format are an InputError saying exactly that.
 */
export async function parseDocument(file: {
  filename: string;
  format: DocumentFormat;
  body: Buffer;
}): Promise<ParsedDocument> {
  const { filename, format, body } = file;
  if (!body.length) {
    throw new InputError(emptyUploadMessage(filename));
  }
  let parsed: ParsedDocument;
  if (format === 'pdf') {
    parsed = await parsePdf(filename, body);
  } else {
    const source = decodeText(filename, body, FORMAT_NAMES[format]);
    if (format === 'markdown') parsed = parseMarkdown(filename, source);
    else if (format === 'html') parsed = parseHtml(filename, source);
    else parsed = parseText(filename, source);
  }
  if (!parsed.sections.length) {
    throw new InputError(
      format === 'pdf'
        ? `${filename} has no text to index (a scanned PDF without a text layer?)`
        : `${filename} has no text to index`,
    );
  }
  return parsed;
}
