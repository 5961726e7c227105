import express from 'express';
import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type { LogLine, TailEvent } from '@kubemate/plugin-logs-common';
import { createOpenApiRouter } from './schema/openapi.generated';
import { LogsService } from './services/LogsService';

const MAX_RANGE = 30 * 86_400;
const DOWNLOAD_LIMIT = 50_000;

/**
 * Defaults (the last hour) and what the spec cannot say of a time range, in unix seconds: end
 * after start, at most 30 days (400, naming the field as the validator does).
 */
function withRange<T extends { start?: number; end?: number }>(
  where: 'body' | 'query',
  b: T,
) {
  const end = b.end ?? Math.floor(Date.now() / 1000);
  const start = b.start ?? end - 3600;
  if (end <= start) {
    throw new InputError(`request/${where}/end must be after start`);
  }
  if (end - start > MAX_RANGE) {
    throw new InputError(
      `request/${where}/start must be at most 30 days before end`,
    );
  }
  return { ...b, start, end };
}

/** The `labels` query parameter of /context: a JSON object of label values. */
function parseLabels(s: string): Record<string, string> {
  try {
    const v = JSON.parse(s);
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      Object.values(v).every(x => typeof x === 'string')
    ) {
      return v as Record<string, string>;
    }
  } catch {
    // reported below
  }
  throw new InputError(
    'request/query/labels must be a JSON object of label values',
  );
}

function formatLine(l: LogLine): string {
  const ms = Number(BigInt(l.ts) / 1_000_000n);
  const labels = Object.entries(l.labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(',');
  return `${new Date(ms).toISOString()} {${labels}} ${l.line}`;
}

export async function createRouter(options: {
  httpAuth: HttpAuthService;
  service: LogsService;
}): Promise<express.Router> {
  const { httpAuth, service } = options;
  const router = await createOpenApiRouter();
  const credentials = (req: express.Request<any, any, any, any, any>) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.post('/query', async (req, res) => {
    const body = withRange('body', req.body);
    res.json(
      await service.query(await credentials(req), {
        ...body,
        query: body.query.trim(),
        limit: body.limit ?? 1000,
        direction: body.direction ?? 'backward',
      }),
    );
  });

  router.post('/volume', async (req, res) => {
    const body = withRange('body', req.body);
    res.json(
      await service.volume(await credentials(req), {
        ...body,
        query: body.query.trim(),
      }),
    );
  });

  router.get('/context', async (req, res) => {
    const q = req.query;
    res.json(
      await service.context(await credentials(req), {
        labels: parseLabels(q.labels),
        ts: q.ts,
        before: q.before ?? 20,
        after: q.after ?? 20,
        entityRef: q.entityRef,
      }),
    );
  });

  router.get('/download', async (req, res) => {
    const q = withRange('query', req.query);
    const result = await service.query(await credentials(req), {
      ...q,
      query: q.query.trim(),
      limit: q.limit ?? DOWNLOAD_LIMIT,
      direction: 'forward',
    });
    if (result.resultType !== 'streams') {
      throw new InputError('Only log queries can be downloaded');
    }
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="logs.txt"');
    res.send(
      result.lines.map(formatLine).join('\n') +
        (result.lines.length ? '\n' : ''),
    );
  });

  /**
   * Live tail as newline-delimited JSON events (`TailEvent`), relayed from Loki's tail with
   * backpressure (the response's drain) and a cap; the browser reads it through fetch.
   */
  router.get('/tail', async (req, res) => {
    const q = { ...req.query, query: req.query.query.trim() };
    const creds = await credentials(req);
    let started = false;
    const send = (e: TailEvent) => {
      if (!started) {
        started = true;
        res.status(200);
        res.setHeader('Content-Type', 'application/x-ndjson; charset=utf-8');
        res.setHeader('Cache-Control', 'no-store');
        res.setHeader('X-Accel-Buffering', 'no');
        res.flushHeaders();
      }
      return res.write(`${JSON.stringify(e)}\n`);
    };
    const { stop, done } = await service.tail(creds, q, {
      send,
      onDrain: cb => res.on('drain', cb),
    });
    send({ type: 'lines', lines: [] }); // opens the stream at once
    req.on('close', stop);
    await done;
    res.end();
  });

  return router;
}
