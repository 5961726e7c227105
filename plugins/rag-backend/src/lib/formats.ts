import { InputError } from '@backstage/errors';
import type { DocumentFormat } from '@kubemate/plugin-rag-common';

/** The formats the parser reads, by file extension. */
const EXTENSIONS: Record<string, DocumentFormat> = {
  md: 'markdown',
  markdown: 'markdown',
  mdx: 'markdown',
  html: 'html',
  htm: 'html',
  txt: 'text',
  text: 'text',
  log: 'text',
  pdf: 'pdf',
};

/** The formats the parser reads, by content type (without parameters). */
const CONTENT_TYPES: Record<string, DocumentFormat> = {
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/plain': 'text',
  'application/pdf': 'pdf',
};

/** The content type an original is stored with. */
export const CONTENT_TYPE_OF: Record<DocumentFormat, string> = {
  markdown: 'text/markdown; charset=utf-8',
  html: 'text/html; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  pdf: 'application/pdf',
};

/** Every format the parser reads (the status route lists them). */
export const DOCUMENT_FORMATS: DocumentFormat[] = [
  'markdown',
  'html',
  'text',
  'pdf',
];

const SUPPORTED =
  'Markdown (.md), HTML (.html), plain text (.txt) or PDF (.pdf)';

const extensionOf = (filename: string) => {
  const m = /\.([A-Za-z0-9]+)$/.exec(filename);
  return m ? m[1].toLocaleLowerCase('en-US') : undefined;
};

/**
 * The format of an upload: from the file extension when it names one we read; otherwise from the
 * content type (a generic `application/octet-stream` says nothing); a body starting with `%PDF-`
 * is a PDF whatever its name says nothing else. Anything else is an InputError naming the file
 * and what is supported.
 */
export function detectFormat(file: {
  filename: string;
  contentType?: string;
  body?: Buffer;
}): DocumentFormat {
  const ext = extensionOf(file.filename);
  if (ext && EXTENSIONS[ext]) return EXTENSIONS[ext];
  const type = file.contentType
    ?.split(';')[0]
    .trim()
    .toLocaleLowerCase('en-US');
  if (type && CONTENT_TYPES[type]) return CONTENT_TYPES[type];
  if (file.body?.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  const what = ext
    ? `.${ext} files`
    : `files without an extension${
        type && type !== 'application/octet-stream' ? ` of type ${type}` : ''
      }`;
  throw new InputError(
    `${file.filename}: ${what} are not supported; upload ${SUPPORTED}`,
  );
}
