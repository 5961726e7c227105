import type {
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type {
  FeedbackRequest,
  QueryRequest,
  QueryStreamEvent,
} from '@kubemate/plugin-rag-common';
import type { ApiRouter } from '@backstage/backend-openapi-utils';
import type express from 'express';
import type { spec } from '../schema/openapi.generated';
import type { HistoryService } from '../services/History';
import { upstreamOf } from '../services/Query/upstream';
import type { AnswerSink, QueryService } from '../services/Query/types';
import type { StatusService } from '../services/Status/types';

/** The plugin's typed router (named, so declaration files need not expand it). */
export type RagRouter = ApiRouter<typeof spec>;

export interface QueryRoutesDeps {
  httpAuth: HttpAuthService;
  logger: LoggerService;
  query: QueryService;
  history: HistoryService;
  status: StatusService;
  /** a comment line this often keeps proxies from closing a quiet stream (default 15000) */
  keepAliveMs?: number;
}

type AnyRequest = express.Request<any, any, any, any, any>;

/** The typed router does not see path parameters declared by `$ref`: read them here. */
const answerIdOf = (req: AnyRequest) =>
  (req.params as { answerId: string }).answerId;

const wantsEventStream = (req: AnyRequest) =>
  /\btext\/event-stream\b/.test(req.get('accept') ?? '');

/**
 * A server-sent event stream on a response, opened by its first event (until then a failure is
 * still an ordinary HTTP error status). Every event is flushed at once (through compression too).
 */
class EventStream {
  private opened = false;
  private keepAlive?: NodeJS.Timeout;

  constructor(
    private readonly res: express.Response,
    private readonly keepAliveMs: number,
  ) {}

  get started() {
    return this.opened;
  }

  send<E extends QueryStreamEvent>(event: E['event'], data: E['data']) {
    if (this.res.writableEnded || this.res.destroyed) return;
    if (!this.opened) {
      this.opened = true;
      this.res.status(200);
      this.res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
      this.res.setHeader('Cache-Control', 'no-cache, no-transform');
      this.res.setHeader('Connection', 'keep-alive');
      this.res.setHeader('X-Accel-Buffering', 'no');
      this.res.flushHeaders();
      this.keepAlive = setInterval(
        () => this.write(': keep-alive\n\n'),
        this.keepAliveMs,
      );
    }
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  private write(text: string) {
    if (this.res.writableEnded || this.res.destroyed) return;
    this.res.write(text);
    (this.res as { flush?: () => void }).flush?.();
  }

  end() {
    clearInterval(this.keepAlive);
    if (!this.res.writableEnded) this.res.end();
  }

  sink(): AnswerSink {
    return {
      meta: data => this.send('meta', data),
      citations: data => this.send('citations', data),
      token: text => this.send('token', { text }),
    };
  }
}

/**
 * Questions, the user's history and feedback, and the status: `/status`, `/models` (the
 * generation models a question may pick), `/query` (JSON, or
 * server-sent events `meta`, `citations`, `token`…, `done` | `error` with `Accept:
 * text/event-stream`), `/history`, `/history/{answerId}`, `/history/{answerId}/feedback`.
 * The services check the permissions (rag.query.run scope, the user's own history,
 * rag.collection.read for the status). A client that goes away stops the generation.
 */
export function registerQueryRoutes(router: RagRouter, deps: QueryRoutesDeps) {
  const { httpAuth, logger, query, history, status } = deps;
  const user = (req: AnyRequest) =>
    httpAuth.credentials(req, { allow: ['user'] });

  router.get('/status', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    res.json((await status.status(credentials)) as any);
  });

  router.get('/models', async (req, res) => {
    res.json((await query.models(await user(req))) as any);
  });

  router.post('/query', async (req, res) => {
    const credentials = await user(req);
    const body = req.body as QueryRequest;
    // the client went away before the answer was complete: stop generating
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    if (!wantsEventStream(req)) {
      res.json(
        (await query.ask(credentials, body, { signal: gone.signal })) as any,
      );
      return;
    }
    const stream = new EventStream(
      res as unknown as express.Response,
      deps.keepAliveMs ?? 15_000,
    );
    try {
      const answer = await query.ask(credentials, body, {
        sink: stream.sink(),
        signal: gone.signal,
      });
      stream.send('done', answer);
    } catch (e) {
      // not started: an ordinary HTTP status (400, 404, 503 naming the upstream)
      if (!stream.started) throw e;
      if (!gone.signal.aborted) {
        const upstream = upstreamOf(e);
        const message = (e as Error)?.message ?? String(e);
        logger.warn(`rag: answer stream failed: ${message}`);
        stream.send('error', { message, ...(upstream ? { upstream } : {}) });
      }
    } finally {
      if (stream.started) stream.end();
    }
  });

  router.get('/history', async (req, res) => {
    res.json(
      (await history.list(await user(req), {
        ...(req.query.limit !== undefined
          ? { limit: Number(req.query.limit) }
          : {}),
        ...(req.query.collection
          ? { collection: String(req.query.collection) }
          : {}),
      })) as any,
    );
  });

  router.get('/history/:answerId', async (req, res) => {
    res.json((await history.get(await user(req), answerIdOf(req))) as any);
  });

  router.put('/history/:answerId/feedback', async (req, res) => {
    res.json(
      (await history.setFeedback(
        await user(req),
        answerIdOf(req),
        req.body as FeedbackRequest,
      )) as any,
    );
  });
}
