import { InputError } from '@backstage/errors';
import {
  documentFormatOf,
  unsupportedFormatMessage,
  type DocumentFormat,
} from '@kubemate/plugin-rag-common';

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

/**
 * The format of an upload: from the file extension when it names one we read (rag-common's
 * RAG_UPLOAD_EXTENSIONS, which the frontend checks too); a file with another extension is
 * refused, whatever its content type; one without an extension is read by its content type or,
 * starting with `%PDF-`, as a PDF. Anything else is an InputError naming the file and what is
 * supported.
 */
export function detectFormat(file: {
  filename: string;
  contentType?: string;
  body?: Buffer;
}): DocumentFormat {
  const byName = documentFormatOf(file.filename);
  if (byName) return byName;
  if (!/\.[A-Za-z0-9]+$/.test(file.filename)) {
    const type = file.contentType
      ?.split(';')[0]
      .trim()
      .toLocaleLowerCase('en-US');
    if (type && CONTENT_TYPES[type]) return CONTENT_TYPES[type];
    if (file.body?.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  }
  throw new InputError(unsupportedFormatMessage(file.filename));
}
