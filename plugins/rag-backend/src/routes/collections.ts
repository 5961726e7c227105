import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  uploadTooLargeMessage,
  type AddSourceRequest,
  type CreateCollectionRequest,
  type IngestionProgressEvent,
  type UpdateCollectionRequest,
} from '@kubemate/plugin-rag-common';
import type express from 'express';
import type { CollectionsService } from '../services/Collections/types';
import type { IngestionService } from '../services/Ingestion/types';
import type { RagRouter } from './query';

export interface CollectionRoutesDeps {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  collections: CollectionsService;
  ingestion: IngestionService;
  /** kubemate.rag.ingestion.maxUploadBytes */
  maxUploadBytes: number;
  /** a comment line this often keeps proxies from closing a quiet event stream (default 15000) */
  keepAliveMs?: number;
}

type AnyRequest = express.Request<any, any, any, any, any>;

/** The spec declares responses as free-form objects (`Object`, `ListResponse`): our types are. */
const body = (value: object) => value as Record<string, unknown>;
const list = (items: object[]) => ({ items: items.map(body) });

/** The typed router does not see path parameters declared by `$ref`: read them here. */
const params = (req: AnyRequest) =>
  req.params as { collection: string; documentId: string; chunkIndex: string };

/** What the upload body reader leaves for the handler (see {@link uploadBodyReader}). */
interface ReadUpload {
  body: Buffer;
  /** bytes sent (counted to the end, or taken from Content-Length when the body is huge) */
  size: number;
  tooLarge: boolean;
}

const UPLOAD_PATH = /^\/collections\/[^/]+\/documents\/?$/;

/**
 * Reads an upload's body (any content type: the browser sends the file's own type) before the
 * OpenAPI validator runs, keeping at most `maxUploadBytes`; a larger body is counted to its end
 * (up to 4× the limit, then the connection is closed) without being kept, so the handler can
 * answer 400 with the file's size and the limit instead of a bare 413.
 */
export function uploadBodyReader(
  maxUploadBytes: number,
): express.RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'POST' || !UPLOAD_PATH.test(req.path)) {
      next();
      return;
    }
    const declared = Number(req.headers['content-length'] ?? NaN);
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      if (error) {
        next(error);
        return;
      }
      const tooLarge = size > maxUploadBytes;
      const upload: ReadUpload = {
        body: tooLarge ? Buffer.alloc(0) : Buffer.concat(parts),
        size: tooLarge && declared > size ? declared : size,
        tooLarge,
      };
      res.locals.upload = upload;
      // the validator sees the declared body (a string of bytes); the handler uses res.locals;
      // body parsers after this one skip a request whose body was read (`_body`)
      req.body = upload.body.toString('latin1');
      (req as { _body?: boolean })._body = true;
      next();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxUploadBytes) {
        parts.push(chunk);
      } else {
        parts.length = 0;
        if (size > 4 * maxUploadBytes) {
          req.pause();
          finish();
        }
      }
    });
    req.on('end', () => finish());
    req.on('error', e => finish(e));
  };
}

/** A server-sent event stream of ingestion progress (`event: progress`). */
function openEventStream(res: express.Response, keepAliveMs: number) {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  const write = (text: string) => {
    if (res.writableEnded || res.destroyed) return;
    res.write(text);
    (res as { flush?: () => void }).flush?.();
  };
  write(': ingestion progress\n\n');
  const keepAlive = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
  return {
    progress(event: IngestionProgressEvent) {
      write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
    },
    error(message: string) {
      write(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
    },
    end() {
      clearInterval(keepAlive);
      if (!res.writableEnded) res.end();
    },
  };
}

/**
 * The knowledge bases' routes: collections, documents, uploads, re-index, originals, passages,
 * sources and the ingestion progress stream. Every route's permission is checked by the service
 * it calls; every mutation is audited there.
 */
export function registerCollectionRoutes(
  router: RagRouter,
  deps: CollectionRoutesDeps,
) {
  const { httpAuth, collections, ingestion, logger } = deps;
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });
  const userOrService = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/collections', async (req, res) => {
    res.json(list(await collections.list(await userOrService(req))));
  });

  router.post('/collections', async (req, res) => {
    res
      .status(201)
      .json(
        body(
          await collections.create(
            await user(req),
            req.body as CreateCollectionRequest,
          ),
        ),
      );
  });

  router.get('/collections/:collection', async (req, res) => {
    res.json(
      body(
        await collections.get(await userOrService(req), params(req).collection),
      ),
    );
  });

  router.patch('/collections/:collection', async (req, res) => {
    res.json(
      body(
        await collections.update(
          await user(req),
          params(req).collection,
          req.body as UpdateCollectionRequest,
        ),
      ),
    );
  });

  router.delete('/collections/:collection', async (req, res) => {
    await ingestion.deleteCollection(await user(req), params(req).collection);
    res.status(204).end();
  });

  router.post('/collections/:collection/reindex', async (req, res) => {
    res
      .status(202)
      .json(
        list(
          await ingestion.reindexCollection(
            await user(req),
            params(req).collection,
          ),
        ),
      );
  });

  router.post('/collections/:collection/sources', async (req, res) => {
    res
      .status(202)
      .json(
        list(
          await ingestion.addSource(
            await user(req),
            params(req).collection,
            req.body as AddSourceRequest,
          ),
        ),
      );
  });

  router.get('/collections/:collection/documents', async (req, res) => {
    res.json(
      list(
        await collections.listDocuments(
          await userOrService(req),
          params(req).collection,
        ),
      ),
    );
  });

  router.post('/collections/:collection/documents', async (req, res) => {
    const credentials = await user(req);
    const filename = String(req.query.filename ?? '');
    const upload = (res as express.Response).locals.upload as
      | ReadUpload
      | undefined;
    if (!upload) {
      throw new Error('the upload body reader did not run');
    }
    if (upload.tooLarge) {
      // checked here too (not only in the service) because the body was not kept
      throw new InputError(
        uploadTooLargeMessage(filename, upload.size, deps.maxUploadBytes),
      );
    }
    res.status(202).json(
      body(
        await ingestion.upload(credentials, params(req).collection, {
          filename,
          contentType: req.get('content-type') ?? undefined,
          body: upload.body,
        }),
      ),
    );
  });

  router.get(
    '/collections/:collection/documents/:documentId',
    async (req, res) => {
      const { collection, documentId } = params(req);
      res.json(
        body(
          await collections.getDocument(
            await userOrService(req),
            collection,
            documentId,
          ),
        ),
      );
    },
  );

  router.delete(
    '/collections/:collection/documents/:documentId',
    async (req, res) => {
      const { collection, documentId } = params(req);
      await ingestion.deleteDocument(await user(req), collection, documentId);
      res.status(204).end();
    },
  );

  router.post(
    '/collections/:collection/documents/:documentId/reindex',
    async (req, res) => {
      const { collection, documentId } = params(req);
      res
        .status(202)
        .json(
          body(
            await ingestion.reindexDocument(
              await user(req),
              collection,
              documentId,
            ),
          ),
        );
    },
  );

  router.get(
    '/collections/:collection/documents/:documentId/original',
    async (req, res) => {
      const { collection, documentId } = params(req);
      const original = await collections.original(
        await userOrService(req),
        collection,
        documentId,
      );
      res
        .status(200)
        .type(original.contentType)
        .setHeader(
          'Content-Disposition',
          `attachment; filename="${original.filename.replace(
            /["\\\r\n]/g,
            '_',
          )}"; filename*=UTF-8''${encodeURIComponent(original.filename)}`,
        );
      (res as express.Response).end(original.body);
    },
  );

  router.get(
    '/collections/:collection/documents/:documentId/passages/:chunkIndex',
    async (req, res) => {
      const { collection, documentId, chunkIndex } = params(req);
      res.json(
        body(
          await collections.passage(
            await userOrService(req),
            collection,
            documentId,
            Number(chunkIndex),
          ),
        ),
      );
    },
  );

  router.get('/collections/:collection/events', async (req, res) => {
    const credentials = await user(req);
    const { collection } = params(req);
    // checked before the stream opens: a denial is still a 404 status
    await collections.get(credentials, collection);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const stream = openEventStream(
      res as express.Response,
      deps.keepAliveMs ?? 15_000,
    );
    try {
      await ingestion.watch(
        credentials,
        collection,
        event => stream.progress(event),
        abort.signal,
      );
    } catch (e) {
      logger.warn(`rag: ingestion events of ${collection}: ${String(e)}`);
      stream.error(String((e as Error)?.message ?? e));
    } finally {
      stream.end();
    }
  });
}
