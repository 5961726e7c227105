import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  documentFormatOf,
  DocumentInfo,
  emptyUploadMessage,
  unsupportedFormatMessage,
  uploadTooLargeMessage,
} from '@kubemate/plugin-rag-common';
import { isAbortError, ragApiRef } from '../api';

/** Where an upload is; `ingesting` until its document is `ready` or `failed`. */
export type UploadState =
  | 'queued'
  | 'uploading'
  | 'ingesting'
  | 'ready'
  | 'failed';

export interface UploadRow {
  key: number;
  file: File;
  state: UploadState;
  /** bytes sent */
  sent: number;
  /** the document, once the backend took the file */
  document?: DocumentInfo;
  /** why it failed: the backend's text (or the English of `problem`) */
  error?: string;
  /** why it failed before or while sending, for the text in the user's language */
  problem?: FileProblem;
  /** the backend's error (code and params translate its message) */
  cause?: unknown;
}

/** Why a file failed before the backend took it. */
export type FileProblem =
  | { kind: 'unsupported'; name: string }
  | { kind: 'empty'; name: string }
  | { kind: 'tooLarge'; name: string; size: number; limit: number }
  | { kind: 'cancelled' };

/** Why a file is refused before sending, as a {@link FileProblem}, or undefined. */
export function fileProblem(
  file: File,
  maxUploadBytes?: number,
): FileProblem | undefined {
  const hasExtension = /\.[A-Za-z0-9]+$/.test(file.name);
  if (hasExtension && !documentFormatOf(file.name)) {
    return { kind: 'unsupported', name: file.name };
  }
  if (file.size === 0) return { kind: 'empty', name: file.name };
  if (maxUploadBytes !== undefined && file.size > maxUploadBytes) {
    return {
      kind: 'tooLarge',
      name: file.name,
      size: file.size,
      limit: maxUploadBytes,
    };
  }
  return undefined;
}

/**
 * Why a file is refused before sending (the messages the backend gives), or undefined. A name
 * with an extension we do not read is refused; one without an extension is left to the backend
 * (it reads the content type, or a PDF's signature).
 */
export function checkFile(
  file: File,
  maxUploadBytes?: number,
): string | undefined {
  const problem = fileProblem(file, maxUploadBytes);
  switch (problem?.kind) {
    case 'unsupported':
      return unsupportedFormatMessage(problem.name);
    case 'empty':
      return emptyUploadMessage(problem.name);
    case 'tooLarge':
      return uploadTooLargeMessage(problem.name, problem.size, problem.limit);
    default:
      return undefined;
  }
}

let nextKey = 1;

/**
 * Uploads to a knowledge base, one file at a time in the order added: files refused by
 * {@link checkFile} fail at once with the reason; each upload reports its bytes sent; once the
 * backend has the file, the row is `ingesting` until the caller settles it (`settle`, from the
 * ingestion progress). `cancel` aborts an upload or drops a queued file; leaving aborts all.
 */
export function useUploads(
  collection: string,
  options: {
    maxUploadBytes?: number;
    onUploaded?: (doc: DocumentInfo) => void;
  },
) {
  const api = useApi(ragApiRef);
  const [rows, setRows] = useState<UploadRow[]>([]);
  const controllers = useRef(new Map<number, AbortController>());
  const uploaded = useRef(options.onUploaded);
  uploaded.current = options.onUploaded;

  useEffect(() => {
    const all = controllers.current;
    return () => all.forEach(c => c.abort());
  }, []);

  const patch = useCallback(
    (key: number, p: Partial<UploadRow>) =>
      setRows(rs => rs.map(r => (r.key === key ? { ...r, ...p } : r))),
    [],
  );

  const add = useCallback(
    (files: File[]) =>
      setRows(rs => [
        ...rs,
        ...files.map(file => {
          const problem = fileProblem(file, options.maxUploadBytes);
          return {
            key: nextKey++,
            file,
            sent: 0,
            state: problem ? ('failed' as const) : ('queued' as const),
            error: checkFile(file, options.maxUploadBytes),
            problem,
          };
        }),
      ]),
    [options.maxUploadBytes],
  );

  // one upload at a time: start the next queued file when none is uploading
  const next = rows.some(r => r.state === 'uploading')
    ? undefined
    : rows.find(r => r.state === 'queued');
  useEffect(() => {
    if (!next) return;
    const { key, file } = next;
    const controller = new AbortController();
    controllers.current.set(key, controller);
    patch(key, { state: 'uploading' });
    api
      .uploadDocument(collection, file, {
        signal: controller.signal,
        onProgress: sent => patch(key, { sent }),
      })
      .then(
        document => {
          patch(key, { state: 'ingesting', document, sent: file.size });
          uploaded.current?.(document);
        },
        e =>
          patch(
            key,
            isAbortError(e)
              ? {
                  state: 'failed',
                  error: 'Cancelled',
                  problem: { kind: 'cancelled' },
                }
              : { state: 'failed', error: (e as Error).message, cause: e },
          ),
      )
      .finally(() => controllers.current.delete(key));
  }, [api, collection, next, patch]);

  const cancel = useCallback((key: number) => {
    const c = controllers.current.get(key);
    if (c) c.abort();
    else setRows(rs => rs.filter(r => r.key !== key || r.state !== 'queued'));
  }, []);

  /** Ends the ingestion of uploads whose document is `ready` or `failed`. */
  const settle = useCallback(
    (documentId: string, state: 'ready' | 'failed', error?: string) =>
      setRows(rs =>
        rs.some(r => r.document?.id === documentId && r.state === 'ingesting')
          ? rs.map(r =>
              r.document?.id === documentId && r.state === 'ingesting'
                ? { ...r, state, error }
                : r,
            )
          : rs,
      ),
    [],
  );

  /** Drops the finished rows (ready or failed). */
  const clearFinished = useCallback(
    () =>
      setRows(rs =>
        rs.filter(r => r.state !== 'ready' && r.state !== 'failed'),
      ),
    [],
  );

  return { rows, add, cancel, settle, clearFinished };
}
