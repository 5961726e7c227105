import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import type {
  DocumentInfo,
  DocumentStatus,
  IngestionProgressEvent,
} from '@kubemate/plugin-rag-common';
import { isAbortError, ragApiRef } from '../api';
import { statusOf } from '../lib/errors';

/** `ready` and `failed` end a document's ingestion. */
export const isFinal = (status: DocumentStatus) =>
  status === 'ready' || status === 'failed';

/** After a dropped stream: 1 s, 2 s, 4 s … at most this long before reconnecting. */
const MAX_RECONNECT_MS = 10_000;

/**
 * Follows a knowledge base's ingestion progress while `active` (documents or uploads
 * unfinished): the backend's event stream, reconnected after a drop (the backend resends the
 * unfinished documents' state). `onSettled` is called when a document reaches `ready` or
 * `failed`, and after a reconnect (a document may have finished meanwhile): the caller re-reads
 * the documents. `progress` is the latest event per document; `forget` drops entries the
 * documents list has caught up with. A refused stream (4xx) is not retried: `error`.
 */
export function useIngestion(
  collection: string,
  active: boolean,
  onSettled: () => void,
) {
  const api = useApi(ragApiRef);
  const [progress, setProgress] = useState<
    Record<string, IngestionProgressEvent>
  >({});
  const [error, setError] = useState<Error>();
  const settled = useRef(onSettled);
  settled.current = onSettled;

  useEffect(() => {
    if (!active) return undefined;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    const connect = async () => {
      try {
        await api.watchIngestion(
          collection,
          e => {
            failures = 0;
            setError(undefined);
            setProgress(p => ({ ...p, [e.documentId]: e }));
            if (isFinal(e.status)) settled.current();
          },
          controller.signal,
        );
      } catch (e) {
        if (isAbortError(e) || controller.signal.aborted) return;
        setError(e as Error);
        const status = statusOf(e);
        if (status !== undefined && status >= 400 && status < 500) return;
      }
      if (controller.signal.aborted) return;
      settled.current();
      const delay = Math.min(1000 * 2 ** failures++, MAX_RECONNECT_MS);
      timer = setTimeout(connect, delay);
    };
    connect();
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
    };
  }, [api, collection, active]);

  /** Drops the progress of documents the list shows in the same final state (or all of `ids`). */
  const forget = useCallback(
    (documents: DocumentInfo[], ids?: string[]) =>
      setProgress(p => {
        const next = { ...p };
        let changed = false;
        for (const d of documents) {
          const e = next[d.id];
          const drop = ids
            ? ids.includes(d.id)
            : e && isFinal(e.status) && e.status === d.status;
          if (e && drop) {
            delete next[d.id];
            changed = true;
          }
        }
        return changed ? next : p;
      }),
    [],
  );

  return { progress, error, forget };
}

/** A document as the views show it: its latest progress event over the listed state. */
export function withProgress(
  doc: DocumentInfo,
  event?: IngestionProgressEvent,
): DocumentInfo {
  if (!event) return doc;
  return {
    ...doc,
    status: event.status,
    chunksDone: event.chunksDone,
    chunksTotal: event.chunksTotal ?? doc.chunksTotal,
    error: event.error ?? (event.status === 'failed' ? doc.error : undefined),
  };
}
