import { InputError } from '@backstage/errors';
import { RAG_COLLECTION_NAME_PATTERN } from '@kubemate/plugin-rag-common';

/*
 * Milvus boolean expressions, built only from values checked here: collection names must match
 * RAG_COLLECTION_NAME_PATTERN, document ids are hex, generations are integers, and tenant refs are
 * quoted with `\` and `"` escaped (control characters are refused). Nothing a user typed reaches
 * an expression unchecked, so no filter can be widened by a crafted name.
 */

const DOCUMENT_ID = /^[a-f0-9]{8,64}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A Milvus string literal: `"…"` with backslashes and double quotes escaped. */
export function quote(value: string): string {
  if (CONTROL.test(value)) {
    throw new InputError(
      `${JSON.stringify(value)} contains control characters`,
    );
  }
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function checkCollectionName(name: string): string {
  if (typeof name !== 'string' || !RAG_COLLECTION_NAME_PATTERN.test(name)) {
    throw new InputError(
      `${JSON.stringify(name)} is not a collection name (${
        RAG_COLLECTION_NAME_PATTERN.source
      })`,
    );
  }
  return name;
}

export function checkDocumentId(id: string): string {
  if (typeof id !== 'string' || !DOCUMENT_ID.test(id)) {
    throw new InputError(`${JSON.stringify(id)} is not a document id`);
  }
  return id;
}

function checkGeneration(generation: number): number {
  if (!Number.isSafeInteger(generation) || generation < 0) {
    throw new InputError(`${generation} is not a generation`);
  }
  return generation;
}

const list = (values: string[]) => `[${values.map(quote).join(', ')}]`;

/**
 * The filter of a search: `tenant in [...] and collection in [...]` (the tenant first: it is the
 * partition key, so Milvus prunes partitions). Empty lists are refused: they would be no search
 * at all, and must never turn into "no filter".
 */
export function searchFilter(options: {
  collections: string[];
  tenants: string[];
}): string {
  const collections = [...new Set(options.collections)].map(
    checkCollectionName,
  );
  const tenants = [...new Set(options.tenants)];
  if (!collections.length) {
    throw new InputError('a search needs at least one collection');
  }
  if (!tenants.length) {
    throw new InputError('a search needs at least one tenant');
  }
  return `tenant in ${list(tenants)} and collection in ${list(collections)}`;
}

/** A collection's vectors, or one document's (optionally all generations but one). */
export function documentFilter(options: {
  collection: string;
  documentId?: string;
  exceptGeneration?: number;
}): string {
  const parts = [
    `collection == ${quote(checkCollectionName(options.collection))}`,
  ];
  if (options.documentId !== undefined) {
    parts.push(`document_id == ${quote(checkDocumentId(options.documentId))}`);
  }
  if (options.exceptGeneration !== undefined) {
    parts.push(`generation != ${checkGeneration(options.exceptGeneration)}`);
  }
  return parts.join(' and ');
}

/** `<prefix>_<model slug>_<dim>`: Milvus names allow letters, digits and underscores only. */
export function milvusCollectionName(
  prefix: string,
  model: string,
  dimensions: number,
): string {
  const slug = (s: string) =>
    s
      .toLocaleLowerCase('en-US')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '');
  if (!Number.isSafeInteger(dimensions) || dimensions <= 0) {
    throw new InputError(`${dimensions} is not a vector dimension`);
  }
  const name = `${slug(prefix)}_${slug(model)}_${dimensions}`;
  return /^[a-z_]/.test(name) ? name : `_${name}`;
}
