import type { DocumentFormat } from './types';

/*
 * What may be uploaded, and the messages a refused file gets: shared by the backend (its 400)
 * and the frontend (the same check before sending), so both say the same thing.
 */

/** File name extensions of uploads, and the format each is parsed as. */
export const RAG_UPLOAD_EXTENSIONS: Readonly<Record<string, DocumentFormat>> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'text',
  '.pdf': 'pdf',
};

/** The format of a file name by its extension (case-insensitive), undefined when not supported. */
export function documentFormatOf(filename: string): DocumentFormat | undefined {
  const dot = filename.lastIndexOf('.');
  if (dot < 0) return undefined;
  return RAG_UPLOAD_EXTENSIONS[filename.slice(dot).toLocaleLowerCase('en-US')];
}

/** A byte count for people: `512 B`, `1.5 KiB`, `20 MiB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded =
    unit === 0 || value >= 100
      ? Math.round(value)
      : Math.round(value * 10) / 10;
  return `${rounded} ${units[unit]}`;
}

/** Why a file of an unsupported type is refused. */
export function unsupportedFormatMessage(filename: string): string {
  return `${filename}: unsupported file type; upload Markdown (.md, .markdown), HTML (.html, .htm), plain text (.txt) or PDF (.pdf)`;
}

/** Why a file over the upload limit is refused. */
export function uploadTooLargeMessage(
  filename: string,
  sizeBytes: number,
  maxUploadBytes: number,
): string {
  return `${filename} is ${formatBytes(
    sizeBytes,
  )}, more than the upload limit of ${formatBytes(maxUploadBytes)}`;
}

/** Why an empty file is refused. */
export function emptyUploadMessage(filename: string): string {
  return `${filename} is empty`;
}
