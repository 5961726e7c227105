import { createHash } from 'node:crypto';

const sha256 = (value: string) =>
  createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * A document's id: the first 32 hex digits of sha256(`<collection>/<name>`). The same file name
 * uploaded again into the same collection is the same document (a new generation of it).
 * Collection names hold no `/`, so no two (collection, name) pairs share the hashed string.
 */
export function documentIdOf(collection: string, name: string): string {
  return sha256(`${collection}/${name}`).slice(0, 32);
}

/**
 * A chunk's id (its Milvus primary key): sha256(`<collection>/<document id>/<generation>/<index>`),
 * 64 hex digits. Deterministic, so a job resumed after a crash re-inserts (upserts) the same ids
 * instead of adding duplicates; a re-index (new generation) gets new ids.
 */
export function chunkIdOf(
  collection: string,
  documentId: string,
  generation: number,
  chunkIndex: number,
): string {
  return sha256(`${collection}/${documentId}/${generation}/${chunkIndex}`);
}

/** The sha256 of a file's bytes (hex): stored with the original and the document row. */
export function sha256Of(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}
